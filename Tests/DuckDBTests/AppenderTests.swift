import DuckDB
import Foundation
import HangarTestSupport
import Testing

struct AppenderTests {
    @Test(.fullRunOnly) func oneMillionRowsAppendRowByRow() throws {
        let db = try TestDatabase()
        let connection = try db.connect()
        try connection.execute("CREATE TABLE t (id BIGINT, name VARCHAR, score DOUBLE, ok BOOLEAN)")
        let appender = try connection.appender(table: "t")
        for i in 0..<1_000_000 {
            try appender.append(i, i % 10 == 0 ? nil : "name \(i)", Double(i) / 2, i % 2 == 0)
        }
        try appender.close()
        let row = try #require(try connection.query(
            "SELECT count(*), sum(id), count(name), sum(score), count(*) FILTER (ok) FROM t").next())
        #expect(row.values == [.bigint(1_000_000), .hugeint(499_999_500_000), .bigint(900_000), .double(249_999_750_000), .bigint(500_000)])
        #expect(try connection.scalar("SELECT name FROM t WHERE id = 999999", as: String.self) == "name 999999")
    }

    @Test func columnsAppendInBulkAcrossChunkBoundaries() throws {
        let connection = try Database().connect()
        try connection.execute("CREATE TABLE t (a INTEGER, b BIGINT, c DOUBLE, d VARCHAR, e BOOLEAN, f TIMESTAMP, g SMALLINT)")
        let appender = try connection.appender(table: "t")
        let n = 5000
        try appender.append(columns: [
            .int32s((0..<n).map { Int32($0) }),
            .int64s((0..<n).map { $0 % 7 == 0 ? nil : Int64($0) }),
            .doubles((0..<n).map { Double($0) * 0.5 }),
            .strings((0..<n).map { $0 % 3 == 0 ? nil : "value number \($0)" }),
            .booleans((0..<n).map { $0 % 2 == 0 }),
            .timestamps((0..<n).map { DuckDBTimestamp(microseconds: Int64($0) * 1_000_000) }),
            .int64s((0..<n).map { Int64($0 % 100) }),  // converted into SMALLINT
        ])
        try appender.append(columns: [.int32s([nil]), .int64s([nil]), .doubles([nil]), .strings([nil]), .booleans([nil]), .timestamps([nil]), .int64s([nil])])
        try appender.close()
        let row = try #require(try connection.query(
            "SELECT count(*), count(b), sum(c), count(d), max(d), max(f), sum(g), count(*) FILTER (a IS NULL AND g IS NULL) FROM t").next())
        #expect(row[0] == .bigint(5001))
        #expect(row[1] == .bigint(Int64(n - (n + 6) / 7)))
        #expect(row[2] == .double(Double((0..<n).reduce(0, +)) * 0.5))
        #expect(row[3] == .bigint(Int64(n - (n + 2) / 3)))
        #expect(row[4] == .varchar("value number 998"))
        #expect(row[5] == .timestamp(DuckDBTimestamp(microseconds: 4999_000_000)))
        #expect(row[6] == .hugeint(Int128((0..<n).map { $0 % 100 }.reduce(0, +))))
        #expect(row[7] == .bigint(1))
    }

    /// Text held in one buffer goes in as the strings it holds: NULLs, empty strings, multibyte
    /// text, and a column whose last values were dropped.
    @Test func utf8ColumnsAppendTheirStrings() throws {
        var column = UTF8Column()
        let strings: [String?] = (0..<3000).map { $0 % 4 == 0 ? nil : $0 % 4 == 1 ? "" : "värde \($0) " + String(repeating: "ü", count: $0 % 30) }
        for string in strings { column.append(string) }
        for extra in ["dropped", "also dropped"] { column.append(extra) }
        column.removeLast(2)
        #expect(column.count == strings.count && column.strings == strings)
        #expect(column == UTF8Column(strings))
        #expect(column.byteCount(of: 0..<4) == "värde 2 üü".utf8.count + "värde 3 üüü".utf8.count)
        #expect(column.byteCount(of: 4..<5) == 0 && column.byteCount(of: 3..<3) == 0)

        let connection = try Database().connect()
        try connection.execute("CREATE TABLE t (id INTEGER, s VARCHAR)")
        let appender = try connection.appender(table: "t")
        try appender.append(columns: [.int32s(strings.indices.map(Int32.init)), .utf8(column)])
        try appender.close()
        let stored = try connection.query("SELECT s FROM t ORDER BY id").all().map { $0.values[0] }
        #expect(stored == strings.map { $0.map(DuckDBValue.varchar) ?? .null })
    }

    @Test func nestedValuesAppend() throws {
        let connection = try Database().connect()
        try connection.execute("CREATE TABLE t (tags VARCHAR[], owner STRUCT(login VARCHAR, id BIGINT), attrs MAP(VARCHAR, INTEGER), k ENUM('a', 'b'))")
        let appender = try connection.appender(table: "t")
        for i in 0..<3000 {
            try appender.append([
                .list((0..<(i % 4)).map { .varchar("tag-\($0)-of-row-\(i)") }),
                i % 5 == 0 ? .null : .structure([DuckDBStructField("login", .varchar("user\(i)")), DuckDBStructField("id", .bigint(Int64(i)))]),
                .map([DuckDBMapEntry(.varchar("n"), .integer(Int32(i)))]),
                .enumeration(i % 2 == 0 ? "a" : "b"),
            ])
        }
        try appender.close()
        let row = try #require(try connection.query(
            "SELECT sum(len(tags)), count(owner), sum(owner.id), sum(attrs['n']), count(*) FILTER (k = 'b') FROM t").next())
        #expect(row.values == [.hugeint(4500), .bigint(2400), .hugeint(Int128((0..<3000).filter { $0 % 5 != 0 }.reduce(0, +))),
                               .hugeint(Int128((0..<3000).reduce(0, +))), .bigint(1500)])
        #expect(try connection.query("SELECT tags, owner FROM t WHERE owner.id = 2999").next()?.values ==
                [.list([.varchar("tag-0-of-row-2999"), .varchar("tag-1-of-row-2999"), .varchar("tag-2-of-row-2999")]),
                 .structure([DuckDBStructField("login", .varchar("user2999")), DuckDBStructField("id", .bigint(2999))])])
    }

    @Test func errorsNameTheTableAndKeepDuckDBsText() throws {
        let connection = try Database().connect()
        let missing = #expect(throws: DuckDBError.self) { try connection.appender(table: "nope") }
        #expect(missing?.message.contains("nope") == true)

        try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL)")
        let appender = try connection.appender(table: "t")
        let width = #expect(throws: DuckDBError.self) { try appender.append(1) }
        #expect(width?.message == "t has 2 columns, the row has 1 values")
        let type = #expect(throws: DuckDBError.self) { try appender.append("not a number", "x") }
        #expect(type?.message.contains("t column 1") == true)
        try appender.append(1, "a")
        try appender.append(1, "b")
        let duplicate = #expect(throws: DuckDBError.self) { try appender.close() }
        #expect(duplicate?.kind == .constraint)
        #expect(duplicate?.message.contains("constraint violation: duplicate key \"1\"") == true, "\(String(describing: duplicate))")
        #expect(try connection.scalar("SELECT count(*) FROM t", as: Int.self) == 0)
    }

    @Test func decimalsRoundLikeDuckDBAndOverflowIsAnError() throws {
        let connection = try Database().connect()
        try connection.execute("CREATE TABLE t (d DECIMAL(10,3)); CREATE TABLE w (d DECIMAL(38,9))")
        let appender = try connection.appender(table: "t")
        for text in ["1.2345", "-1.2345", "1.2344", "7"] { try appender.append([.decimal(try DuckDBDecimal(exactly: text))]) }
        try appender.close()
        let stored = try connection.query("SELECT d::VARCHAR FROM t").all().map { try $0.get(0, as: String.self) }
        #expect(stored == ["1.235", "-1.235", "1.234", "7.000"])
        let cast = try connection.query("SELECT d::DECIMAL(10,3)::VARCHAR FROM (VALUES (1.2345), (-1.2345)) v(d)").all().map { try $0.get(0, as: String.self) }
        #expect(Array(stored.prefix(2)) == cast)

        let wide = try connection.appender(table: "w")
        let huge = try DuckDBDecimal(exactly: String(repeating: "9", count: 38))
        let error = #expect(throws: DuckDBError.self) { try wide.append([.decimal(huge)]) }
        #expect(error?.kind == .outOfRange)
    }

    @Test func anAppenderWritesIntoAChosenSchema() throws {
        let connection = try Database().connect()
        try connection.execute("CREATE SCHEMA flights_demo; CREATE TABLE flights_demo.runs (id INTEGER)")
        let appender = try connection.appender(table: "runs", schema: "flights_demo")
        try appender.append(1)
        try appender.flush()
        #expect(try connection.scalar("SELECT count(*) FROM flights_demo.runs", as: Int.self) == 1)
        try appender.close()
        #expect(throws: DuckDBError.self) { try appender.append(2) }
    }
}
