import DuckDB
import Foundation
import HangarAccount

/// The prompt loop: reads lines until they make up complete statements, runs each, prints the
/// result or the error, and goes on until `.quit`, `.exit` or the end of input.
///
/// At a terminal it is a shell people live in: line editing and a history kept across
/// sessions (`LineEditor`), Tab completion (`SQLCompletion`), Ctrl-C that stops the running
/// statement and leaves the session as it was (`InterruptSignal`), and DuckDB's dot commands
/// (`DotCommand`). Piped input (the hidden `--interactive` flag, which tests use) keeps the
/// plain loop: prompts written out, lines read as they come, `.quit` and `.exit` only.
final class InteractiveShell {
    static let prompt = "D "
    /// Shown while a statement is incomplete: a missing `;`, an open string or comment.
    static let continuationPrompt = "· "
    /// `.read` files may read others, not themselves over and over.
    private static let deepestRead = 16

    private let session: SQLSession
    private let output: OutputSink
    private let errors: OutputSink
    /// Only a person at a terminal gets the shell, the greeting and a line break after Ctrl-D;
    /// piped input gets prompts and results only.
    private let isTerminal: Bool
    private let home: HangarHome

    /// What the dot commands set.
    private var mode: OutputFormat
    private var showsTimes = false
    /// 0: the terminal's width.
    private var maxWidth = 0

    /// The lines of the statement being typed, which make one history entry when it is complete.
    private var pendingLines: [String] = []
    private var readDepth = 0
    /// The catalog read for the last Tab, until a statement may have changed it.
    private var completionCatalog: (databases: [String], catalog: CompletionCatalog)?

    init(session: SQLSession, output: OutputSink, errors: OutputSink, isTerminal: Bool, home: HangarHome, mode: OutputFormat) {
        self.session = session
        self.output = output
        self.errors = errors
        self.isTerminal = isTerminal
        self.home = home
        self.mode = mode
    }

    /// The history file: `<home>/sql_history`.
    static func historyFile(in home: HangarHome) -> URL {
        home.root.appendingPathComponent("sql_history")
    }

    func run() {
        if isTerminal, let interrupts = InterruptSignal.install() {
            defer { interrupts.uninstall() }
            let editor = LineEditor(historyFile: Self.historyFile(in: home), interrupts: interrupts) { [unowned self] before, after in
                complete(before, after)
            }
            if let editor { return runAtTerminal(editor, interrupts) }
        }
        runPiped()
    }

    // MARK: - At a terminal

    private enum Outcome {
        case done, failed, leave
    }

    private func runAtTerminal(_ editor: LineEditor, _ interrupts: InterruptSignal) {
        output.write("hangar \(HangarVersion.current) (DuckDB \(Database.libraryVersion))\n")
        output.write("Enter SQL statements ending with \";\". Enter \".help\" for the commands, \".quit\" or press Ctrl-D to leave.\n")
        var splitter = StatementSplitter()
        // A Ctrl-C at an empty prompt says how to leave; a second one in a row leaves.
        var pressedAtEmptyPrompt = false
        // Ctrl-C presses dealt with: a later one is for the next line, even one that comes
        // before its prompt shows.
        var pressesHandled = interrupts.presses
        while true {
            let isAtStart = splitter.isAtStatementStart
            output.flush()
            let pressesBefore = pressesHandled
            switch editor.readLine(prompt: isAtStart ? Self.prompt : Self.continuationPrompt, pressesBefore: pressesBefore) {
            case .end:
                output.write("\n")
                // Input ended inside a statement: run what was typed rather than drop it.
                for statement in splitter.finish() { _ = run(statement, interrupts, since: pressesBefore) }
                return
            case .interrupted(let lineWasEmpty):
                // Before the note below: the next press may answer it.
                pressesHandled = interrupts.presses
                if lineWasEmpty, isAtStart {
                    if pressedAtEmptyPrompt { return }
                    pressedAtEmptyPrompt = true
                    note("(press Ctrl-C again or Ctrl-D to leave)")
                } else {
                    pressedAtEmptyPrompt = false
                }
                splitter = StatementSplitter()
                pendingLines = []
            case .line(let line):
                pressedAtEmptyPrompt = false
                let command = line.trimmingCharacters(in: .whitespacesAndNewlines)
                // Dot commands are only recognised between statements: inside one, a line
                // starting with "." belongs to the SQL (a decimal such as `.5`, for instance).
                if isAtStart, command.hasPrefix(".") {
                    editor.remember(command)
                    if perform(command, interrupts, since: pressesBefore) == .leave { return }
                    pressesHandled = interrupts.presses
                    continue
                }
                pendingLines.append(line.hasSuffix("\n") ? String(line.dropLast()) : line)
                let statements = splitter.append(line)
                if splitter.isAtStatementStart {
                    let entry = pendingLines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                    if !entry.isEmpty, !Self.createsSecret(entry) { editor.remember(entry) }
                    pendingLines = []
                }
                for statement in statements {
                    // Ctrl-C stops what was typed after the statement too.
                    if run(statement, interrupts, since: pressesBefore) == .failed, interrupts.arrived(since: pressesBefore) { break }
                }
                // Presses while the statements ran stopped them; the next line starts afresh.
                pressesHandled = interrupts.presses
            }
        }
    }

    /// Runs one statement, which Ctrl-C stops (or its wait for a database another process holds).
    private func run(_ statement: String, _ interrupts: InterruptSignal, since pressesBefore: Int) -> Outcome {
        session.formatter = mode.formatter(maxWidth: maxWidth > 0 ? maxWidth : TerminalSize.columns())
        session.stopWaiting = { interrupts.arrived(since: pressesBefore) }
        let handle = session.interruptHandle
        session.whileQuerying = { query in
            // DuckDB forgets an interrupt that comes before its query starts (a press while the
            // line was handed over, or databases attached), so the press is looked for here.
            if interrupts.arrived(since: pressesBefore) { throw InputError(message: InterruptSignal.interruptedMessage) }
            try interrupts.whileRunning(handle, query)
        }
        // Whatever it did to the catalog, the next Tab reads it again.
        completionCatalog = nil
        let timer = StatementTimer()
        defer {
            if showsTimes {
                output.write(timer.report())
                output.flush()
            }
        }
        do {
            try session.run(statement)
            return .done
        } catch {
            // The terminal echoed "^C" where the cursor was; the message gets a line of its own.
            if interrupts.arrived(since: pressesBefore) { output.write("\n") }
            report(FailureMessage.text(for: error))
            return .failed
        }
    }

    private func perform(_ line: String, _ interrupts: InterruptSignal, since pressesBefore: Int) -> Outcome {
        let command: DotCommand
        do {
            command = try DotCommand(parsing: line)
        } catch {
            report("Error: \(error.message)\n")
            return .failed
        }
        switch command {
        case .quit:
            return .leave
        case .help:
            output.write(DotCommand.helpText)
        case .mode(nil):
            output.write(mode.rawValue + "\n")
        case .mode(let chosen?):
            mode = chosen
        case .timer(let on):
            showsTimes = on
        case .maxWidth(let width):
            maxWidth = width
        case .read(let path):
            return read(path, interrupts)
        case .tables, .schema, .databases:
            session.stopWaiting = { interrupts.arrived(since: pressesBefore) }
            do {
                output.write(try list(command))
            } catch {
                report(FailureMessage.text(for: error))
                return .failed
            }
        }
        return .done
    }

    private func list(_ command: DotCommand) throws -> String {
        switch command {
        case .tables(let pattern):
            return TextTable.grid(try session.tableNames(matching: pattern), width: TerminalSize.columns() ?? 80)
        case .schema(let name):
            return try session.createStatements(matching: name).map { $0 + ";\n" }.joined()
        case .databases:
            return try session.databaseList(home: home)
        default:
            return ""
        }
    }

    /// `.read FILE`: its statements and commands as if typed, stopping at the first error.
    private func read(_ path: String, _ interrupts: InterruptSignal) -> Outcome {
        guard readDepth < Self.deepestRead else {
            report("Error: .read \(path): files read each other more than \(Self.deepestRead) deep; is one reading itself?\n")
            return .failed
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            report("Error: cannot read \(path): \((error as NSError).localizedFailureReason ?? error.localizedDescription)\n")
            return .failed
        }
        readDepth += 1
        defer { readDepth -= 1 }
        let pressesBefore = interrupts.presses
        var splitter = StatementSplitter()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let command = line.trimmingCharacters(in: .whitespaces)
            if splitter.isAtStatementStart, command.hasPrefix(".") {
                let outcome = perform(command, interrupts, since: pressesBefore)
                if outcome != .done { return outcome }
                continue
            }
            for statement in splitter.append(line + "\n") {
                if run(statement, interrupts, since: pressesBefore) == .failed { return .failed }
            }
        }
        for statement in splitter.finish() {
            if run(statement, interrupts, since: pressesBefore) == .failed { return .failed }
        }
        return .done
    }

    /// Tab: the statement so far (earlier lines included) against the session's catalog.
    private func complete(_ before: String, _ after: String) -> SQLCompletion.Result {
        let statement = (pendingLines + [before]).joined(separator: "\n")
        let databases = StatementCatalogs.qualifiers(in: statement + after).sorted()
        if completionCatalog?.databases != databases {
            // Completion never waits for a database another process holds: it goes without
            // that database's names instead.
            session.stopWaiting = { true }
            completionCatalog = (databases, CompletionCatalog.read(from: session, home: home, naming: databases))
        }
        return SQLCompletion(catalog: completionCatalog?.catalog ?? CompletionCatalog()).complete(statement, rest: after)
    }

    /// `CREATE SECRET` statements hold keys and tokens, which no file should keep; `hangar
    /// secret create` keeps them out of the shell's history the same way.
    static func createsSecret(_ entry: String) -> Bool {
        entry.range(of: #"\bCREATE\s+(OR\s+REPLACE\s+)?((PERSISTENT|TEMPORARY|TEMP)\s+)?SECRET\b"#,
                    options: [.regularExpression, .caseInsensitive]) != nil
    }

    // MARK: - Piped

    private func runPiped() {
        if isTerminal {
            output.write("hangar \(HangarVersion.current) (DuckDB \(Database.libraryVersion))\n")
            output.write("Enter SQL statements ending with \";\". Enter \".quit\" or press Ctrl-D to leave.\n")
        }
        var splitter = StatementSplitter()
        while true {
            output.write(splitter.isAtStatementStart ? Self.prompt : Self.continuationPrompt)
            output.flush()
            guard let line = readLine(strippingNewline: false) else { break }
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

    private func note(_ message: String) {
        output.write(message + "\n")
        output.flush()
    }
}
