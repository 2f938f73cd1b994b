import DuckDB
import Foundation
import HangarAccount
import HangarScheduling
import Logging
import ServiceLifecycle
import Synchronization

/// Runs the maintenance of the home's DuckLake databases when their schedules fire (UTC), as a
/// service of `hangar serve`.
///
/// Each pass re-reads the lakes' descriptors, so `hangar lake schedule` takes effect without a
/// restart. A fire missed while no server ran is not caught up: maintenance is periodic, and the
/// next fire does the same work. Several servers (on one home, or on hosts sharing the lake) may
/// fire at once: the one that gets the lake to itself first records the fire in the lake's
/// catalog, and the others find it recorded and do nothing.
public final class LakeMaintenanceScheduler: Service, Sendable {
    /// How long a fire waits for the loads in its lake to finish before it is deferred.
    public static let defaultWaitForLoads: TimeInterval = 600

    private let home: HangarHome
    private let clock: any SchedulerClock
    private let waitForLoads: TimeInterval
    private let logger: Logger
    /// The latest fire handled per lake, so a pass repeated within the minute does not fire twice.
    private let handled = Mutex<[String: Date]>([:])

    public init(home: HangarHome, clock: any SchedulerClock = SystemSchedulerClock(),
                waitForLoads: TimeInterval = LakeMaintenanceScheduler.defaultWaitForLoads,
                logger: Logger = Logger(label: "hangar.lake-maintenance")) {
        self.home = home
        self.clock = clock
        self.waitForLoads = waitForLoads
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    let now = self.clock.now()
                    // Maintenance blocks a thread for as long as it runs (DuckDB's calls are synchronous).
                    let reports = await Task.detached { self.pass(at: now) }.value
                    for report in reports { self.log(report) }
                    try await self.clock.sleep(until: Self.nextMinute(after: self.clock.now()))
                }
            }
        } catch is CancellationError {
            // A graceful shutdown cancels the wait between passes (or a lake's wait for its loads).
        }
    }

    /// One pass at `now`: runs the maintenance of every lake whose schedule fired in the minute
    /// `now` is in (and was not handled yet), one lake after another.
    public func pass(at now: Date) -> [LakeMaintenance.Report] {
        var reports: [LakeMaintenance.Report] = []
        for database in home.accountDatabases() where database.isLake {
            let descriptor: DuckLakeDescriptor
            do {
                descriptor = try DuckLakeDescriptor.read(from: database.url)
            } catch {
                logger.error("cannot read the DuckLake database \(database.name): \(error)")
                continue
            }
            guard let expression = descriptor.maintenance?.schedule else { continue }
            let fire: Date
            do {
                guard let due = try Self.fire(of: CronSchedule(expression), at: now) else { continue }
                fire = due
            } catch {
                logger.error("the maintenance schedule '\(expression)' of \(database.name) is not a schedule: \(error); fix it with hangar lake schedule \(database.name) CRON")
                continue
            }
            let isNew = handled.withLock { latest -> Bool in
                guard latest[database.name].map({ $0 < fire }) ?? true else { return false }
                latest[database.name] = fire
                return true
            }
            guard isNew else { continue }
            let maintenance = LakeMaintenance(name: database.name, descriptor: descriptor)
            do {
                reports.append(try maintenance.run(scheduledAt: fire, waitingUntil: Date().addingTimeInterval(waitForLoads),
                                                   stopWaiting: { Task.isCancelled }))
            } catch {
                logger.error("the scheduled maintenance of \(database.name) could not run: \(error)")
            }
        }
        return reports
    }

    /// The fire of `schedule` in the minute holding `now`, if it fires then.
    static func fire(of schedule: CronSchedule, at now: Date) -> Date? {
        let minute = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60)
        return schedule.fires(at: minute) ? minute : nil
    }

    static func nextMinute(after date: Date) -> Date {
        Date(timeIntervalSince1970: ((date.timeIntervalSince1970 / 60).rounded(.down) + 1) * 60)
    }

    private func log(_ report: LakeMaintenance.Report) {
        let did = report.steps.filter { $0.count > 0 }.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        let metadata: Logger.Metadata = ["lake": "\(report.lake)", "outcome": "\(report.outcome.rawValue)"]
        switch report.outcome {
        case .succeeded:
            logger.info("maintained \(report.lake): \(did.isEmpty ? "nothing to do" : did)", metadata: metadata)
        case .alreadyRun:
            logger.info("the maintenance of \(report.lake) for this fire ran on another host", metadata: metadata)
        case .deferred:
            logger.warning("loads kept \(report.lake) busy for \(Int(waitForLoads)) s: its maintenance waits for the next fire", metadata: metadata)
        case .failed:
            logger.error("the maintenance of \(report.lake) failed: \(report.error ?? "")", metadata: metadata)
        }
    }
}
