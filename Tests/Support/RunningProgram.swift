import Foundation

/// A program the test talks to while it runs (`hangar serve`, `run --follow`, a replay server).
/// Its output goes to files, read as it grows: a test awaits a line appearing, never a guessed
/// time, and a program that prints a lot (a server logs every request) never stalls on a pipe.
public final class RunningProgram: @unchecked Sendable {
    public let process = Process()
    private let name: String
    private let scratch: ScratchDirectory
    private let output: OutputFiles
    private let exit = ExitSignal()

    /// `environment` adds to (or replaces in) the test process's own; standard input is empty.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        name = ([executable.lastPathComponent] + arguments.prefix(1)).joined(separator: " ")
        scratch = try ScratchDirectory()
        output = try OutputFiles(in: scratch)
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardInput = FileHandle.nullDevice
        let exit = self.exit
        process.terminationHandler = { _ in exit.signal() }
        try output.start(process)
    }

    deinit {
        // A test that failed half-way must not leave a server or a follower behind.
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Everything printed on standard output so far.
    public var stdout: String { output.printed }
    /// Everything printed on standard error so far.
    public var stderr: String { output.printedErrors }

    /// Waits until standard output contains `text`; fails if the program ends without printing it.
    public func waitForOutput(_ text: String, timeout: Duration = .seconds(240)) async throws {
        _ = try await printed("\(text.debugDescription)", timeout: timeout) { $0.contains(text) ? true : nil }
    }

    /// The first whole line of standard output that starts with `prefix`, once printed.
    public func line(startingWith prefix: String, timeout: Duration = .seconds(240)) async throws -> String {
        try await printed("a line starting with \(prefix.debugDescription)", timeout: timeout) { stdout in
            stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .first { $0.hasPrefix(prefix) }.map(String.init)
        }
    }

    /// The first whole line of standard output, once printed.
    public func firstLine(timeout: Duration = .seconds(240)) async throws -> String {
        try await printed("a first line", timeout: timeout) { stdout in
            stdout.firstIndex(of: "\n").map { String(stdout[..<$0]) }
        }
    }

    /// Polls standard output until `found` finds something in it.
    private func printed<T>(_ what: String, timeout: Duration, _ found: @escaping (String) -> T?) async throws -> T {
        try await eventually("\(name) to print \(what)", timeout: timeout) { () -> T? in
            if let value = found(stdout) { return value }
            guard process.isRunning else {
                // It may have printed it just before it ended.
                if let value = found(stdout) { return value }
                throw TestFailure("\(name) ended (status \(process.terminationStatus)) before printing \(what); it printed \(stdout.debugDescription) and on stderr \(stderr.debugDescription)")
            }
            return nil
        }
    }

    /// Waits for the program to end, however long it takes, and returns what it printed.
    public func finish() async -> ProgramOutput {
        await exit.wait()
        process.waitUntilExit()
        return output.collect(status: process.terminationStatus)
    }

    /// Sends `signal` (if still running) and waits for the exit; returns the exit status.
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM) async -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        return await finish().status
    }
}

/// Set once, when the process has ended; waiters resume then.
private final class ExitSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func signal() {
        let waiting = lock.withLock {
            done = true
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = lock.withLock {
                if done { return true }
                waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
