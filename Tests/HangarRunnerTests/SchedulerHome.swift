import Foundation
import HangarTestSupport
import HangarAccount
import HangarFlights
@testable import HangarRunner

/// A temporary home whose flights use a clock the test moves, and a record of the runs the
/// scheduler asked to start (no supervisor is started).
final class SchedulerHome: Sendable {
    let scratch: ScratchDirectory
    let home: HangarHome
    let clock: ManualClock
    let launched = LaunchedRuns()

    init(start: String) throws {
        scratch = try ScratchDirectory()
        home = HangarHome(scratch.url.appendingPathComponent("home"))
        clock = ManualClock(utc(start))
    }

    func flights() throws -> Flights {
        let clock = self.clock
        return try Flights(home: home, clock: { clock.now })
    }

    func makeScheduler(clock: (any SchedulerClock)? = nil, pollInterval: TimeInterval) throws -> FlightScheduler {
        let launched = self.launched
        return FlightScheduler(flights: try flights(), clock: clock ?? SystemSchedulerClock(), pollInterval: pollInterval) { run in
            launched.append(run)
        }
    }

    func scheduler(clock: (any SchedulerClock)? = nil, pollInterval: TimeInterval = 3600) -> FlightScheduler {
        try! makeScheduler(clock: clock, pollInterval: pollInterval)
    }
}

/// Runs handed to `startRun`, and a way to wait for the next one without sleeping.
final class LaunchedRuns: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [FlightRun] = []
    private var waiters: [CheckedContinuation<FlightRun, Never>] = []
    private var delivered = 0

    var runs: [FlightRun] { lock.withLock { all } }

    func append(_ run: FlightRun) {
        lock.lock()
        all.append(run)
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            delivered += 1
            lock.unlock()
            waiter.resume(returning: run)
            return
        }
        lock.unlock()
    }

    /// The next run not yet returned by `next`.
    func next() async -> FlightRun {
        await withCheckedContinuation { continuation in
            lock.lock()
            if delivered < all.count {
                let run = all[delivered]
                delivered += 1
                lock.unlock()
                continuation.resume(returning: run)
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }
}

/// A scheduler clock that only moves when the test sets it; sleepers wake when it reaches their
/// deadline.
final class ManualSchedulerClock: SchedulerClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var sleepers: [(deadline: Date, continuation: CheckedContinuation<Void, any Error>)] = []
    private var sleeperWaiters: [CheckedContinuation<Void, Never>] = []

    init(_ date: Date) { current = date }

    func now() -> Date { lock.withLock { current } }

    func set(_ date: Date) {
        lock.lock()
        current = date
        let due = sleepers.filter { $0.deadline <= date }
        sleepers.removeAll { $0.deadline <= date }
        lock.unlock()
        for sleeper in due { sleeper.continuation.resume() }
    }

    func sleep(until deadline: Date) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if deadline <= current || Task.isCancelled {
                    lock.unlock()
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                    return
                }
                sleepers.append((deadline, continuation))
                let waiting = sleeperWaiters
                sleeperWaiters.removeAll()
                lock.unlock()
                for waiter in waiting { waiter.resume() }
            }
        } onCancel: {
            lock.lock()
            let all = sleepers
            sleepers.removeAll()
            lock.unlock()
            for sleeper in all { sleeper.continuation.resume(throwing: CancellationError()) }
        }
    }

    /// Returns once somebody sleeps on this clock.
    func waitForSleeper() async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if !sleepers.isEmpty {
                lock.unlock()
                continuation.resume()
            } else {
                sleeperWaiters.append(continuation)
                lock.unlock()
            }
        }
    }
}
