import Foundation

/// A line of the interactive shell starting with "." between statements: the commands DuckDB's
/// own CLI has where they make sense for a Hangar session.
enum DotCommand: Equatable {
    case quit
    case help
    /// Tables and views of the session's database (and those attached), names matching a
    /// `LIKE` pattern when one is given.
    case tables(pattern: String?)
    /// The `CREATE` statements of tables and views, all or those matching `[database.][schema.]pattern`.
    case schema(name: String?)
    case databases
    /// nil shows the current mode.
    case mode(OutputFormat?)
    case timer(Bool)
    /// How wide table mode may print; 0 is the terminal's width.
    case maxWidth(Int)
    case read(path: String)

    struct ParseError: Error, Equatable {
        let message: String
    }

    /// What `.help` prints.
    static let helpText = """
        .databases             List the session's databases and the account's (attached when a statement names them)
        .exit, .quit           Leave the shell (Ctrl-D does too)
        .help                  Show this list
        .maxwidth N            Cut table mode to N characters wide; 0 fits the terminal (the default)
        .mode MODE             Print results as table, line, csv, json or markdown (no MODE: show the current one)
        .read FILE             Run the statements and commands in FILE, stopping at the first error
        .schema [NAME]         Show the CREATE statements of tables and views ([database.][schema.]name, LIKE patterns)
        .tables [PATTERN]      List tables and views (names matching a LIKE pattern)
        .timer on|off          Show how long each statement took

        Statements end with ";" and may span lines. Tab completes keywords, databases, tables, columns,
        MD_* functions with their parameters, and flight names in their strings. Up and Down recall
        earlier statements, kept across sessions in the Hangar home's sql_history. Ctrl-C stops the
        running statement (or a wait for a busy database); at the prompt it clears the line.

        """

    init(parsing line: String) throws(ParseError) {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let name = words.first ?? line
        let arguments = Array(words.dropFirst())
        func noArguments(_ command: DotCommand) throws(ParseError) -> DotCommand {
            guard arguments.isEmpty else { throw ParseError(message: "\(name) takes no arguments; see .help") }
            return command
        }
        func atMostOne() throws(ParseError) -> String? {
            guard arguments.count <= 1 else { throw ParseError(message: "\(name) takes at most one argument; see .help") }
            return arguments.first.map(Self.unquoted)
        }
        switch name {
        case ".quit", ".exit":
            self = try noArguments(.quit)
        case ".help":
            self = try noArguments(.help)
        case ".databases":
            self = try noArguments(.databases)
        case ".tables":
            self = .tables(pattern: try atMostOne())
        case ".schema":
            self = .schema(name: try atMostOne())
        case ".mode":
            guard let mode = try atMostOne() else { self = .mode(nil); return }
            guard let format = OutputFormat(rawValue: mode.lowercased()) else {
                let modes = OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")
                throw ParseError(message: ".mode \(mode) is not a mode; use one of \(modes)")
            }
            self = .mode(format)
        case ".timer":
            switch try atMostOne()?.lowercased() {
            case "on": self = .timer(true)
            case "off": self = .timer(false)
            default: throw ParseError(message: ".timer takes on or off")
            }
        case ".maxwidth":
            guard let text = try atMostOne(), let width = Int(text), width >= 0 else {
                throw ParseError(message: ".maxwidth takes a number of characters (0 fits the terminal)")
            }
            self = .maxWidth(width)
        case ".read":
            let path = Self.unquoted(line.dropFirst(name.count).trimmingCharacters(in: .whitespaces))
            guard !path.isEmpty else { throw ParseError(message: ".read takes the path of a SQL file") }
            self = .read(path: path)
        default:
            throw ParseError(message: "unknown command \(name); enter .help for the commands")
        }
    }

    /// A path or pattern may be quoted, to hold spaces.
    private static func unquoted(_ text: String) -> String {
        for quote in ["'", "\""] where text.count >= 2 && text.hasPrefix(quote) && text.hasSuffix(quote) {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}
