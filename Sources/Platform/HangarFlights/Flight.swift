import Foundation

/// A flight's summary row: what `MD_LIST_FLIGHTS` and `MD_GET_FLIGHT` show. Content (source,
/// config, secrets) lives on its versions.
public struct Flight: Sendable, Hashable, Identifiable {
    public let id: UUID
    public let name: String
    /// The schedule as written (trimmed); nil for an on-demand flight.
    public let scheduleCron: String?
    /// Nil exactly when there is no schedule.
    public let scheduleStatus: ScheduleStatus?
    public let catchUp: CatchUpPolicy
    public let currentVersion: Int
    /// The runtime of the current version.
    public let runtime: FlightRuntime
    public let ownerName: String
    public let createdAt: Date
    public let updatedAt: Date
    /// The next time the schedule fires (UTC cron) after the moment the row was read; nil when
    /// there is no active schedule.
    public let nextFire: Date?
}
