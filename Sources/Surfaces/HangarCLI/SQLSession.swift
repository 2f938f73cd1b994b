import DuckDB
import Foundation
import HangarAccount

/// Runs statements on one connection, in order, and prints each result. One connection for the
/// whole invocation is what lets session state such as `SET VARIABLE`, temporary tables and
/// `USE` carry from one statement, `-c` flag or prompt line to the next.
final class SQLSession {
    private let connection: Connection
    /// How results print; the interactive shell's `.mode` changes it.
    var formatter: any ResultFormatter
    private let output: OutputSink
    /// The database files each statement needs, attached under their leases while it runs; nil
    /// for a session of nothing but memory.
    private let databases: SessionDatabases?
    /// `CREATE DATABASE`, `CREATE SECRET … (TYPE flights …)` and the other statements that act
    /// on the account; nil for a session without one.
    private var account: AccountStatements?
    /// MotherDuck itself, for statements that name it (`ATTACH 'md:'`); asked for the account's
    /// token only then.
    private let motherDuck: (() throws -> MotherDuckAccess)?

    init(connection: Connection, formatter: any ResultFormatter, output: OutputSink, databases: SessionDatabases? = nil,
         account: AccountStatements? = nil, motherDuck: (() throws -> MotherDuckAccess)? = nil) {
        self.connection = connection
        self.formatter = formatter
        self.output = output
        self.databases = databases
        self.account = account
        self.motherDuck = motherDuck
    }

    /// Stops the statement running on this session's connection, from any thread.
    var interruptHandle: InterruptHandle { connection.interruptHandle }

    /// Wraps DuckDB's work on each statement (the query and the reading of its rows) and
    /// nothing the session does around it (attaching and detaching databases): where the
    /// interactive shell's Ctrl-C interrupts.
    var whileQuerying: (() throws -> Void) throws -> Void = { query in try query() }

    /// Asked while a statement waits for a database another process holds: true gives up.
    var stopWaiting: () -> Bool {
        get { databases?.stopWaiting ?? { false } }
        set {
            databases?.stopWaiting = newValue
            account?.stopWaiting = newValue
        }
    }

    /// The rows of a query on the catalog (`duckdb_tables()` …) for the interactive shell, with
    /// the session's databases attached as for a statement, and also the account databases
    /// named in `databaseNames`; or (`attaching` false) of what the connection has in memory.
    func catalogRows(_ sql: String, naming databaseNames: [String] = [], attaching: Bool = true) throws -> [[DuckDBValue]] {
        guard attaching, let databases else { return try rows(sql) }
        // The databases a statement needs are the ones it names as qualifiers; these few words
        // name them the same way.
        let naming = databaseNames.map { quoteIdentifier($0) + ".catalog" }.joined(separator: ", ")
        return try databases.run(naming, on: connection) { try rows(sql) }
    }

    private func rows(_ sql: String) throws -> [[DuckDBValue]] {
        let result = try connection.query(sql)
        var rows: [[DuckDBValue]] = []
        while let row = try result.next() { rows.append(row.values) }
        return rows
    }

    /// Runs one statement (or several in one text, printing only the last result).
    func run(_ sql: String) throws {
        guard let motherDuck, MotherDuckAccess.isNamed(in: sql) else { return try runOnAccount(sql) }
        let access = try motherDuck()
        do {
            try access.prepare(connection)
        } catch let error as AccountError {
            throw InputError(message: error.message)
        }
        do {
            try runOnAccount(sql)
        } catch let error as DuckDBError {
            throw InputError(message: access.explain(error))
        }
    }

    private func runOnAccount(_ sql: String) throws {
        if let account, let statement = try Self.accountStatement(sql) {
            switch try account.run(statement, on: connection, session: databases) {
            case .handled(let resultSQL):
                if let resultSQL { try runAttached(resultSQL) }
                return
            case .notMine:
                break
            }
        }
        guard let databases else { return try runAttached(sql) }
        try databases.run(sql, on: connection) { try runAttached(sql) }
    }

    private static func accountStatement(_ sql: String) throws -> AccountStatement? {
        do {
            return try AccountStatement.parse(sql)
        } catch {
            throw InputError(message: error.message)
        }
    }

    private func runAttached(_ sql: String) throws {
        try whileQuerying {
            let result = StreamedResult(try connection.query(sql))
            guard try !result.isStatementWithoutResult() else { return }
            try formatter.write(result, to: output)
        }
    }

    /// Runs a script statement by statement as it is read, so every result is printed (as the
    /// duckdb CLI does) and a long or endless stream of statements never waits for its end.
    /// Stops at the first error.
    func runScript(from input: FileHandle) throws {
        var splitter = StatementSplitter()
        while let chunk = try input.read(upToCount: 1 << 16), !chunk.isEmpty {
            for statement in splitter.append(bytes: chunk) { try run(statement) }
        }
        for statement in splitter.finish() { try run(statement) }
    }

    /// Runs one text (such as a `-c` value) statement by statement.
    func runText(_ text: String) throws {
        var splitter = StatementSplitter()
        for statement in splitter.append(text) + splitter.finish() { try run(statement) }
    }
}
