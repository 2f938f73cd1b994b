import DuckDB
import Foundation
import Testing

struct StreamingTests {
    @Test func tenMillionRowsStreamInChunksWithBoundedMemory() throws {
        let connection = try Database(configuration: Configuration(threads: 2)).connect()
        let result = try connection.query("SELECT i, 'row number ' || i AS label FROM range(10000000) t(i)")
        var rows = 0, sum = 0, chunks = 0
        var peak = 0
        let before = residentMemoryBytes()
        while let chunk = try result.nextChunk() {
            #expect(chunk.count <= DataChunk.capacity)
            for row in 0..<chunk.count { sum &+= Int(chunk[0].int64(at: row)!) }
            if chunks % 500 == 0 {
                #expect(chunk[1].string(at: 0) == "row number \(chunk[0].int64(at: 0)!)")
                peak = max(peak, residentMemoryBytes())
            }
            rows += chunk.count
            chunks += 1
        }
        #expect(rows == 10_000_000)
        #expect(sum == 49_999_995_000_000)
        // Materialised, the labels alone would take well over 300 MB.
        #expect(peak - before < 150_000_000, "resident memory grew by \(peak - before) bytes")
    }

    @Test func multiStatementTextRunsInOrderAndReturnsTheLastResult() throws {
        let connection = try Database().connect()
        let value = try connection.scalar("SET VARIABLE x = (SELECT 42); SELECT getvariable('x')", as: Int.self)
        #expect(value == 42)
        let rows = try connection.query("CREATE TABLE t AS SELECT 1 AS a; INSERT INTO t VALUES (2); SELECT a FROM t ORDER BY a").all()
        #expect(rows.map { $0[0] } == [.integer(1), .integer(2)])
    }

    @Test func resultsDescribeTheirColumns() throws {
        let connection = try Database().connect()
        let result = try connection.query("SELECT 1::TINYINT AS a, 'x' AS b, [1.5] AS c, {'k': DATE '2020-01-01'} AS d, '{}'::JSON AS e")
        #expect(result.columnNames.names == ["a", "b", "c", "d", "e"])
        #expect(result.columnTypes == [.tinyint, .varchar, .list(.decimal(width: 2, scale: 1)), .structure([("k", .date)]), .json])
        #expect(result.columnTypes.map(\.description) == ["TINYINT", "VARCHAR", "DECIMAL(2,1)[]", "STRUCT(\"k\" DATE)", "JSON"])
    }

    struct Repository: Decodable, Equatable {
        struct Owner: Decodable, Equatable { let login: String; let id: Int }
        let name: String
        let stars: Int
        let topics: [String]
        let owner: Owner
        let license: String?
        let pushedAt: Date
    }

    @Test func rowsDecodeIntoDecodableTypes() throws {
        let connection = try Database().connect()
        let repos = try connection.query("""
            SELECT * FROM (VALUES
              ('duckdb', 30000, ['sql', 'olap'], {'login': 'duckdb', 'id': 1}, 'MIT', TIMESTAMPTZ '2026-01-02 03:04:05+00'),
              ('dlt', 4000, [], {'login': 'dlt-hub', 'id': 2}, NULL, TIMESTAMPTZ '2026-02-03 04:05:06+00'))
            AS t(name, stars, topics, owner, license, pushedAt)
            """).decode(Repository.self)
        #expect(repos == [
            Repository(name: "duckdb", stars: 30000, topics: ["sql", "olap"], owner: .init(login: "duckdb", id: 1), license: "MIT",
                       pushedAt: Date(timeIntervalSince1970: 1_767_323_045)),
            Repository(name: "dlt", stars: 4000, topics: [], owner: .init(login: "dlt-hub", id: 2), license: nil,
                       pushedAt: Date(timeIntervalSince1970: 1_770_091_506)),
        ])
    }

    @Test func decodingAMissingColumnNamesIt() throws {
        let connection = try Database().connect()
        let error = #expect(throws: DecodingError.self) { try connection.query("SELECT 'x' AS name").decode(Repository.self) }
        #expect("\(String(describing: error))".contains("stars"))
    }
}
