import Foundation

/// Runs one of Hangar's helper programs (python, pip, uv) to completion through `RunProcess`,
/// keeping its lines and passing them on to a log.
enum ToolRunner {
    struct Result {
        let outcome: RunOutcome
        let lines: [CapturedLine]

        var stdout: [String] { lines.filter { $0.stream == .stdout }.map(\.text) }

        /// The lines that explain a failure: the tool's last stderr lines, the way pip and uv
        /// end with their error (stdout when stderr is empty).
        func errorLines(limit: Int = 20) -> [String] {
            let stderr = lines.filter { $0.stream == .stderr && !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }
            let chosen = stderr.isEmpty ? lines.filter { !$0.text.isEmpty } : stderr
            return chosen.suffix(limit).map(\.text)
        }
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [CapturedLine] = []

        func append(_ batch: [CapturedLine]) {
            lock.lock()
            lines.append(contentsOf: batch)
            lock.unlock()
        }

        var all: [CapturedLine] {
            lock.lock()
            defer { lock.unlock() }
            return lines
        }
    }

    static func run(_ command: RunCommand, timeout: TimeInterval? = nil, log: LogSink? = nil) throws -> Result {
        let collected = Collected()
        let process = try RunProcess.start(command, limits: RunLimits(maxRuntime: timeout)) { batch in
            collected.append(batch)
            log?(batch)
        }
        let outcome = process.waitUntilExit()
        return Result(outcome: outcome, lines: collected.all)
    }
}
