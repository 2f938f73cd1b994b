import DuckDB
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C in the interactive shell, as a count of presses rather than the end of the process.
///
/// The SIGINT handler only writes a byte to a pipe (about all a signal handler may safely do).
/// A watcher thread reads the pipe: it counts the press, pokes `wakeDescriptor`, which the
/// line editor polls next to the terminal while it waits for a key, and stops the statement
/// running at that moment through DuckDB's interrupt handle. DuckDB forgets an interrupt that
/// lands between its calls (a statement is prepared, then executed; the session attaches its
/// databases first), so the watcher repeats it every `repeatInterval` until that statement has
/// ended, waking at once when it does. Whoever cares about Ctrl-C takes the
/// count (`presses`) when it starts waiting and asks `arrived(since:)` later, so a press that
/// came between two of them (the line was read, the statement not yet started) is not lost:
/// the shell asks before it hands a statement to DuckDB.
///
/// Installed once for the life of the process: the shell runs once per `hangar sql`.
final class InterruptSignal: @unchecked Sendable {
    /// Guards the count and the running statement; signalled when a statement ends.
    private let condition = NSCondition()
    private var count = 0
    private var running: InterruptHandle?
    /// Tells one statement from the next, so a repeated interrupt stops with its statement.
    private var statementNumber = 0
    private static let repeatInterval = 0.05

    /// DuckDB's own words for a statement it interrupted, for one stopped before DuckDB began.
    static let interruptedMessage = "INTERRUPT Error: Interrupted!"
    private let signalPipe: (read: Int32, write: Int32)
    private let wakePipe: (read: Int32, write: Int32)
    private var previousAction = sigaction()

    /// Readable after a press; `drainWake()` empties it.
    var wakeDescriptor: Int32 { wakePipe.read }

    /// Catches SIGINT from now on; nil when the pipes cannot be made (Ctrl-C then ends the
    /// process, as it always did).
    static func install() -> InterruptSignal? {
        guard let signalPipe = makePipe(readsBlock: true), let wakePipe = makePipe(readsBlock: false) else { return nil }
        let signal = InterruptSignal(signalPipe: signalPipe, wakePipe: wakePipe)
        interruptSignalPipe = signalPipe.write
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let saved = errno
            var byte: UInt8 = 1
            _ = write(interruptSignalPipe, &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        // Blocking reads elsewhere (DuckDB's, Foundation's) go on; the line editor polls, and
        // poll returns for a signal whatever this flag says.
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, &signal.previousAction)
        let watcher = Thread { signal.watch() }
        watcher.name = "hangar-sql-ctrl-c"
        watcher.start()
        return signal
    }

    private init(signalPipe: (read: Int32, write: Int32), wakePipe: (read: Int32, write: Int32)) {
        self.signalPipe = signalPipe
        self.wakePipe = wakePipe
    }

    /// Ctrl-C ends the process again, as outside the shell.
    func uninstall() {
        sigaction(SIGINT, &previousAction, nil)
    }

    /// How many times Ctrl-C was pressed so far.
    var presses: Int { condition.withLock { count } }

    /// Whether Ctrl-C was pressed after `presses` was `baseline`.
    func arrived(since baseline: Int) -> Bool { presses != baseline }

    /// Runs a query that Ctrl-C stops through `handle`.
    func whileRunning<T>(_ handle: InterruptHandle, _ body: () throws -> T) rethrows -> T {
        condition.withLock {
            running = handle
            statementNumber += 1
        }
        defer {
            condition.withLock {
                running = nil
                condition.broadcast()
            }
        }
        return try body()
    }

    /// Empties the wake pipe; the count says whether anything new happened.
    func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakePipe.read, &buffer, buffer.count) > 0 {}
    }

    private func watch() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let received = read(signalPipe.read, &buffer, buffer.count)
            if received < 0, errno == EINTR { continue }
            guard received > 0 else { return }
            condition.withLock { count += received }
            var byte: UInt8 = 1
            _ = write(wakePipe.write, &byte, 1)
            stopRunningStatement()
        }
    }

    private func stopRunningStatement() {
        condition.lock()
        defer { condition.unlock() }
        let target = statementNumber
        while let handle = running, statementNumber == target {
            handle.interrupt()
            _ = condition.wait(until: Date(timeIntervalSinceNow: Self.repeatInterval))
        }
    }

    /// A pipe whose write end never blocks (a flood of presses must not stall the handler),
    /// not inherited by the runs that flights start.
    private static func makePipe(readsBlock: Bool) -> (read: Int32, write: Int32)? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        if !readsBlock { _ = fcntl(ends[0], F_SETFL, O_NONBLOCK) }
        return (ends[0], ends[1])
    }
}

/// The write end of the signal pipe, for the SIGINT handler, which cannot capture anything.
/// Set once before the handler is installed and never changed.
private nonisolated(unsafe) var interruptSignalPipe: Int32 = -1
