import DuckDB
import Foundation
import HangarAccount
import Synchronization

/// `HangarBench lake`: DuckLake account databases next to DuckDB files, in the same run.
///
/// 1. Workload 1 of the dlt comparison (`HANGAR_BENCH_RECORDS` GitHub-repository-like records
///    merged on `id` into an empty table) by `hangar ingest` into a DuckDB file and into a lake
///    (catalog on a throwaway PostgreSQL on 127.0.0.1, Parquet files in a local folder); median of
///    `HANGAR_BENCH_REPEATS` each. Both must hold the same table (row count and a hash of every
///    column but dlt's load and row ids).
/// 2. Concurrent writers: the same records split in three parts (distinct keys), each part merged
///    `HANGAR_BENCH_LAKE_ROUNDS` times (default 3) into one lake table: by one writer, one load after
///    another, and by three `hangar ingest` processes at once, one part each. Same rows, same loads.
struct LakeBenchmark {
    let comparison = DltComparison()
    let rounds = Int(ProcessInfo.processInfo.environment["HANGAR_BENCH_LAKE_ROUNDS"] ?? "") ?? 3

    func run() throws {
        // The lakes name their catalog; a control store in the environment is not this benchmark's.
        let control = getenv("HANGAR_CONTROL").map { String(cString: $0) }
        setenv("HANGAR_CONTROL", "", 1)
        defer { if let control { setenv("HANGAR_CONTROL", control, 1) } else { unsetenv("HANGAR_CONTROL") } }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-bench-lake-\(getpid())", isDirectory: true)
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try BenchPostgres(folder: root.appendingPathComponent("postgres"))
        defer { server.stop() }
        let records = comparison.records
        let base = try comparison.dataFile(records)
        let home = root.appendingPathComponent("home")
        var lakeNumber = 0

        /// A new lake in the home (its own schema of the catalog database, its own folder).
        func newLake() throws -> String {
            lakeNumber += 1
            let name = "lake\(lakeNumber)"
            _ = try hangar(["sql", "--home", home.path, "-c",
                            "CREATE DATABASE \(name) (TYPE ducklake, DATA_PATH '\(root.appendingPathComponent("data-\(name)").path)', CATALOG '\(server.url)')"])
            return name
        }
        let hangarPath = comparison.hangar
        func ingest(_ file: URL, into database: String, pipeline: String = "bench") throws -> ChildRun {
            try ChildRun.run(hangarPath, ["ingest", file.path, "--table", DltComparison.table, "--database", database, "--dataset", DltComparison.dataset,
                        "--pipeline", pipeline, "--home", home.path, "--write-disposition", "merge", "--primary-key", "id"])
        }

        print("== DuckLake next to a DuckDB file: workload 1, \(grouped(records)) records merged into an empty table (median of \(comparison.repeats))")
        var fileRuns: [ChildRun] = [], lakeRuns: [ChildRun] = []
        var lastFile = "", lastLake = ""
        for repeatIndex in 0..<comparison.repeats {
            let file = root.appendingPathComponent("file-\(repeatIndex).duckdb").path
            fileRuns.append(try ingest(base, into: file))
            lastFile = file
            let lake = try newLake()
            lakeRuns.append(try ingest(base, into: lake))
            lastLake = lake
        }
        let fileSeconds = median(fileRuns.map(\.seconds)), lakeSeconds = median(lakeRuns.map(\.seconds))
        let fileCheck = try checksum(database: lastFile, home: home), lakeCheck = try checksum(database: lastLake, home: home)
        guard fileCheck == lakeCheck, fileCheck.hasPrefix("\(records) rows") else {
            throw BenchFailure("the lake's table differs from the file's: \(lakeCheck) vs \(fileCheck)")
        }
        print(pad("hangar ingest →", 34) + pad("seconds", 10, right: true) + pad("records/s", 12, right: true) + pad("peak RSS", 10, right: true))
        for (label, runs, seconds) in [("DuckDB file", fileRuns, fileSeconds), ("DuckLake (PostgreSQL + Parquet)", lakeRuns, lakeSeconds)] {
            print(pad(label, 34) + pad(String(format: "%.2f", seconds), 10, right: true)
                  + pad(grouped(Int(Double(records) / seconds)), 12, right: true)
                  + pad("\(Int(median(runs.map { Double($0.peakRSSBytes) }) / 1_048_576)) MB", 10, right: true))
        }
        print(String(format: "the lake takes %.2f× the file's time (runs: file %@ s, lake %@ s); same table on both (%@)", lakeSeconds / fileSeconds,
                     fileRuns.map { String(format: "%.2f", $0.seconds) }.joined(separator: ", "),
                     lakeRuns.map { String(format: "%.2f", $0.seconds) }.joined(separator: ", "), fileCheck))

        // Concurrent writers: three parts with distinct keys, merged (every load deletes from the
        // table, so concurrent commits conflict) and appended (inserts only: they do not).
        let parts = try split(base, into: 3, folder: root)
        let loads = parts.count * rounds
        for disposition in ["merge", "append"] {
            print("== DuckLake: \(loads) \(disposition == "merge" ? "merges" : "appends") of \(grouped(records / 3)) records each into one table, by 1 writer and by 3 at once")
            @Sendable func load(_ part: URL, into lake: String, writer: Int) throws -> ChildRun {
                try ChildRun.run(hangarPath, ["ingest", part.path, "--table", DltComparison.table, "--database", lake,
                                              "--dataset", DltComparison.dataset, "--pipeline", "writer\(writer)", "--home", home.path,
                                              "--write-disposition", disposition] + (disposition == "merge" ? ["--primary-key", "id"] : []))
            }
            let sequentialLake = try newLake()
            let sequentialStart = ContinuousClock.now
            for _ in 0..<rounds {
                for (index, part) in parts.enumerated() { _ = try load(part, into: sequentialLake, writer: index) }
            }
            let sequential = seconds(since: sequentialStart)
            let concurrentLake = try newLake()
            let failures = Failures()
            let retried = Mutex(0)
            let concurrentStart = ContinuousClock.now
            let group = DispatchGroup()
            for (index, part) in parts.enumerated() {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    for _ in 0..<rounds {
                        do {
                            let run = try load(part, into: concurrentLake, writer: index)
                            let retries = run.output.components(separatedBy: "lost to a concurrent writer").count - 1
                            retried.withLock { $0 += retries }
                        } catch {
                            failures.add("\(error)")
                        }
                    }
                }
            }
            group.wait()
            let concurrent = seconds(since: concurrentStart)
            if let failure = failures.all.first { throw BenchFailure("a concurrent writer failed: \(failure)") }
            let sequentialCheck = try checksum(database: sequentialLake, home: home)
            let concurrentCheck = try checksum(database: concurrentLake, home: home)
            let expectedRows = disposition == "merge" ? records : records * rounds
            guard sequentialCheck == concurrentCheck, sequentialCheck.hasPrefix("\(expectedRows) rows"),
                  disposition == "append" || sequentialCheck == fileCheck else {
                throw BenchFailure("\(disposition): concurrent writers left \(concurrentCheck), one writer \(sequentialCheck) (\(expectedRows) rows expected)")
            }
            print(pad("writers", 34) + pad("seconds", 10, right: true) + pad("loads/s", 12, right: true) + pad("records/s", 12, right: true))
            for (label, seconds) in [("1 (loads one after another)", sequential), ("3 at once (one part each)", concurrent)] {
                print(pad(label, 34) + pad(String(format: "%.2f", seconds), 10, right: true) + pad(String(format: "%.2f", Double(loads) / seconds), 12, right: true)
                      + pad(grouped(Int(Double(records * rounds) / seconds)), 12, right: true))
            }
            print(String(format: "3 writers: %.2f× one writer's throughput; their commits started over %d times in %d loads after losing to "
                         + "another writer; same table either way. %d cores: the writers share them.", sequential / concurrent,
                         retried.withLock { $0 }, loads, ProcessInfo.processInfo.activeProcessorCount))
        }
    }

    private func hangar(_ arguments: [String]) throws -> ChildRun {
        try ChildRun.run(comparison.hangar, arguments)
    }

    /// Row count and a hash of each column (by name, so the order writers added them in does not
    /// matter) but dlt's load and row ids.
    private func checksum(database: String, home: URL) throws -> String {
        let connection: Connection
        if database.hasSuffix(".duckdb") {
            connection = try Database(path: database).connect()
        } else {
            let descriptor = try DuckLakeDescriptor.read(from: HangarHome(home).lakeDescriptor(database))
            connection = try DuckLake.connect(descriptor.location, alias: database)
        }
        let columns = try connection.query("""
            SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = ? AND table_name = ?
              AND column_name NOT IN ('_dlt_load_id', '_dlt_id') ORDER BY column_name
            """, [DltComparison.dataset, DltComparison.table]).all().map { try $0.get(0, as: String.self) }
        let hashes = columns.map { "coalesce(sum(hash(\(quoteIdentifier($0))))::VARCHAR, '-')" }.joined(separator: " || ',' || ")
        let table = "\(quoteIdentifier(DltComparison.dataset)).\(quoteIdentifier(DltComparison.table))"
        let count = try connection.scalar("SELECT count(*) FROM \(table)", as: Int.self) ?? -1
        let digest = try connection.scalar("SELECT md5(\(hashes)) FROM \(table)", as: String.self) ?? ""
        return "\(count) rows, columns \(digest.prefix(12))"
    }

    /// `file`'s lines dealt round-robin into `count` files.
    private func split(_ file: URL, into count: Int, folder: URL) throws -> [URL] {
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        return try (0..<count).map { part in
            let url = folder.appendingPathComponent("part-\(part).jsonl")
            let text = stride(from: part, to: lines.count, by: count).map { lines[$0] }.joined(separator: "\n") + "\n"
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url
        }
    }

    private func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Failures gathered from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}
