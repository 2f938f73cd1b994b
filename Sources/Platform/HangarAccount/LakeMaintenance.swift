import DuckDB
import Foundation
import HangarScheduling

/// One lake's maintenance, with DuckLake's own functions, in the order DuckLake's `CHECKPOINT`
/// runs them: inlined rows flushed to Parquet, old snapshots expired, small adjacent files merged,
/// files mostly deleted rewritten, then the files no snapshot needs any more (and files no
/// snapshot ever recorded) deleted once they are old enough.
///
/// It runs with the lake to itself: it enters the lake's ``DuckLakeGate`` exclusively, which it
/// gets only while no load is in the lake, and loads arriving meanwhile wait for it. Each step
/// commits on its own, so a failed or interrupted run leaves the lake consistent, some steps done.
///
/// Every run is recorded in the lake's catalog (`<metadata schema>.hangar_maintenance`), so hosts
/// sharing the lake see one history, and a scheduled fire claimed by one host is not run again by
/// another (the check and the claim happen inside the exclusive gate).
public struct LakeMaintenance: Sendable {
    public let name: String
    public let location: DuckLakeLocation
    public let settings: LakeMaintenanceSettings

    public init(name: String, location: DuckLakeLocation, settings: LakeMaintenanceSettings) {
        self.name = name
        self.location = location
        self.settings = settings
    }

    public init(name: String, descriptor: DuckLakeDescriptor) {
        self.init(name: name, location: descriptor.location, settings: descriptor.maintenance ?? LakeMaintenanceSettings())
    }

    /// One step: what DuckLake's function did, counted from the rows it returned.
    public struct Step: Sendable, Equatable, Codable {
        public var name: String
        /// Rows flushed, snapshots expired, files merged or rewritten, files deleted.
        public var count: Int
        public var seconds: Double
    }

    public enum Outcome: String, Sendable, Codable {
        case succeeded
        case failed
        /// Loads kept the lake busy until the deadline: nothing was done, the next fire tries again.
        case deferred
        /// Another host had run this scheduled fire already.
        case alreadyRun = "already_run"
    }

    public struct Report: Sendable, Equatable, Codable {
        public var lake: String
        public var outcome: Outcome
        /// The scheduled minute this run is for; nil when run by hand.
        public var scheduledAt: Date?
        public var startedAt: Date
        public var finishedAt: Date
        public var host: String
        public var steps: [Step]
        public var error: String?
        /// Data files and snapshots in the lake after the run.
        public var dataFiles: Int?
        public var snapshots: Int?

        enum CodingKeys: String, CodingKey {
            case lake, outcome, host, steps, error, snapshots
            case scheduledAt = "scheduled_at"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case dataFiles = "data_files"
        }
    }

    /// The steps, in order: DuckLake's function and the named arguments it gets.
    var plannedSteps: [(name: String, call: String)] {
        let alias = quoteLiteral(name)
        let expire = "now() - INTERVAL \(quoteLiteral(settings.expireOlderThan))"
        let delete = "now() - INTERVAL \(quoteLiteral(settings.deleteOlderThan))"
        return [
            ("flush_inlined_data", "CALL ducklake_flush_inlined_data(\(alias))"),
            ("expire_snapshots", "CALL ducklake_expire_snapshots(\(alias), older_than => \(expire))"),
            ("merge_adjacent_files", "CALL ducklake_merge_adjacent_files(\(alias))"),
            ("rewrite_data_files", "CALL ducklake_rewrite_data_files(\(alias))"),
            ("cleanup_old_files", "CALL ducklake_cleanup_old_files(\(alias), older_than => \(delete))"),
            ("delete_orphaned_files", "CALL ducklake_delete_orphaned_files(\(alias), older_than => \(delete))"),
        ]
    }

    /// Throws, naming the setting, when the schedule is not a cron expression or an interval is
    /// not one DuckDB reads.
    public static func validate(_ settings: LakeMaintenanceSettings) throws {
        if let schedule = settings.schedule {
            do {
                _ = try CronSchedule(schedule)
            } catch {
                throw DuckLakeError(.invalid, "MAINTENANCE_SCHEDULE '\(schedule)' is not a schedule: \(error)")
            }
        }
        let connection = try Database(.inMemory).connect()
        for (option, value) in [("EXPIRE_OLDER_THAN", settings.expireOlderThan), ("DELETE_OLDER_THAN", settings.deleteOlderThan)] {
            do {
                _ = try connection.scalar("SELECT \(quoteLiteral(value))::INTERVAL", as: String.self)
            } catch {
                throw DuckLakeError(.invalid, "\(option) '\(value)' is not an interval; write it as '7 days' or '12 hours'")
            }
        }
    }

    /// Runs the maintenance once: waits (trying again every second) until no load is in the lake
    /// or `deadline` passes or `stopWaiting` says so (then `deferred`). `scheduledAt` is the fire
    /// it is for: when another host recorded that fire already, it does nothing (`alreadyRun`).
    /// `progress` hears each step.
    public func run(scheduledAt: Date? = nil, waitingUntil deadline: Date, stopWaiting: () -> Bool = { false },
                    progress: (String) -> Void = { _ in }) throws -> Report {
        let started = Date()
        var report = Report(lake: name, outcome: .deferred, scheduledAt: scheduledAt, startedAt: started, finishedAt: started,
                            host: ProcessInfo.processInfo.hostName, steps: [])
        let history = try LakeMaintenanceHistory(location: location)
        guard let gate = try DuckLakeGate.enterForMaintenance(location, until: deadline, stopWaiting: stopWaiting) else {
            report.finishedAt = Date()
            try history.record(report)
            return report
        }
        defer { gate.leave() }
        if let scheduledAt, try history.hasRun(scheduledAt: scheduledAt) {
            report.outcome = .alreadyRun
            report.finishedAt = Date()
            return report
        }
        report.startedAt = Date()
        do {
            let lake = try DuckLake.connect(location, alias: name)
            for step in plannedSteps {
                progress("\(name): \(step.name.replacingOccurrences(of: "_", with: " "))")
                let began = Date()
                let rows = try lake.query(step.call).all()
                report.steps.append(Step(name: step.name, count: Self.count(step.name, rows), seconds: Date().timeIntervalSince(began)))
            }
            // DuckLake attaches the catalog beside the lake as __ducklake_metadata_<alias>.
            report.dataFiles = try lake.scalar(
                "SELECT count(*) FROM \(quoteIdentifier("__ducklake_metadata_" + name)).\(quoteIdentifier(location.metadataSchema)).ducklake_data_file WHERE end_snapshot IS NULL",
                as: Int.self)
            report.snapshots = try lake.scalar("SELECT count(*) FROM ducklake_snapshots(\(quoteLiteral(name)))", as: Int.self)
            report.outcome = .succeeded
        } catch let error as DuckDBError {
            report.outcome = .failed
            report.error = DuckLake.maskingCatalog(error.message, location)
        }
        report.finishedAt = Date()
        try history.record(report)
        return report
    }

    /// Rows a step's function returned, as the figure that step reports.
    static func count(_ step: String, _ rows: [Row]) -> Int {
        switch step {
        case "flush_inlined_data", "merge_adjacent_files", "rewrite_data_files":
            // rows_flushed, files_processed: the third column.
            return rows.reduce(0) { $0 + ((try? $1.get(2, as: Int.self)) ?? 0) }
        default:
            // One row per snapshot expired or file deleted.
            return rows.count
        }
    }
}

extension LakeMaintenance.Report {
    /// The report as one JSON object (`hangar lake maintain --json`, the history's rows).
    public var jsonText: String {
        (try? String(decoding: LakeMaintenanceHistory.encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}
