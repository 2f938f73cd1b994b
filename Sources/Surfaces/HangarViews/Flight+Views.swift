import Foundation
import HangarFlights
import HangarScheduling

extension Flight {
    /// The summary row: `MD_LIST_FLIGHTS`, `MD_GET_FLIGHT`, `MD_CREATE_FLIGHT` ….
    public static let columns: [RowColumn<Flight>] = [
        RowColumn("flight_id", .uuid) { .id($0.id) },
        RowColumn("flight_name", .varchar) { .text($0.name) },
        RowColumn("schedule_cron", .varchar) { .text($0.scheduleCron) },
        RowColumn("schedule_status", .varchar) { .text($0.scheduleStatus?.rawValue) },
        // A flight that exists is active (the hosted service's only state for a listed flight);
        // whether its schedule fires is `schedule_status`.
        RowColumn("status", .varchar) { _ in .text("JOB_STATUS_ACTIVE") },
        RowColumn("current_version", .uinteger) { .int($0.currentVersion) },
        RowColumn("created_at", .timestampTZ) { .time($0.createdAt) },
        RowColumn("updated_at", .timestampTZ) { .time($0.updatedAt) },
        RowColumn("owner_name", .varchar) { .text($0.ownerName) },
        RowColumn("runtime", .varchar) { .text($0.runtime.rawValue) },
        RowColumn("catch_up", .varchar) { .text($0.catchUp.rawValue) },
        RowColumn("next_fire_at", .timestampTZ) { .time($0.nextFire) },
    ]

    /// The summary as `--json` and the API show it: the columns, then the schedule in words.
    public var summaryJSON: JSONValue {
        .object(Self.columns.jsonFields(of: self) + [("schedule_description", .string(Self.scheduleDescription(scheduleCron)))])
    }

    /// One flight with its current version (code included) and latest run: what `show`,
    /// `create` and `update` print and the API's create, get and update answer.
    public func detailJSON(version: FlightVersionDetail, lastRun: FlightRun?, now: Date = Date()) -> JSONValue {
        .object(Self.columns.jsonFields(of: self) + [
            ("schedule_description", .string(Self.scheduleDescription(scheduleCron))),
            ("version", version.json),
            ("last_run", lastRun.map { $0.json(now: now) } ?? .null),
        ])
    }

    /// "every day at 07:15 UTC"; nil for an on-demand flight. Stored schedules were validated
    /// when set; one that no longer parses shows no words rather than failing a listing.
    public static func scheduleDescription(_ cron: String?) -> String? {
        guard let cron, let schedule = try? CronSchedule(cron) else { return nil }
        return schedule.inWords()
    }
}
