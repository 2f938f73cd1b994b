import DuckDB
import Foundation
import Testing

/// Every supported type: bound as a parameter, stored in a real file, read back unchanged.
struct TypeRoundTripTests {
    static let cases: [(type: String, value: DuckDBValue)] = [
        ("BOOLEAN", .boolean(true)),
        ("TINYINT", .tinyint(-128)),
        ("SMALLINT", .smallint(32767)),
        ("INTEGER", .integer(-2_147_483_648)),
        ("BIGINT", .bigint(Int64.max)),
        ("HUGEINT", .hugeint(Int128(Int64.min) * 1_000_000_007)),
        ("UTINYINT", .utinyint(255)),
        ("USMALLINT", .usmallint(65535)),
        ("UINTEGER", .uinteger(4_294_967_295)),
        ("UBIGINT", .ubigint(UInt64.max)),
        ("UHUGEINT", .uhugeint(UInt128(UInt64.max) * 3)),
        ("FLOAT", .float(1.5)),
        ("DOUBLE", .double(-2.25e300)),
        ("DECIMAL(4,1)", .decimal(DuckDBDecimal(value: -1234, width: 4, scale: 1))),
        ("DECIMAL(9,3)", .decimal(DuckDBDecimal(value: 123_456_789, width: 9, scale: 3))),
        ("DECIMAL(18,6)", .decimal(DuckDBDecimal(value: 123_456_789_012_345_678, width: 18, scale: 6))),
        ("DECIMAL(38,10)", .decimal(DuckDBDecimal(value: Int128(Int64.max) * 1_000_000, width: 38, scale: 10))),
        ("VARCHAR", .varchar("héllo, wörld — a string longer than twelve bytes")),
        ("VARCHAR", .varchar("short")),
        ("BLOB", .blob(Data([0, 1, 2, 255, 0x5C, 0x27]))),
        ("DATE", .date(DuckDBDate(year: 2026, month: 11, day: 25))),
        ("DATE", .date(DuckDBDate(year: 1969, month: 12, day: 31))),
        ("TIME", .time(DuckDBTime(hour: 23, minute: 59, second: 58, microsecond: 123_456))),
        ("TIMESTAMP", .timestamp(DuckDBTimestamp(microseconds: 1_764_000_000_123_456))),
        ("TIMESTAMPTZ", .timestampTZ(DuckDBTimestamp(microseconds: -86_400_000_001))),
        ("TIMESTAMP_NS", .timestampNanoseconds(1_764_000_000_123_456_789)),
        ("INTERVAL", .interval(DuckDBInterval(months: 14, days: -3, microseconds: 5_000_001))),
        ("UUID", .uuid(UUID(uuidString: "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6")!)),
        ("UUID", .uuid(UUID(uuidString: "00000000-0000-0000-0000-000000000001")!)),
        ("ENUM('queued', 'running', 'done')", .enumeration("running")),
        ("JSON", .json(#"{"a": [1, 2, {"b": null}]}"#)),
        ("BIGINT[]", .list([.bigint(1), .null, .bigint(3)])),
        ("VARCHAR[]", .list([])),
        ("VARCHAR[][]", .list([.list([.varchar("a")]), .list([.varchar("b"), .varchar("c long enough to spill")])])),
        ("INTEGER[3]", .array([.integer(1), .integer(2), .integer(3)])),
        ("STRUCT(id BIGINT, name VARCHAR, tags VARCHAR[])",
         .structure([DuckDBStructField("id", .bigint(7)), DuckDBStructField("name", .varchar("x")),
                     DuckDBStructField("tags", .list([.varchar("t")]))])),
        ("MAP(VARCHAR, BIGINT)", .map([DuckDBMapEntry(.varchar("a"), .bigint(1)), DuckDBMapEntry(.varchar("b"), .null)])),
    ]

    @Test(arguments: cases.indices)
    func boundValueIsStoredAndReadBack(_ index: Int) throws {
        let (type, value) = Self.cases[index]
        let db = try TestDatabase()
        let connection = try db.connect()
        try connection.execute("CREATE TABLE t (v \(type))")
        try connection.execute("INSERT INTO t VALUES (?)", .positional([value]))
        try connection.execute("INSERT INTO t VALUES (?)", .positional([.null]))
        let rows = try connection.query("SELECT v FROM t").all()
        #expect(rows.map { $0[0] } == [value, .null])
    }

    @Test func valuesSurviveReopeningTheFile() throws {
        let db = try TestDatabase()
        do {
            let connection = try Database(path: db.path + ".2").connect()
            try connection.execute("CREATE TABLE t (d DECIMAL(10,2), u UUID, l STRUCT(a INT)[])")
            try connection.execute("INSERT INTO t VALUES (12.34, 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6', [{'a': 1}])")
        }
        let rows = try Database(path: db.path + ".2").connect().query("SELECT * FROM t").all()
        #expect(rows.count == 1)
        #expect(rows[0][0] == .decimal(DuckDBDecimal(value: 1234, width: 10, scale: 2)))
        #expect(rows[0][1] == .uuid(UUID(uuidString: "f81d4fae-7dec-11d0-a765-00a0c91e6bf6")!))
        #expect(rows[0][2] == .list([.structure([DuckDBStructField("a", .integer(1))])]))
    }

    @Test func swiftTypesBindAsTheirDuckDBCounterparts() throws {
        let connection = try Database().connect()
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        let id = UUID()
        let decimal = Decimal(string: "-98765.4321")!
        let row = try #require(try connection.query(
            "SELECT ?::TIMESTAMPTZ AS instant, ?::TIMESTAMP AS wall, ? AS id, ? AS amount, ? AS bytes, ? AS n, ? AS s, ? AS flag, ? AS list, ? AS nothing, ? AS day",
            [date, date, id, decimal, Data("raw".utf8), Int32(-5), "text", false, [1, 2, 3], Int?.none, DuckDBDate(year: 2000, month: 2, day: 29)]).next())
        #expect(try row.get("instant", as: Date.self) == date)
        #expect(try row.get("wall", as: Date.self) == date)
        #expect(try row.get("id", as: UUID.self) == id)
        #expect(try row.get("amount", as: Decimal.self) == decimal)
        #expect(row["amount"] == .decimal(DuckDBDecimal(value: -987_654_321, width: 9, scale: 4)))
        #expect(try row.get("bytes", as: Data.self) == Data("raw".utf8))
        #expect(try row.get("n", as: Int.self) == -5)
        #expect(try row.get("s", as: String.self) == "text")
        #expect(try row.get("flag", as: Bool.self) == false)
        #expect(try row.get("list", as: [Int].self) == [1, 2, 3])
        #expect(try row.get("nothing", as: Int?.self) == nil)
        #expect(try row.get("day", as: DuckDBDate.self).description == "2000-02-29")
    }

    @Test func namedParametersBindByName() throws {
        let connection = try Database().connect()
        let row = try #require(try connection.query("SELECT $b - $a AS d, $tags AS tags", ["a": 1, "b": 10, "tags": ["x", "y"]]).next())
        #expect(row["d"] == .bigint(9))
        #expect(row["tags"] == .list([.varchar("x"), .varchar("y")]))
    }

    @Test func aMissingOrUnknownParameterIsAClearError() throws {
        let connection = try Database().connect()
        let unknown = #expect(throws: DuckDBError.self) { try connection.query("SELECT $a", ["b": 1]) }
        #expect(unknown?.message.contains("no parameter $b") == true)
        let missing = #expect(throws: DuckDBError.self) { try connection.query("SELECT ?, ?", [1]) }
        #expect(missing?.message.contains("takes 2 parameters, 1 were given") == true)
    }

    @Test func temporalValuesPrintLikeDuckDB() throws {
        let connection = try Database().connect()
        let row = try #require(try connection.query(
            "SELECT DATE '1900-03-01' d, TIMESTAMP '2024-02-29 13:04:05.5' ts, INTERVAL '1 year 2 months 3 days 04:05:06' i, 1.50::DECIMAL(5,2) m, -0.05::DECIMAL(5,2) n").next())
        #expect(row["d"]?.description == "1900-03-01")
        #expect(row["ts"]?.description == "2024-02-29 13:04:05.500000")
        #expect(row["i"]?.description == "1 year 2 months 3 days 04:05:06")
        #expect(row["m"]?.description == "1.50")
        #expect(row["n"]?.description == "-0.05")
    }
}
