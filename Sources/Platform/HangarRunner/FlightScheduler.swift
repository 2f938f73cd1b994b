import Foundation
import HangarAccount
import HangarFlights
import HangarScheduling
import Logging
import Metrics
import ServiceLifecycle

/// Starts scheduled runs when their cron fires (UTC), as a service of `hangar serve`.
///
/// Each pass re-reads the active schedules, so creating, changing or disabling a schedule takes
/// effect without a restart. Fires missed while no scheduler ran are handled by the flight's
/// catch-up policy: `latest` (default) runs once for the most recent missed fire, `none` skips
/// them, `all` runs each. Two schedulers on one home never fire twice: only the one holding the
/// home's scheduler lock runs passes (the other stands by), and the store records each fire at
/// most once (a UNIQUE (flight, scheduled_at) guard) should two ever overlap.
public final class FlightScheduler: Service, Sendable {
    /// What one pass did, for logs and tests.
    public struct Pass: Sendable, Equatable {
        public var started: [FlightRun] = []
        /// Fires another scheduler had already recorded.
        public var alreadyFired = 0
        /// Missed fires the catch-up policy skipped.
        public var skipped = 0
        /// Runs found orphaned (their supervisor gone) and marked FAILED.
        public var orphaned = 0
    }

    /// A fire this close to now is on time; older ones were missed while nothing was scheduling.
    public static let onTimeTolerance: TimeInterval = 60
    /// Catch-up `all` starts at most this many runs for one flight in one pass.
    public static let catchUpLimit = 100

    private let flights: Flights
    private let clock: any SchedulerClock
    private let startRun: @Sendable (FlightRun) throws -> Void
    private let pollInterval: TimeInterval
    private let logger: Logger
    private let lockFile: URL

    /// `startRun` starts the supervisor of a recorded PENDING run (`RunLauncher.launchSupervisor`).
    public init(flights: Flights, clock: any SchedulerClock = SystemSchedulerClock(), pollInterval: TimeInterval = 5,
                logger: Logger = Logger(label: "hangar.scheduler"), startRun: @escaping @Sendable (FlightRun) throws -> Void) {
        self.flights = flights
        self.clock = clock
        self.startRun = startRun
        self.pollInterval = pollInterval
        self.logger = logger
        lockFile = flights.store.home.root.appendingPathComponent("scheduler")
    }

    /// Passes until the service group shuts down; between passes it sleeps until the next fire
    /// or the poll interval, whichever comes first.
    public func run() async throws {
        do {
            try await loop()
        } catch is CancellationError {
            // A graceful shutdown cancels the sleep between passes: that is a normal end.
        }
    }

    private func loop() async throws {
        try await cancelWhenGracefulShutdown {
            var lease: DatabaseLease?
            var announcedStandby = false
            defer { lease?.release() }
            while !Task.isCancelled {
                if lease == nil {
                    lease = try? DatabaseLease.acquire(self.lockFile, as: LeaseHolder(purpose: "hangar serve scheduler"), timeout: 0)
                    if lease == nil, !announcedStandby {
                        let holder = DatabaseLease.currentHolder(of: self.lockFile).map(\.description) ?? "another process"
                        self.logger.notice("another scheduler is active on this home (\(holder)); standing by")
                        announcedStandby = true
                    } else if lease != nil {
                        self.logger.info("scheduler active")
                    }
                }
                let now = self.clock.now()
                if lease != nil {
                    let pass = self.pass(at: now)
                    for run in pass.started {
                        self.logger.info("started scheduled run", metadata: ["flight": "\(run.flightName)", "run": "\(run.runNumber)",
                                                                           "scheduled_at": "\(run.scheduledAt.map { "\($0)" } ?? "")"])
                    }
                }
                try await self.clock.sleep(until: self.nextWake(after: now))
            }
        }
    }

    /// One pass at `now`: records and starts every due fire, skips missed fires as each flight's
    /// policy says, and fails runs whose supervisor is gone.
    @discardableResult
    public func pass(at now: Date) -> Pass {
        var pass = Pass()
        do {
            pass.orphaned = try flights.reconcileOrphans().count
        } catch {
            logger.error("could not check for orphaned runs: \(error)")
        }
        let scheduled: [ScheduledFlight]
        do {
            scheduled = try flights.scheduledFlights()
        } catch {
            logger.error("could not read schedules: \(error)")
            return pass
        }
        for flight in scheduled {
            let fires = Self.fires(of: flight, through: now)
            guard let latest = fires.last else { continue }
            let onTime = now.timeIntervalSince(latest) <= Self.onTimeTolerance
            let toRun: [Date]
            switch flight.catchUp {
            case .latest: toRun = [latest]
            case .none: toRun = onTime ? [latest] : []
            case .all: toRun = Array(fires.suffix(Self.catchUpLimit))
            }
            pass.skipped += fires.count - toRun.count
            do {
                for fire in toRun {
                    switch try flights.recordScheduledFire(flightID: flight.flightID, at: fire) {
                    case .started(let run):
                        pass.started.append(run)
                        do {
                            try startRun(run)
                            // Fire time to start: late passes, a busy store, or (catch-up) downtime.
                            Metrics.Timer(label: "hangar_scheduler_lag_seconds")
                                .recordNanoseconds(Int64(max(0, clock.now().timeIntervalSince(fire)) * 1e9))
                        } catch {
                            logger.error("could not start the supervisor of \(flight.flightName) run \(run.runNumber): \(error)")
                            _ = try? flights.markFinished(run.id, .failed(RunFailure(.launchFailure, "\(error)"), exitCode: nil))
                        }
                    case .alreadyFired: pass.alreadyFired += 1
                    case .notScheduled: break
                    }
                }
                try flights.markFiresHandled(flightID: flight.flightID, through: latest)
            } catch {
                logger.error("could not record the schedule of \(flight.flightName): \(error)")
            }
        }
        return pass
    }

    /// The fires after what was handled, up to and including `now`, oldest first. Only the
    /// latest `catchUpLimit` are kept: after a long downtime an every-minute schedule has many.
    static func fires(of flight: ScheduledFlight, through now: Date) -> [Date] {
        var fires: [Date] = []
        var cursor = flight.handledThrough
        while let fire = flight.schedule.nextFire(after: cursor, in: .gmt), fire <= now {
            fires.append(fire)
            if fires.count > catchUpLimit * 2 { fires.removeFirst(fires.count - catchUpLimit) }
            cursor = fire
        }
        return fires
    }

    /// The next fire of any active schedule, or the poll interval (so new and changed schedules
    /// are seen), whichever comes first.
    private func nextWake(after now: Date) -> Date {
        let poll = now.addingTimeInterval(pollInterval)
        guard let scheduled = try? flights.scheduledFlights() else { return poll }
        let next = scheduled.compactMap { $0.schedule.nextFire(after: max(now, $0.handledThrough), in: .gmt) }.min()
        return min(next ?? poll, poll)
    }
}
