import Foundation
import HangarTestSupport
import Testing

/// The interactive `hangar sql` as a person uses it: the real binary on a pseudo-terminal (not a
/// pipe), keys typed one after another, and what it draws read back.
@Suite struct SQLShellTests {
    private static let up = "\u{1B}[A"
    private static let ctrlC = "\u{03}"
    private static let ctrlD = "\u{04}"

    /// `hangar sql ARGUMENTS --home HOME` at a terminal, past its greeting.
    private func shell(_ arguments: [String] = [], home: String, in scratch: ScratchDirectory, columns: Int = 100) throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(hangar: ["sql"] + arguments + ["--home", home], in: scratch.url, columns: columns)
        try terminal.expect("to leave.")
        try terminal.expect("D ")
        return terminal
    }

    /// The widest line of a box table drawn on the terminal, in characters.
    private static func widestTableLine(_ drawn: String) -> Int {
        drawn.split(whereSeparator: \.isNewline).filter { $0.contains("│") }
            .map { $0.trimmingCharacters(in: .whitespaces).count }.max() ?? 0
    }

    /// Whether another process could take the database's lease now (Hangar's `flock`).
    private static func leaseIsFree(_ database: String) -> Bool {
        let descriptor = open(database + ".lease", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }

    @Test func upArrowRecallsAWholeMultiLineStatement() throws {
        let scratch = try ScratchDirectory()
        let terminal = try shell(home: scratch.path("home"), in: scratch)
        defer { terminal.stop() }
        try terminal.type("CREATE SEQUENCE serial;\r")
        try terminal.expect("D ")
        try terminal.type("SELECT nextval('serial') * 1000\r")
        try terminal.expect("· ")
        try terminal.type("AS n;\r")
        try terminal.expect("1000 │")
        try terminal.expect("D ")
        // Up brings back both lines as one statement; Enter runs it again.
        try terminal.type(Self.up + "\r")
        try terminal.expect("2000 │")
        try terminal.expect("D ")
        try terminal.type(".quit\r")
        #expect(try terminal.expectEnd() == 0)
    }

    @Test func historyIsKeptAcrossSessions() throws {
        let scratch = try ScratchDirectory()
        let home = scratch.path("home")
        let first = try shell(home: home, in: scratch)
        defer { first.stop() }
        // Two lines, one statement: one history entry.
        try first.type("SELECT 40 + 2\r")
        try first.expect("· ")
        try first.type("AS answer;\r")
        try first.expect("42 │")
        try first.expect("D ")
        try first.type(Self.ctrlD)
        #expect(try first.expectEnd() == 0)

        let history = try String(contentsOfFile: scratch.path("home/sql_history"), encoding: .utf8)
        #expect(history.contains("40"), "history file: \(history)")
        let permissions = try FileManager.default.attributesOfItem(atPath: scratch.path("home/sql_history"))[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        let second = try shell(home: home, in: scratch)
        defer { second.stop() }
        try second.type(Self.up + "\r")
        try second.expect("42 │")
        try second.expect("D ")
    }

    @Test func tabCompletesATableNameOfTheSessionsDatabase() throws {
        let scratch = try ScratchDirectory()
        // An account database: completion reads its catalog under its lease, as a statement would.
        let terminal = try shell(["ledger"], home: scratch.path("home"), in: scratch)
        defer { terminal.stop() }
        try terminal.type("CREATE TABLE flight_ledger_entries AS SELECT 7 AS id;\r")
        try terminal.expect("D ")
        // Tab fills in the rest of the name; the statement runs only with the whole of it.
        try terminal.type("SELECT id * 6 AS v FROM flight_le\t;\r")
        try terminal.expect("42 │")
        try terminal.expect("D ")
        let history = try String(contentsOfFile: scratch.path("home/sql_history"), encoding: .utf8)
        #expect(history.contains("flight_ledger_entries"), "history file: \(history)")
    }

    @Test func ctrlCStopsTheRunningStatementAndTheSessionGoesOn() throws {
        let scratch = try ScratchDirectory()
        // With a database of the account, whose lease must be free again at the prompt.
        let terminal = try shell(["scratchpad"], home: scratch.path("home"), in: scratch)
        defer { terminal.stop() }
        try terminal.type("SET VARIABLE x = 42;\r")
        try terminal.expect("D ")
        try terminal.type("SELECT count(*) FROM range(10000000000);\r")
        // The line break libedit draws when it hands the line over: the statement is under way.
        try terminal.expect("range(10000000000);\r\n")
        let pressed = ContinuousClock.now
        try terminal.type(Self.ctrlC)
        try terminal.expect("Interrupted")
        try terminal.expect("D ")
        let elapsed = ContinuousClock.now - pressed
        #expect(elapsed < .seconds(1), "back at the prompt after \(elapsed)")
        #expect(Self.leaseIsFree(scratch.path("home/databases/scratchpad.duckdb")), "the session kept the database's lease")
        try terminal.type("SELECT getvariable('x') + 0 AS kept;\r")
        try terminal.expect("42 │")
    }

    @Test func ctrlCClearsTheLineAndTwiceAtAnEmptyPromptLeaves() throws {
        let scratch = try ScratchDirectory()
        let terminal = try shell(home: scratch.path("home"), in: scratch)
        defer { terminal.stop() }
        try terminal.type("SELECT 'dropped'\r")
        try terminal.expect("· ")
        try terminal.type(Self.ctrlC)
        try terminal.expect("D ")
        // The statement under way is gone: this one starts afresh.
        try terminal.type("SELECT 6 * 7 AS v;\r")
        try terminal.expect("42 │")
        try terminal.expect("D ")
        try terminal.type(Self.ctrlC)
        try terminal.expect("Ctrl-C again")
        try terminal.type(Self.ctrlC)
        #expect(try terminal.expectEnd() == 0)
    }

    @Test func lineModeShowsALongValueWholeWhereTableModeCutsIt() throws {
        let scratch = try ScratchDirectory()
        let terminal = try shell(home: scratch.path("home"), in: scratch, columns: 100)
        defer { terminal.stop() }
        // 500 characters, ending in a word typed in lower case: "TAIL" is only in the result.
        let statement = "SELECT repeat('x', 496) || upper('tail') AS load_summary;\r"
        try terminal.type(statement)
        let table = try terminal.expect("(1 row)")
        #expect(table.contains("…"))
        #expect(!table.contains("TAIL"))
        #expect(Self.widestTableLine(table) <= 100, "a table wider than the 100-column terminal:\n\(table)")
        try terminal.expect("D ")
        try terminal.type(".mode line\r")
        try terminal.expect("D ")
        try terminal.type(statement)
        try terminal.expect("load_summary = " + String(repeating: "x", count: 496) + "TAIL")
        try terminal.expect("D ")
        // .maxwidth overrides the terminal's width in table mode.
        try terminal.type(".mode table\r")
        try terminal.expect("D ")
        try terminal.type(".maxwidth 40\r")
        try terminal.expect("D ")
        try terminal.type(statement)
        let narrow = try terminal.expect("(1 row)")
        #expect(Self.widestTableLine(narrow) <= 40, "a table wider than .maxwidth 40:\n\(narrow)")
    }

    @Test func ctrlCGivesUpWaitingForADatabaseAnotherProcessHolds() throws {
        let scratch = try ScratchDirectory()
        let home = scratch.path("home")
        let terminal = try shell(["shared"], home: home, in: scratch)
        defer { terminal.stop() }
        try terminal.type("CREATE TABLE t AS SELECT 42 AS v;\r")
        try terminal.expect("D ")
        let holder = try LeaseHolderProcess(home + "/databases/shared.duckdb", purpose: "a test flight")
        defer { holder.release() }
        try terminal.type("SELECT v FROM t;\r")
        try terminal.expect("waiting for shared.duckdb")
        try terminal.type(Self.ctrlC)
        try terminal.expect("stopped waiting for shared.duckdb")
        try terminal.expect("D ")
        holder.release()
        try terminal.type("SELECT v FROM t;\r")
        try terminal.expect("42 │")
    }

    @Test func dotCommandsListTablesSchemasAndDatabases() throws {
        let scratch = try ScratchDirectory()
        let terminal = try shell(["notes"], home: scratch.path("home"), in: scratch)
        defer { terminal.stop() }
        try terminal.type("CREATE TABLE reading_list (title VARCHAR, pages INTEGER);\r")
        try terminal.expect("D ")
        try terminal.type(".tables\r")
        try terminal.expect("reading_list")
        try terminal.expect("D ")
        try terminal.type(".schema reading_list\r")
        try terminal.expect("CREATE TABLE reading_list(title VARCHAR, pages INTEGER);")
        try terminal.expect("D ")
        try terminal.type(".databases\r")
        try terminal.expect("notes.duckdb")
        try terminal.expect("D ")
        try terminal.type(".mode csv\r")
        try terminal.expect("D ")
        try terminal.type(".timer on\r")
        try terminal.expect("D ")
        try terminal.type("SELECT 42 AS answer;\r")
        try terminal.expect("answer\r")
        try terminal.expect("42\r")
        try terminal.expect("Run Time (s): real ")
        // .read runs a file's commands and statements as if typed.
        try Data(".mode line\nSELECT 'from a file' AS origin;\n".utf8).write(to: scratch.url.appendingPathComponent("script.sql"))
        try terminal.type(".read script.sql\r")
        try terminal.expect("origin = from a file")
        try terminal.expect("D ")
        try terminal.type(".nonsense\r")
        try terminal.expect("unknown command .nonsense; enter .help for the commands")
    }
}
