import Foundation
import HangarTestSupport
import Testing

/// One invocation is one DuckDB session: statements run in order on one connection, from
/// flags, files or standard input, and the first error ends a non-interactive run.
@Suite struct SessionTests {
    @Test func variableSetInOneCommandIsSeenByTheNext() throws {
        let output = try HangarProcess.run(["sql", "--csv", "-c", "SET VARIABLE x = (SELECT 42)", "-c", "SELECT getvariable('x')"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "getvariable('x')\r\n42\r\n")
    }

    @Test func everyStatementOfOneCommandPrintsItsResult() throws {
        let output = try HangarProcess.run(["sql", "--csv", "-c", "SELECT 1 AS a; SELECT 2 AS b;"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "a\r\n1\r\nb\r\n2\r\n")
    }

    @Test func semicolonInsideDollarQuotesDoesNotEndTheStatement() throws {
        let output = try HangarProcess.run(["sql", "--csv", "-c", "SELECT $tag$a;b$tag$ AS s", "-c", "SELECT $$c;d$$ AS t"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "s\r\na;b\r\nt\r\nc;d\r\n")
    }

    @Test func scriptOnStandardInputBuildsADatabaseFileThatALaterRunReads() throws {
        let scratch = try ScratchDirectory()
        let database = scratch.path("flights.duckdb")
        let script = """
            CREATE TABLE flights (id INTEGER, origin VARCHAR);
            -- a comment; with a semicolon
            INSERT INTO flights VALUES (1, 'AMS'), (2, 'a;b');
            INSERT INTO flights VALUES (3, NULL);
            SELECT count(*) AS loaded FROM flights
            """
        let load = try HangarProcess.run(["sql", database, "--csv"], input: script)
        #expect(load.status == 0, "\(load.stderr)")
        #expect(load.stdout == "Count\r\n2\r\nCount\r\n1\r\nloaded\r\n3\r\n")

        let read = try HangarProcess.run(["sql", database, "--read-only", "--json", "-c", "SELECT * FROM flights ORDER BY id"])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout == "[{\"id\":1,\"origin\":\"AMS\"},\n{\"id\":2,\"origin\":\"a;b\"},\n{\"id\":3,\"origin\":null}]\n")
    }

    @Test func scriptFileRunsAndDashMeansStandardInput() throws {
        let scratch = try ScratchDirectory()
        let file = scratch.path("script.sql")
        try Data("SELECT 7 AS seven;\nSELECT 8 AS eight;\n".utf8).write(to: URL(fileURLWithPath: file))
        let fromFile = try HangarProcess.run(["sql", "--csv", "-f", file])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stdout == "seven\r\n7\r\neight\r\n8\r\n")

        let fromStdin = try HangarProcess.run(["sql", "--csv", "-f", "-"], input: "SELECT 9 AS nine")
        #expect(fromStdin.stdout == "nine\r\n9\r\n")
    }

    @Test func errorExitsWithStatusOneAndDuckDBsMessage() throws {
        let output = try HangarProcess.run(["sql", "--csv", "-c", "SELECT 1 AS before", "-c", "SELECT * FROM x", "-c", "SELECT 3 AS after"])
        #expect(output.status == 1)
        #expect(output.stderr.hasPrefix("Error: Catalog Error: Table with name x does not exist!"), "got \(output.stderr)")
        #expect(output.stdout == "before\r\n1\r\n")
    }

    @Test func scriptStopsAtItsFirstError() throws {
        let output = try HangarProcess.run(["sql", "--csv"], input: "SELECT 1 AS a;\nSELEC 2;\nSELECT 3 AS c;\n")
        #expect(output.status == 1)
        #expect(output.stderr.hasPrefix("Error: Parser Error: syntax error at or near \"SELEC\""), "got \(output.stderr)")
        #expect(output.stdout == "a\r\n1\r\n")
    }

    @Test func missingScriptFileIsAnError() throws {
        let output = try HangarProcess.run(["sql", "-f", "/nonexistent/hangar-script.sql"])
        #expect(output.status == 1)
        #expect(output.stderr == "Error: cannot read the SQL file /nonexistent/hangar-script.sql\n")
    }

    @Test func readOnlyDatabaseRefusesWrites() throws {
        let scratch = try ScratchDirectory()
        let database = scratch.path("ro.duckdb")
        let create = try HangarProcess.run(["sql", database, "-c", "CREATE TABLE t (a INTEGER)"])
        #expect(create.status == 0, "\(create.stderr)")
        let write = try HangarProcess.run(["sql", database, "--read-only", "-c", "INSERT INTO t VALUES (1)"])
        #expect(write.status == 1)
        #expect(write.stderr.contains("read-only"), "got \(write.stderr)")
    }
}
