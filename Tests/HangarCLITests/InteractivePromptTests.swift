import HangarTestSupport
import Testing

/// The prompt, driven through a pipe with the hidden `--interactive` flag. Its statement
/// splitting is the same as for scripts, so these also test where statements end.
@Suite struct InteractivePromptTests {
    private func prompt(_ lines: String) throws -> ProgramOutput {
        try HangarProcess.run(["sql", "--interactive", "--csv"], input: lines)
    }

    @Test func statementsRunWhenCompleteAndQuitEndsTheSession() throws {
        let output = try prompt("""
            SELECT 1 AS one,
              2 AS two;
            SELECT 'a;b' AS s; -- a comment; with a semicolon
            SELECT /* ; */ 3 AS three;
            SELECT $$x;
            y$$ AS d;
            .quit
            SELECT 5 AS five;

            """)
        #expect(output.status == 0)
        #expect(output.stderr == "")
        // Each line is preceded by its prompt: "D " for a new statement, "· " to continue one.
        #expect(output.stdout == "D · one,two\r\n1,2\r\nD s\r\na;b\r\nD three\r\n3\r\nD · d\r\n\"x;\ny\"\r\nD ")
    }

    @Test func quotedIdentifiersEscapeStringsAndTaggedDollarQuotesKeepSemicolons() throws {
        let output = try prompt(#"""
            SELECT 1 AS "x;y";
            SELECT E'it\'s;' AS e;
            SELECT $tag$ $$;$$ $tag$ AS t;
            /* a comment
               spanning lines; */ SELECT 'multi
            line;' AS m;

            """#)
        #expect(output.status == 0)
        #expect(output.stderr == "")
        #expect(output.stdout == "D x;y\r\n1\r\nD e\r\nit's;\r\nD t\r\n $$;$$ \r\nD · · m\r\n\"multi\nline;\"\r\nD ")
    }

    @Test func anErrorIsReportedAndTheSessionGoesOn() throws {
        let output = try prompt("SELECT * FROM missing;\nSELECT 4 AS four;\n")
        #expect(output.status == 0)
        #expect(output.stderr.hasPrefix("Error: Catalog Error: Table with name missing does not exist!"), "got \(output.stderr)")
        #expect(output.stdout == "D D four\r\n4\r\nD ")
    }

    @Test func sessionStateCarriesFromLineToLine() throws {
        let output = try prompt("SET VARIABLE x = (SELECT 42);\nSELECT getvariable('x') AS v;\n.exit\n")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "D D v\r\n42\r\nD ")
    }

    @Test func endOfInputRunsAnUnfinishedStatement() throws {
        let output = try prompt("SELECT 6\n  AS six")
        #expect(output.status == 0, "\(output.stderr)")
        // The prompt shown before the end of input was seen is the third.
        #expect(output.stdout == "D · · six\r\n6\r\n")
    }

    @Test func unknownDotCommandIsReportedOnlyBetweenStatements() throws {
        let output = try prompt(".tables\nSELECT\n.5 AS half;\n")
        #expect(output.status == 0)
        #expect(output.stderr == "Error: unknown command .tables; only .quit and .exit are supported\n")
        #expect(output.stdout == "D D · half\r\n0.5\r\nD ")
    }
}
