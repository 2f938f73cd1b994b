import DuckDB
import Foundation

// Exercises every part of the binding once, so `make leak-check` can run it under valgrind.
// Each step fails loudly; the process exits non-zero if anything is off.

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        FileHandle.standardError.write(Data("workload check failed: \(message())\n".utf8))
        exit(2)
    }
}

func workload() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-workload-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let database = try Database(path: folder.appendingPathComponent("w.duckdb").path, configuration: Configuration(threads: 2))
    let connection = try database.connect()

    try connection.execute("""
        CREATE TABLE t (i BIGINT, s VARCHAR, d DECIMAL(18,3), u UUID, ts TIMESTAMPTZ, b BLOB, l VARCHAR[],
                        st STRUCT(a INTEGER, b VARCHAR), m MAP(VARCHAR, BIGINT), e ENUM('x', 'y'), j JSON)
        """)
    let insert = try connection.prepare("INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
    for i in 0..<200 {
        try insert.execute(.positional([
            .bigint(Int64(i)), .varchar("a string long enough to leave the inline buffer \(i)"),
            .decimal(DuckDBDecimal(value: Int128(i) * 1001, width: 18, scale: 3)), .uuid(UUID()),
            .timestampTZ(DuckDBTimestamp(Date())), .blob(Data(repeating: UInt8(i % 256), count: 40)),
            .list([.varchar("tag \(i)"), .null]), .structure([DuckDBStructField("a", .integer(Int32(i))), DuckDBStructField("b", .varchar("b\(i)"))]),
            .map([DuckDBMapEntry(.varchar("k"), .bigint(Int64(i)))]), .enumeration(i % 2 == 0 ? "x" : "y"), .json("{\"i\": \(i)}"),
        ]))
    }

    let appender = try connection.appender(table: "t")
    for i in 200..<5000 {
        try appender.append([.bigint(Int64(i)), .varchar("appended row \(i) with a long text"), .decimal(DuckDBDecimal(value: 5, width: 18, scale: 3)),
                             .uuid(UUID()), .null, .blob(Data([1, 2, 3])), .list([.varchar("x")]),
                             .structure([DuckDBStructField("a", .integer(1)), DuckDBStructField("b", .null)]),
                             .map([]), .enumeration("y"), .null])
    }
    try appender.close()
    try connection.execute("CREATE TABLE c (a BIGINT, b VARCHAR)")
    let columns = try connection.appender(table: "c")
    try columns.append(columns: [.int64s((0..<10000).map { Int64($0) }), .strings((0..<10000).map { "value \($0) that is not inlined" })])
    try columns.close()

    var rows = 0
    let result = try connection.query("SELECT * FROM t ORDER BY i")
    while let row = try result.next() {
        _ = row.values.map(\.description)
        rows += 1
    }
    check(rows == 5000, "read \(rows) rows")

    struct Item: Decodable { let i: Int; let s: String; let l: [String?] }
    let items = try connection.query("SELECT i, s, l FROM t WHERE i < 10").decode(Item.self)
    check(items.count == 10, "decoded \(items.count) items")

    try connection.register(TableFunction(name: "numbers", parameters: [.bigint], namedParameters: ["label": .varchar, "opts": .map(key: .varchar, value: .varchar)]) { arguments in
        let n = arguments[0].int64 ?? 0
        let label = arguments["label"]?.string ?? "n"
        return TableFunctionResult(columns: [("i", .bigint), ("label", .varchar)], rows: (0..<n).map { [.bigint($0), .varchar("\(label) number \($0)")] })
    })
    check(try connection.scalar("SELECT count(*) FROM numbers(5000, label := 'row', opts := MAP {'a': 'b'})", as: Int.self) == 5000, "table function count")
    check(throwsDuckDBError { _ = try connection.query("SELECT * FROM numbers('not a number')") }, "table function binder error")
    try connection.register(TableFunction(name: "fails") { _ in throw DuckDBError(.invalidInput, message: "refused") })
    check(throwsDuckDBError { _ = try connection.query("CALL fails()") }, "table function error")

    try connection.register(ScalarFunction(name: "twice", parameters: [.varchar], returns: .varchar) { .varchar(($0[0].string ?? "") + ($0[0].string ?? "")) })
    check(try connection.scalar("SELECT max(twice(s)) FROM t", as: String.self)?.isEmpty == false, "scalar function")

    check(throwsDuckDBError { try connection.execute("SELECT * FROM no_such_table") }, "catalog error")
    check(throwsDuckDBError { _ = try connection.query("SELECT error('mid-stream') FROM range(10)").all() }, "stream error")
    struct Abort: Error {}
    _ = try? connection.transaction { c in
        try c.execute("DELETE FROM t")
        throw Abort()
    }
    check(try connection.scalar("SELECT count(*) FROM t", as: Int.self) == 5000, "rollback")
    let interrupt = connection.interruptHandle
    interrupt.interrupt()
    _ = interrupt.progress
}

func throwsDuckDBError(_ body: () throws -> Void) -> Bool {
    do { try body() } catch is DuckDBError { return true } catch { return false }
    return false
}

/// Resident memory of this process, from /proc.
func residentMemoryBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes * 1024
}

/// Streams `rows` rows chunk by chunk and reports how far resident memory rose meanwhile. Run in
/// its own process by the streaming test, so other tests cannot disturb the measurement.
func stream(rows: Int) throws {
    let connection = try Database(configuration: Configuration(threads: 2)).connect()
    let baseline = residentMemoryBytes()
    var peak = baseline, count = 0, sum = 0, chunks = 0, labelsChecked = 0
    let result = try connection.query("SELECT i, 'row number ' || i AS label FROM range(\(rows)) t(i)")
    while let chunk = try result.nextChunk() {
        guard chunk.count <= DataChunk.capacity else { throw DuckDBError(.other, message: "chunk of \(chunk.count) rows") }
        for row in 0..<chunk.count { sum &+= Int(chunk[0].int64(at: row)!) }
        if chunks % 250 == 0 {
            guard chunk[1].string(at: 0) == "row number \(chunk[0].int64(at: 0)!)" else { throw DuckDBError(.other, message: "wrong label") }
            labelsChecked += 1
            peak = max(peak, residentMemoryBytes())
        }
        count += chunk.count
        chunks += 1
    }
    print("rows=\(count) sum=\(sum) chunks=\(chunks) labels_checked=\(labelsChecked) rss_growth_bytes=\(peak - baseline)")
}

do {
    let arguments = CommandLine.arguments.dropFirst()
    if arguments.first == "stream" {
        try stream(rows: Int(arguments.dropFirst().first ?? "") ?? 10_000_000)
    } else {
        try workload()
        print("binding workload: ok")
    }
} catch {
    FileHandle.standardError.write(Data("binding workload failed: \(error)\n".utf8))
    exit(1)
}
