import Foundation

/// A running program and the process group it leads, with its output captured line by line.
///
/// The program starts as the leader of a new process group with exactly the environment given
/// (see `ProcessSpawner`). Three things end a run: the leader exits by itself, `maxRuntime`
/// passes, or `cancel()` is called. The last two send SIGTERM (and SIGCONT, so a stopped process
/// can act on it) to the whole group and SIGKILL after `terminationGrace`. Whatever way the
/// leader ends, the rest of its group is killed at once: a run's processes never outlive it, the
/// way a container's do not. Output still in the pipes is then read until EOF, or for at most
/// `drainTimeout` when a process that left the group (setsid) keeps a pipe open.
///
/// Every line reaches the sink, masked, before the outcome is reported, so whoever records the
/// outcome knows the log is complete.
public final class RunProcess: @unchecked Sendable {
    public let processID: pid_t
    /// The group the program leads; signalling it reaches every process of the run.
    public var processGroupID: pid_t { processID }
    public let startedAt: Date
    public let limits: RunLimits

    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var cancelRequested = false
    private var leaderEnd: (status: Int32?, at: Date)?
    private var result: RunOutcome?
    private var continuations: [CheckedContinuation<RunOutcome, Never>] = []

    /// Written to wake the capture thread from `poll` (the leader ended, cancel was called).
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private init(processID: pid_t, startedAt: Date, limits: RunLimits, wake: (read: Int32, write: Int32)) {
        self.processID = processID
        self.startedAt = startedAt
        self.limits = limits
        self.wakeRead = wake.read
        self.wakeWrite = wake.write
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Starts `command` and returns at once; lines go to `sink` from a capture thread.
    public static func start(_ command: RunCommand, limits: RunLimits = RunLimits(), masker: SecretMasker = .none,
                             sink: @escaping LogSink) throws -> RunProcess {
        let path = try command.resolvedExecutable()
        let wake = try ProcessSpawner.makePipe()
        _ = fcntl(wake.read, F_SETFL, fcntl(wake.read, F_GETFL) | O_NONBLOCK)
        _ = fcntl(wake.write, F_SETFL, fcntl(wake.write, F_GETFL) | O_NONBLOCK)
        let spawned: ProcessSpawner.Spawned
        let startInstant = ContinuousClock.now
        let startedAt = Date()
        do {
            spawned = try ProcessSpawner.spawn(path: path, arguments: command.arguments, environment: command.environment,
                                               workingDirectory: command.workingDirectory.path)
        } catch {
            close(wake.read)
            close(wake.write)
            throw error
        }
        let run = RunProcess(processID: spawned.pid, startedAt: startedAt, limits: limits, wake: wake)
        let waiter = Thread { run.awaitLeader() }
        waiter.name = "hangar-run-\(spawned.pid)-wait"
        waiter.start()
        let capture = Thread {
            run.capture(stdout: spawned.stdout, stderr: spawned.stderr, startInstant: startInstant, masker: masker, sink: sink)
        }
        capture.name = "hangar-run-\(spawned.pid)-capture"
        capture.start()
        return run
    }

    /// Terminates the run's process group (SIGTERM, then SIGKILL after the grace period) and
    /// makes its outcome `.cancelled`. Safe from any thread, any number of times; returns false
    /// when the program had already ended by itself.
    @discardableResult
    public func cancel() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if cancelRequested { return true }
        guard leaderEnd == nil else { return false }
        cancelRequested = true
        wake()
        return true
    }

    public var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return result != nil
    }

    /// Blocks the calling thread until the run has ended and all its output was delivered.
    public func waitUntilExit() -> RunOutcome {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }

    /// Like `waitUntilExit()`, giving up after `timeout` seconds with nil.
    public func waitUntilExit(timeout: TimeInterval) -> RunOutcome? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while result == nil {
            if !condition.wait(until: deadline) { break }
        }
        return result
    }

    /// Suspends until the run has ended and all its output was delivered; blocks no thread.
    public func outcome() async -> RunOutcome {
        await withCheckedContinuation { continuation in
            condition.lock()
            if let result {
                condition.unlock()
                continuation.resume(returning: result)
            } else {
                continuations.append(continuation)
                condition.unlock()
            }
        }
    }

    // MARK: - The waiter thread

    private func awaitLeader() {
        var info = siginfo_t()
        var observed: Int32
        repeat { observed = waitid(P_PID, id_t(processID), &info, WEXITED | WNOWAIT) } while observed != 0 && errno == EINTR
        // Whatever the leader left running goes with it. The leader is still a zombie here, so its
        // pid, the group's id, cannot have been given to another group yet.
        kill(-processID, SIGKILL)
        var status: Int32 = 0
        var reaped: pid_t
        repeat { reaped = waitpid(processID, &status, 0) } while reaped < 0 && errno == EINTR
        condition.lock()
        leaderEnd = (reaped == processID ? status : nil, Date())
        wake()
        condition.unlock()
    }

    // MARK: - The capture thread

    private func capture(stdout: Int32, stderr: Int32, startInstant: ContinuousClock.Instant, masker: SecretMasker, sink: LogSink) {
        var assemblers = [LineAssembler(stream: .stdout, maxLineBytes: limits.maxLineBytes, masker: masker),
                          LineAssembler(stream: .stderr, maxLineBytes: limits.maxLineBytes, masker: masker)]
        var descriptors = [stdout, stderr]  // -1 once the stream has ended
        let timeoutAt = limits.maxRuntime.flatMap { $0 > 0 ? startInstant + .seconds($0) : nil }
        var killAt: ContinuousClock.Instant?
        var killed = false
        var drainUntil: ContinuousClock.Instant?
        var reason = RunOutcome.Reason.completed
        let bufferSize = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 1)
        defer { buffer.deallocate() }
        var batch: [CapturedLine] = []

        while true {
            let now = ContinuousClock.now
            condition.lock()
            let cancelled = cancelRequested
            let ended = leaderEnd != nil
            condition.unlock()

            if killAt == nil && reason == .completed {
                // A cancel accepted before the leader ended counts even if the leader has ended
                // since: `cancel()` returned true for it.
                if cancelled { reason = .cancelled } else if !ended, let timeoutAt, now >= timeoutAt { reason = .timedOut }
                if reason != .completed && !ended {
                    terminateGroup()
                    killAt = now + .seconds(max(0, limits.terminationGrace))
                }
            }
            if !ended, !killed, let killAt, now >= killAt {
                kill(-processID, SIGKILL)
                killed = true
            }
            if ended && drainUntil == nil { drainUntil = now + .seconds(max(0, limits.drainTimeout)) }
            if let drainUntil, descriptors.allSatisfy({ $0 < 0 }) || now >= drainUntil { break }

            var wakeAt = drainUntil
            if !ended {
                if killAt == nil, let timeoutAt { wakeAt = timeoutAt }
                if !killed, let killAt { wakeAt = killAt }
            }
            var pollDescriptors = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            for descriptor in descriptors where descriptor >= 0 {
                pollDescriptors.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0))
            }
            let ready = poll(&pollDescriptors, nfds_t(pollDescriptors.count), Self.milliseconds(until: wakeAt))
            guard ready > 0 else { continue }  // a deadline, or EINTR: the checks above run again

            if pollDescriptors[0].revents != 0 { drainWakePipe() }
            let readAt = Date()
            for polled in pollDescriptors.dropFirst() where polled.revents != 0 {
                guard let stream = descriptors.firstIndex(of: polled.fd) else { continue }
                let count = read(polled.fd, buffer.baseAddress, bufferSize)
                if count > 0 {
                    assemblers[stream].append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), at: readAt, into: &batch)
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(polled.fd)
                    descriptors[stream] = -1
                    assemblers[stream].finish(at: readAt, into: &batch)
                }
            }
            if !batch.isEmpty {
                sink(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }

        // A stream still open here is held by a process that left the group; stop reading it.
        let endAt = Date()
        for stream in descriptors.indices where descriptors[stream] >= 0 {
            close(descriptors[stream])
            assemblers[stream].finish(at: endAt, into: &batch)
        }
        if !batch.isEmpty { sink(batch) }
        finish(reason: reason)
    }

    private func terminateGroup() {
        kill(-processID, SIGTERM)
        kill(-processID, SIGCONT)
    }

    private func finish(reason: RunOutcome.Reason) {
        condition.lock()
        let end = leaderEnd ?? (nil, Date())
        let outcome = RunOutcome(termination: Self.termination(end.status), reason: reason, startedAt: startedAt,
                                 endedAt: end.at, maxRuntime: limits.maxRuntime.flatMap { $0 > 0 ? $0 : nil })
        result = outcome
        let waiting = continuations
        continuations.removeAll()
        condition.broadcast()
        condition.unlock()
        for continuation in waiting { continuation.resume(returning: outcome) }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // a full pipe already holds a wake-up
    }

    private func drainWakePipe() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &bytes, bytes.count) > 0 {}
    }

    /// The `wait` status decoded as the W* macros would (Swift cannot import them).
    static func termination(_ status: Int32?) -> RunOutcome.Termination {
        guard let status else { return .unknown }
        let low = status & 0x7f
        if low == 0 { return .exited(code: (status >> 8) & 0xff) }
        return .signalled(signal: low)
    }

    static func milliseconds(until instant: ContinuousClock.Instant?) -> Int32 {
        guard let instant else { return -1 }
        let remaining = instant - ContinuousClock.now
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: total)
    }
}
