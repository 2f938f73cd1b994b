import DuckDB
import Foundation
import Testing

struct ErrorTests {
    @Test func duckDBMessagesAreKeptWithTheirKindAndSQL() throws {
        let connection = try Database().connect()
        let catalog = #expect(throws: DuckDBError.self) { try connection.execute("SELECT * FROM missing_table") }
        #expect(catalog?.kind == .catalog)
        #expect(catalog?.message.hasPrefix("Catalog Error: Table with name missing_table does not exist!") == true)
        #expect(catalog?.sql == "SELECT * FROM missing_table")

        let parser = #expect(throws: DuckDBError.self) { try connection.query("SELEC 1") }
        #expect(parser?.kind == .parser)
        #expect(parser?.message.contains("syntax error at or near \"SELEC\"") == true)

        try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        try connection.execute("INSERT INTO t VALUES (1)")
        let constraint = #expect(throws: DuckDBError.self) { try connection.execute("INSERT INTO t VALUES (1)") }
        #expect(constraint?.kind == .constraint)
        #expect(constraint?.message.contains("Duplicate key \"id: 1\"") == true)

        let conversion = #expect(throws: DuckDBError.self) { try connection.query("SELECT 'x'::INTEGER").all() }
        #expect(conversion?.kind == .conversion)
        #expect(conversion?.message.contains("Could not convert string 'x' to INT32") == true)
    }

    @Test func anErrorInTheMiddleOfAStreamIsThrownByTheRead() throws {
        let connection = try Database().connect()
        var rowsRead = 0
        let error = #expect(throws: DuckDBError.self) {
            let result = try connection.query("SELECT CASE WHEN i < 100000 THEN i ELSE error('boom at ' || i) END FROM range(200000) t(i)")
            while try result.next() != nil { rowsRead += 1 }
        }
        #expect(rowsRead < 100_000)
        #expect(error?.message.contains("boom at") == true)
    }

    @Test func openingAnUnwritableLocationSaysWhy() throws {
        let error = #expect(throws: DuckDBError.self) { try Database(path: "/proc/hangar-cannot-write-here/x.duckdb") }
        #expect(error?.kind == .io)
        #expect(error?.message.isEmpty == false)
    }

    @Test func anInvalidSettingIsRefused() throws {
        let error = #expect(throws: DuckDBError.self) { try Database(configuration: Configuration(options: ["no_such_setting": "1"])) }
        #expect(error?.message.contains("no_such_setting") == true)
    }

    @Test func configurationIsApplied() throws {
        let connection = try Database(configuration: Configuration(threads: 1, memoryLimit: "256MB")).connect()
        #expect(try connection.scalar("SELECT current_setting('threads')", as: Int.self) == 1)
        #expect(try connection.scalar("SELECT current_setting('memory_limit')", as: String.self) == "244.1 MiB")
    }
}

struct TransactionTests {
    struct Abort: Error {}

    @Test func aThrowingClosureRollsBackEverything() throws {
        let db = try TestDatabase()
        let connection = try db.connect()
        try connection.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: Abort.self) {
            try connection.transaction { c in
                try c.execute("INSERT INTO t VALUES (1), (2)")
                try c.execute("CREATE TABLE u (y INTEGER)")
                throw Abort()
            }
        }
        #expect(try connection.scalar("SELECT count(*) FROM t", as: Int.self) == 0)
        #expect(throws: DuckDBError.self) { try connection.execute("SELECT * FROM u") }
        // The connection is usable again, outside any transaction.
        try connection.execute("INSERT INTO t VALUES (3)")
        #expect(try connection.scalar("SELECT sum(x) FROM t", as: Int.self) == 3)
    }

    @Test func aReturningClosureCommitsAndIsSeenByOtherConnections() throws {
        let db = try TestDatabase()
        let writer = try db.connect()
        let reader = try db.connect()
        try writer.execute("CREATE TABLE t (x INTEGER)")
        let inserted = try writer.transaction { c in
            try c.execute("INSERT INTO t VALUES (?), (?)", [1, 2])
        }
        #expect(inserted == 2)
        #expect(try reader.scalar("SELECT count(*) FROM t", as: Int.self) == 2)
    }

    @Test func aFailingStatementInsideRollsBackTheEarlierOnes() throws {
        let connection = try Database().connect()
        try connection.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        #expect(throws: DuckDBError.self) {
            try connection.transaction { c in
                try c.execute("INSERT INTO t VALUES (1)")
                try c.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(try connection.scalar("SELECT count(*) FROM t", as: Int.self) == 0)
    }
}
