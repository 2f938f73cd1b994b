import Foundation

/// GitHub-repository-like JSON lines → DuckDB through `hangar ingest` (parquet loader files,
/// append), next to DuckDB's own `CREATE TABLE AS SELECT * FROM read_json(...)` on the same file.
/// Each side runs as its own process so wall time and peak RSS are measured the same way.
struct IngestBenchmark {
    let records = Int(ProcessInfo.processInfo.environment["HANGAR_BENCH_RECORDS"] ?? "") ?? 200_000
    let tools = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()

    func run() throws {
        let data = try dataFile()
        let size = (try FileManager.default.attributesOfItem(atPath: data.path)[.size] as? Int) ?? 0
        print("== Ingest: \(records) GitHub-repository-like records (\(size / 1_000_000) MB of JSON lines) → DuckDB, append, parquet")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-bench-ingest-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let hangar = tools.appendingPathComponent("hangar").path

        let reference = try ChildRun.run(hangar, ["sql", work.appendingPathComponent("reference.duckdb").path, "-c",
                                                   "CREATE TABLE t AS SELECT * FROM read_json('\(data.path)')"])
        let ingest = try ChildRun.run(hangar, [
            "ingest", data.path, "--table", "github_repo_stats", "--database", work.appendingPathComponent("hangar.duckdb").path,
            "--dataset", "bench", "--pipeline", "bench", "--home", work.appendingPathComponent("home").path, "--json",
        ])
        let info = try JSONSerialization.jsonObject(with: Data(ingest.output.utf8)) as? [String: Any]
        let loaded = (info?["row_counts"] as? [String: Int])?["github_repo_stats"] ?? -1
        guard loaded == records else { throw BenchFailure("hangar ingest loaded \(loaded) rows, expected \(records):\\n\(ingest.output)") }

        print(pad("workload", 48) + pad("seconds", 10, right: true) + pad("rows/s", 12, right: true) + pad("peak RSS", 12, right: true))
        for (name, run) in [("DuckDB read_json → CREATE TABLE AS", reference), ("Hangar ingest (extract, normalize, load)", ingest)] {
            print(pad(name, 48) + pad(String(format: "%.2f", run.seconds), 10, right: true)
                  + pad(String(format: "%.0f", Double(records) / run.seconds), 12, right: true)
                  + pad("\(run.peakRSSBytes / 1_048_576) MB", 12, right: true))
        }
        let stages = String(format: "extract %.2fs, normalize %.2fs, load %.2fs",
                            info?["extract_seconds"] as? Double ?? 0, info?["normalize_seconds"] as? Double ?? 0, info?["load_seconds"] as? Double ?? 0)
        print("Hangar stages: \(stages); Hangar takes \(String(format: "%.1f", ingest.seconds / reference.seconds))× DuckDB's time")
        print("Hangar also unnests topics into a child table and keeps a load package, schema and state; DuckDB keeps them nested.")
    }

    /// The generated file, made once per record count and reused.
    private func dataFile() throws -> URL {
        let folder = URL(fileURLWithPath: ".build/bench-data", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("github_repos_\(records).jsonl")
        if !FileManager.default.fileExists(atPath: file.path) {
            print("generating \(file.path) …")
            _ = try ChildRun.run("/usr/bin/env", ["python3", "bench/generate_github_repos.py", String(records), file.path])
        }
        return file
    }
}
