import Foundation
import HangarScheduling

/// What a lake's maintenance keeps, and when the platform runs it (`hangar lake schedule`, or
/// `MAINTENANCE_SCHEDULE` in `CREATE DATABASE … (TYPE ducklake, …)`).
public struct LakeMaintenanceSettings: Sendable, Equatable, Codable {
    /// Snapshots (time travel) kept this long before they are expired.
    public static let defaultExpireOlderThan = "7 days"
    /// Files no snapshot needs any more, and files no snapshot ever recorded (a writer that died
    /// before its commit), are deleted once this old; a long query may still be reading them.
    public static let defaultDeleteOlderThan = "1 day"

    /// A five-field cron expression (UTC); nil when only run by hand (`hangar lake maintain`).
    public var schedule: String?
    /// A DuckDB interval: `7 days`, `12 hours`.
    public var expireOlderThan: String
    public var deleteOlderThan: String

    public init(schedule: String? = nil, expireOlderThan: String = Self.defaultExpireOlderThan,
                deleteOlderThan: String = Self.defaultDeleteOlderThan) {
        self.schedule = schedule
        self.expireOlderThan = expireOlderThan
        self.deleteOlderThan = deleteOlderThan
    }

    /// The schedule's next fire after `date` (UTC); nil without a schedule (or with one that is
    /// not a schedule, which ``LakeMaintenance/validate(_:)`` refuses before it is recorded).
    public func nextFire(after date: Date) -> Date? {
        schedule.flatMap { try? CronSchedule($0).nextFire(after: date) }
    }

    enum CodingKeys: String, CodingKey {
        case schedule
        case expireOlderThan = "expire_older_than"
        case deleteOlderThan = "delete_older_than"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schedule = try container.decodeIfPresent(String.self, forKey: .schedule)
        expireOlderThan = try container.decodeIfPresent(String.self, forKey: .expireOlderThan) ?? Self.defaultExpireOlderThan
        deleteOlderThan = try container.decodeIfPresent(String.self, forKey: .deleteOlderThan) ?? Self.defaultDeleteOlderThan
    }
}
