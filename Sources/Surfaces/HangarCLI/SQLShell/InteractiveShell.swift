import Foundation
import DuckDB

/// The prompt loop: reads lines until they make up complete statements, runs each, prints the
/// result or the error, and goes on until `.quit`, `.exit` or the end of input.
struct InteractiveShell {
    static let prompt = "D "
    /// Shown while a statement is incomplete: a missing `;`, an open string or comment.
    static let continuationPrompt = "· "

    let session: SQLSession
    let output: OutputSink
    let errors: OutputSink
    /// Only a person at a terminal gets the greeting and a line break after Ctrl-D; piped input
    /// (the hidden `--interactive` flag) gets prompts and results only.
    let isTerminal: Bool

    func run() {
        if isTerminal {
            output.write("hangar \(HangarVersion.current) (DuckDB \(Database.libraryVersion))\n")
            output.write("Enter SQL statements ending with \";\". Enter \".quit\" or press Ctrl-D to leave.\n")
        }
        var splitter = StatementSplitter()
        while true {
            output.write(splitter.isAtStatementStart ? Self.prompt : Self.continuationPrompt)
            output.flush()
            guard let line = readLine(strippingNewline: false) else { break }
            // Dot commands are only recognised between statements: inside one, a line starting
            // with "." belongs to the SQL (a decimal such as `.5`, for instance).
            let command = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if splitter.isAtStatementStart, command.hasPrefix(".") {
                if command == ".quit" || command == ".exit" { return }
                report("Error: unknown command \(command); only .quit and .exit are supported\n")
                continue
            }
            for statement in splitter.append(line) { runReportingErrors(statement) }
        }
        if isTerminal { output.write("\n") }
        // Input ended inside a statement: run what was typed rather than drop it silently;
        // DuckDB will say if it is incomplete.
        for statement in splitter.finish() { runReportingErrors(statement) }
    }

    private func runReportingErrors(_ statement: String) {
        do {
            try session.run(statement)
        } catch {
            report(FailureMessage.text(for: error))
        }
    }

    private func report(_ message: String) {
        output.flush()
        errors.write(message)
        errors.flush()
    }
}
