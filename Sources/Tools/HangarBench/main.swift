import DuckDB
import Foundation

// `make bench`: Hangar's figures next to DuckDB's own, measured in the same run on the same
// machine. Later issues add the ingest engine's workloads beside these.

struct Measurement {
    let workload: String
    let rows: Int
    let seconds: Double
    var rowsPerSecond: Double { Double(rows) / seconds }
}

func measure(_ workload: String, rows: Int, _ body: () throws -> Void) rethrows -> Measurement {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Measurement(workload: workload, rows: rows, seconds: seconds)
}

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return right ? padding + text : text + padding
}

let rows = Int(ProcessInfo.processInfo.environment["HANGAR_BENCH_ROWS"] ?? "") ?? 2_000_000
let tableDefinition = """
    (id BIGINT, small INTEGER, score DOUBLE, name VARCHAR, active BOOLEAN, created TIMESTAMP,
     stars BIGINT, ratio DOUBLE, owner VARCHAR, forks INTEGER)
    """

/// A fresh file per workload, so neither side profits from the other's warm table.
func freshDatabase(_ name: String) throws -> Connection {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-bench-\(getpid())-\(name).duckdb").path
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.removeItem(atPath: path + ".wal")
    let connection = try Database(path: path).connect()
    try connection.execute("CREATE TABLE t \(tableDefinition)")
    return connection
}

func verify(_ connection: Connection, _ label: String) throws {
    let count = try connection.scalar("SELECT count(*) FROM t", as: Int.self)
    let idSum = try connection.scalar("SELECT sum(id) FROM t", as: Int.self)
    guard count == rows, idSum == rows * (rows - 1) / 2 else {
        fatalError("\(label): expected \(rows) rows, found \(String(describing: count)) (id sum \(String(describing: idSum)))")
    }
}

func appenderBenchmark() throws {
    print("== Binding: bulk insert, \(rows) rows × 10 columns")

    let reference = try freshDatabase("insert-select")
    let insertSelect = try measure("DuckDB INSERT INTO t SELECT … FROM range(n)", rows: rows) {
        try reference.execute("""
            INSERT INTO t SELECT i, (i % 1000)::INTEGER, i * 0.5, 'repository-' || i, i % 2 = 0,
                   TIMESTAMP '2020-01-01' + to_microseconds(i), i * 3, i / 7.0, 'owner-' || (i % 5000), (i % 100)::INTEGER
            FROM range(\(rows)) r(i)
            """)
    }
    try verify(reference, "INSERT … SELECT")

    let columnar = try freshDatabase("appender-columns")
    let appendColumns = try measure("Hangar Appender, columns (append(columns:))", rows: rows) {
        let appender = try columnar.appender(table: "t")
        let batch = DataChunk.capacity * 16
        var start = 0
        while start < rows {
            let range = start..<min(start + batch, rows)
            try appender.append(columns: [
                .int64s(range.map { Int64($0) }),
                .int32s(range.map { Int32($0 % 1000) }),
                .doubles(range.map { Double($0) * 0.5 }),
                .strings(range.map { "repository-\($0)" }),
                .booleans(range.map { $0 % 2 == 0 }),
                .timestamps(range.map { DuckDBTimestamp(microseconds: 1_577_836_800_000_000 + Int64($0)) }),
                .int64s(range.map { Int64($0 * 3) }),
                .doubles(range.map { Double($0) / 7 }),
                .strings(range.map { "owner-\($0 % 5000)" }),
                .int32s(range.map { Int32($0 % 100) }),
            ])
            start = range.upperBound
        }
        try appender.close()
    }
    try verify(columnar, "appender columns")

    let rowWise = try freshDatabase("appender-rows")
    let appendRows = try measure("Hangar Appender, rows (append(_:))", rows: rows) {
        let appender = try rowWise.appender(table: "t")
        for i in 0..<rows {
            try appender.append([
                .bigint(Int64(i)), .integer(Int32(i % 1000)), .double(Double(i) * 0.5), .varchar("repository-\(i)"),
                .boolean(i % 2 == 0), .timestamp(DuckDBTimestamp(microseconds: 1_577_836_800_000_000 + Int64(i))),
                .bigint(Int64(i * 3)), .double(Double(i) / 7), .varchar("owner-\(i % 5000)"), .integer(Int32(i % 100)),
            ])
        }
        try appender.close()
    }
    try verify(rowWise, "appender rows")

    print(pad("workload", 48) + pad("seconds", 10, right: true) + pad("rows/s", 14, right: true) + pad("vs DuckDB", 11, right: true))
    for m in [insertSelect, appendColumns, appendRows] {
        let ratio = m.rowsPerSecond / insertSelect.rowsPerSecond
        print(pad(m.workload, 48) + pad(String(format: "%.3f", m.seconds), 10, right: true)
              + pad(String(format: "%.0f", m.rowsPerSecond), 14, right: true) + pad(String(format: "%.2fx", ratio), 11, right: true))
    }
    let target = appendColumns.rowsPerSecond / insertSelect.rowsPerSecond
    print("")
    print("appender (columns) reaches \(String(format: "%.0f%%", target * 100)) of DuckDB's INSERT … SELECT; target: at least 33% — \(target >= 1.0 / 3 ? "met" : "MISSED")")
    for name in ["insert-select", "appender-columns", "appender-rows"] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-bench-\(getpid())-\(name).duckdb").path
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".wal")
    }
}

// HangarBench [all | appender | ingest | schedules | flights | control | guide | serve | dlt]; `flights`, `control` and `serve` need the `hangar` binary and the
// FlightKit SDK beside HangarBench (HANGAR_BENCH_FLIGHT_RUNS, default 20); `guide` needs `hangar` and GitHubReplay beside it
// (HANGAR_BENCH_GUIDE_RUNS, default 5); `dlt` compares with dlt 1.27.2 (see DltComparison.swift
// for its knobs: HANGAR_BENCH_RECORDS, HANGAR_BENCH_BIG_RECORDS, HANGAR_BENCH_DLT_WORKLOADS).
// `hangar-incremental` is workload 3's Hangar side, which `dlt` runs as a child process.
let selected = CommandLine.arguments.dropFirst().first ?? "all"
do {
    if selected == "hangar-incremental" {
        try HangarIncrementalWorkload.main(Array(CommandLine.arguments.dropFirst(2)))
        exit(0)
    }
    guard ["all", "appender", "ingest", "schedules", "flights", "control", "lake", "guide", "serve", "dlt"].contains(selected) else {
        throw BenchFailure("unknown benchmark \(selected); choose all, appender, ingest, schedules, flights, control, lake, guide, serve or dlt")
    }
    print("Hangar benchmarks — DuckDB \(Database.libraryVersion), \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print("")
    if selected == "all" || selected == "appender" { try appenderBenchmark() }
    if selected == "all" { print("") }
    if selected == "all" || selected == "ingest" { try IngestBenchmark().run() }
    if selected == "all" { print("") }
    if selected == "all" || selected == "schedules" { try ScheduleBenchmark().run() }
    if selected == "all" { print("") }
    if selected == "all" || selected == "flights" { try FlightsBenchmark().run() }
    if selected == "all" { print("") }
    if selected == "all" || selected == "control" { try ControlPlaneBenchmark().run() }
    if selected == "all" || selected == "lake" { try LakeBenchmark().run() }
    if selected == "all" { print("") }
    if selected == "all" || selected == "guide" { try GuideFlightBenchmark().run() }
    if selected == "all" { print("") }
    if selected == "all" || selected == "serve" { try await ServeLoadBenchmark().run() }
    if selected == "all" { print("") }
    if selected == "all" || selected == "dlt" { try DltComparison().run() }
} catch {
    FileHandle.standardError.write(Data("bench failed: \(error)\n".utf8))
    exit(1)
}
