import DuckDB
import Foundation
import HangarTestSupport
import Testing

struct StreamingTests {
    /// Runs in a child process (the `BindingWorkload` tool) so that memory used by tests running
    /// in parallel cannot blur the measurement.
    @Test(.fullRunOnly) func tenMillionRowsStreamInChunksWithBoundedMemory() throws {
        let output = try runTool("BindingWorkload", arguments: ["stream", "10000000"])
        let fields = Dictionary(uniqueKeysWithValues: output.split(separator: " ").compactMap { pair -> (String, Int)? in
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = Int(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
            return (String(parts[0]), value)
        })
        #expect(fields["rows"] == 10_000_000, "\(output)")
        #expect(fields["sum"] == 49_999_995_000_000)
        #expect((fields["chunks"] ?? 0) >= 10_000_000 / DataChunk.capacity)
        #expect((fields["labels_checked"] ?? 0) > 10)
        // Materialised, the labels alone would take well over 300 MB.
        let growth = fields["rss_growth_bytes"] ?? .max
        #expect(growth < 150_000_000, "resident memory grew by \(growth) bytes")
    }

    @Test func multiStatementTextRunsInOrderAndReturnsTheLastResult() throws {
        let connection = try Database().connect()
        let value = try connection.scalar("SET VARIABLE x = (SELECT 42); SELECT getvariable('x')", as: Int.self)
        #expect(value == 42)
        let rows = try connection.query("CREATE TABLE t AS SELECT 1 AS a; INSERT INTO t VALUES (2); SELECT a FROM t ORDER BY a").all()
        #expect(rows.map { $0[0] } == [.integer(1), .integer(2)])
    }

    @Test func resultsSayWhetherTheyHoldRows() throws {
        let connection = try Database().connect()
        #expect(try connection.query("CREATE TABLE t (x INTEGER)").kind == .nothing)
        #expect(try connection.query("SET threads = 1").kind == .nothing)
        #expect(try connection.query("INSERT INTO t VALUES (1), (2)").kind == .changedRows)
        #expect(try connection.query("SELECT * FROM t WHERE x > 5").kind == .rows)
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
