import Foundation
import HangarIngest

// Loads nested GitHub repository JSON into a local DuckDB file and prints LoadInfo:
//
//     swift run IngestExample [FILE.jsonl] [DATABASE.duckdb]
//
// Owner and license objects become owner__login and license__spdx_id columns, the topics list
// a github_repo_stats__topics child table. Run it twice: the second run appends a second load.

let arguments = CommandLine.arguments.dropFirst()
let input = URL(fileURLWithPath: arguments.first ?? "Examples/data/github_repos.jsonl")
let database = arguments.dropFirst().first ?? ".hangar-example/example.duckdb"
try FileManager.default.createDirectory(at: URL(fileURLWithPath: database).deletingLastPathComponent(), withIntermediateDirectories: true)

let pipeline = try Pipeline(name: "flights_github_repo_stats", destination: .duckdb(path: database), dataset: "flights_demo_dlt",
                            pipelinesDirectory: URL(fileURLWithPath: ".hangar-example/pipelines"))
let repos = Resource.jsonFiles("repos", [input], hints: TableHints(table: "github_repo_stats", primaryKey: ["repo"]))
let info = try await pipeline.run(repos, loaderFileFormat: .parquet)
print(info)
