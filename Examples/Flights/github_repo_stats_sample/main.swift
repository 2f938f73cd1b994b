// The guide's flight, offline: GitHub repository metadata (a sample file standing in for the API,
// which this machine cannot reach) merged on `repo` into
// docs_playground.flights_demo_dlt.github_repo_stats with parquet loader files, then one ledger
// row in docs_playground.flights_demo.dlt_ingest_runs. `make demo` creates and runs it as a Swift
// flight; config SAMPLE_FILE names the JSON-lines file.
import FlightKit
import Foundation

let flight = FlightContext.current
guard let sample = flight.config("SAMPLE_FILE") else {
    print("config SAMPLE_FILE is not set: give the path of a JSON-lines file of repositories")
    exit(2)
}
print("run \(flight.runNumber.map(String.init) ?? "-") of \(flight.flightName ?? "a local flight")"
      + (flight.isScheduled ? " (scheduled)" : " (on demand)"))

let repos = Resource("github_repo_stats", hints: TableHints(table: "github_repo_stats", writeDisposition: .merge, primaryKey: ["repo"])) { emit in
    try emit.jsonFile(URL(fileURLWithPath: sample))
}
let pipeline = try flight.pipeline("flights_github_repo_stats", database: "docs_playground", dataset: "flights_demo_dlt")
let info = try await pipeline.run(repos, loaderFileFormat: .parquet)
print(info)

let summary = info.rowCounts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value) rows" }.joined(separator: ", ")
try flight.database("docs_playground").write { connection in
    try connection.execute("CREATE SCHEMA IF NOT EXISTS flights_demo")
    try connection.execute("""
        CREATE TABLE IF NOT EXISTS flights_demo.dlt_ingest_runs (
            run_at TIMESTAMPTZ, pipeline_name VARCHAR, destination_dataset VARCHAR, load_summary VARCHAR)
        """)
    try connection.execute("INSERT INTO flights_demo.dlt_ingest_runs VALUES (now(), ?, ?, ?)",
                           ["flights_github_repo_stats", "flights_demo_dlt", summary])
}
print("ledger row written: \(summary)")
