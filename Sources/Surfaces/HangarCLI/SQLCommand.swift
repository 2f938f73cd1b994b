import ArgumentParser
import DuckDB
import Foundation
import HangarAccount

/// `hangar sql`: DuckDB's SQL on a database file or in memory, from flags, a file, a pipe or a
/// prompt.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run SQL against a DuckDB database.",
        discussion: """
        SQL comes from -c (repeatable), from -f FILE (- for standard input), from standard input \
        when it is a pipe or file, or else from an interactive prompt (at a terminal: line \
        editing, a history, Tab completion and DuckDB's dot commands; .help lists them). Every statement runs on \
        one connection, in order, so session settings and variables carry over between them. \
        The account's databases are there by name (docs_playground.schema.table), and the \
        flights functions (MD_CREATE_FLIGHT, MD_RUN_FLIGHT, MD_LIST_FLIGHT_RUNS …) act on the \
        account at --home.
        """
    )

    @Argument(help: "An account database by name (docs_playground → <home>/databases/docs_playground.duckdb), or a DuckDB file path (with a / or a .duckdb ending); created if missing. Omit it for an in-memory database.")
    var database: String?

    @Option(help: "The Hangar home whose account databases names refer to (default $HANGAR_HOME, else ~/.hangar).")
    var home: String?

    // Unconditional parsing: SQL may well start with "-" (a "-- comment", say).
    @Option(name: [.customShort("c"), .customLong("command")], parsing: .unconditionalSingleValue,
            help: ArgumentHelp("SQL to run; repeat to run several in order.", valueName: "sql"))
    var commands: [String] = []

    @Option(name: [.customShort("f"), .customLong("file")], parsing: .unconditional,
            help: ArgumentHelp("A SQL script to run; - reads standard input.", valueName: "file"))
    var file: String?

    @Flag var format: OutputFormat = .table

    @Flag(name: .customLong("read-only"), help: "Open the database read-only.")
    var readOnly = false

    @Option(name: .customLong("lease-timeout"), help: "Seconds a statement waits for the database while another process writes to it.")
    var leaseTimeout: Double = 300

    // Lets tests (and scripts) drive the prompt through a pipe: without it, piped input is a script.
    @Flag(help: .hidden)
    var interactive = false

    func validate() throws {
        if !commands.isEmpty, file != nil {
            throw ValidationError("Give SQL with -c or with -f, not both.")
        }
        if interactive, !commands.isEmpty || file != nil {
            throw ValidationError("--interactive reads the prompt from standard input; it does not combine with -c or -f.")
        }
    }

    func run() throws {
        let output = OutputSink(FileHandle.standardOutput)
        let errors = OutputSink(FileHandle.standardError)
        let succeeded = runSession(output: output, errors: errors)
        output.flush()
        errors.flush()
        // Thrown only after the session has ended, so the database is closed cleanly first.
        if !succeeded { throw ExitCode.failure }
    }

    /// A bare name is one of the account's databases; anything that looks like a path is a file.
    static func file(of database: String, home: String?) throws -> URL {
        let isPath = database.contains("/") || database.contains(".") || database == ":memory:"
        if isPath { return URL(fileURLWithPath: database).standardizedFileURL }
        do {
            return try HangarHome.resolve(explicit: home).database(database)
        } catch let error as AccountError {
            throw InputError(message: error.message)
        }
    }

    /// A session as `hangar sql` runs one: in memory, with the flights functions and the
    /// account's statements of `home`, and `database` (a name or a path) as its own.
    static func openSession(home: String?, database: String?, format: OutputFormat, readOnly: Bool = false,
                            leaseTimeout: Double = 300, output: OutputSink, errors: OutputSink) throws -> SQLSession {
        // The session itself lives in memory; a database file is attached under its lease for
        // each statement, so flights and other processes can write it between statements.
        let connection = try Database().connect()
        // The flights SQL surface (MD_CREATE_FLIGHT …) of the account at --home.
        let account = HangarHome.resolve(explicit: home)
        let platform = LazyFlights(home: account)
        try FlightsSQLFunctions(home: account, hangarExecutable: HangarExecutable.url, platform: platform)
            .register(on: connection)
        // The session's database, and the account's databases by name wherever a statement
        // names them (docs_playground.flights_demo_dlt.github_repo_stats).
        let databases = SessionDatabases(main: try database.map { try Self.file(of: $0, home: home) }, home: account,
                                         readOnly: readOnly, leaseTimeout: leaseTimeout, errors: errors)
        // CREATE DATABASE, CREATE SECRET … IN MOTHERDUCK and the rest act on the account.
        let statements = AccountStatements(home: account, platform: platform, leaseTimeout: leaseTimeout, errors: errors)
        let session = SQLSession(connection: connection, formatter: format.formatter, output: output, databases: databases,
                                 account: statements,
                                 motherDuck: { MotherDuckAccess(token: (try? platform.flights().motherDuckToken())??.value) })
        return session
    }

    /// Runs everything; reports the first error of non-interactive input and returns false.
    private func runSession(output: OutputSink, errors: OutputSink) -> Bool {
        do {
            let session = try Self.openSession(home: home, database: database, format: format, readOnly: readOnly,
                                               leaseTimeout: leaseTimeout, output: output, errors: errors)
            let stdinIsTerminal = isatty(STDIN_FILENO) == 1
            if !commands.isEmpty {
                for command in commands { try session.runText(command) }
            } else if let file, file != "-" {
                guard let handle = FileHandle(forReadingAtPath: file) else {
                    throw InputError(message: "cannot read the SQL file \(file)")
                }
                defer { try? handle.close() }
                try session.runScript(from: handle)
            } else if file == "-" || (!stdinIsTerminal && !interactive) {
                try session.runScript(from: FileHandle.standardInput)
            } else {
                InteractiveShell(session: session, output: output, errors: errors, isTerminal: stdinIsTerminal,
                                 home: HangarHome.resolve(explicit: home), mode: format).run()
            }
            return true
        } catch {
            output.flush()
            errors.write(FailureMessage.text(for: error))
            return false
        }
    }
}
