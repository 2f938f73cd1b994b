import Foundation
import HangarFlights
import HangarRuntime
import HangarScheduling

/// Flights, versions and secrets as the API shows them: the SQL surface's column names in its
/// order (what `--json` prints), then Hangar's own fields.
enum FlightJSON {
    /// The summary row (`MD_LIST_FLIGHTS`' columns) plus `schedule_description`.
    static func summary(_ flight: Flight) -> [(String, JSONValue)] {
        [
            ("flight_id", .id(flight.id)),
            ("flight_name", .string(flight.name)),
            ("schedule_cron", .string(flight.scheduleCron)),
            ("schedule_status", .string(flight.scheduleStatus?.rawValue)),
            // A flight that exists is active (the hosted service's only state for a listed
            // flight); whether its schedule fires is `schedule_status`.
            ("status", .string("JOB_STATUS_ACTIVE")),
            ("current_version", .int(flight.currentVersion)),
            ("created_at", .time(flight.createdAt)),
            ("updated_at", .time(flight.updatedAt)),
            ("owner_name", .string(flight.ownerName)),
            ("runtime", .string(flight.runtime.rawValue)),
            ("catch_up", .string(flight.catchUp.rawValue)),
            ("next_fire_at", .time(flight.nextFire)),
            ("schedule_description", .string(scheduleDescription(flight.scheduleCron))),
        ]
    }

    /// "every day at 07:15 UTC"; nil for an on-demand flight. Stored schedules were validated
    /// when set; one that no longer parses shows no words rather than failing the listing.
    static func scheduleDescription(_ cron: String?) -> String? {
        guard let cron, let schedule = try? CronSchedule(cron) else { return nil }
        return schedule.inWords()
    }

    /// One flight with its current version (code included) and latest run: what create, get
    /// and update answer.
    static func detail(_ flight: Flight, version: FlightVersionDetail, lastRun: FlightRun?, now: Date) -> JSONValue {
        .object(summary(flight) + [
            ("version", versionDetail(version)),
            ("last_run", lastRun.map { RunJSON.run($0, now: now) } ?? .null),
        ])
    }

    /// A version without its code (`MD_LIST_FLIGHT_VERSIONS`).
    static func version(_ version: FlightVersion) -> JSONValue {
        .object(versionFields(version) + [("runtime", .string(version.runtime.rawValue))])
    }

    /// A version with its code (`MD_GET_FLIGHT_VERSION`).
    static func versionDetail(_ detail: FlightVersionDetail) -> JSONValue {
        .object(versionFields(detail.version) + [
            // Known from this server's check when the version was saved; never asked for here.
            ("requirement_warnings", .array((YankedReleases.known(detail.requirementsTxt) ?? []).map { .string($0.warning) })),
            ("source_code", .string(detail.sourceCode)),
            ("requirements_txt", .string(detail.requirementsTxt)),
            ("runtime", .string(detail.version.runtime.rawValue)),
        ])
    }

    private static func versionFields(_ version: FlightVersion) -> [(String, JSONValue)] {
        [
            ("version_id", .id(version.id)),
            ("flight_id", .id(version.flightID)),
            ("flight_version", .int(version.number)),
            ("created_at", .time(version.createdAt)),
            ("access_token_name", .string(version.accessTokenName)),
            ("flight_secret_names", .strings(version.secretNames)),
            // Config values are not secret (the reference says so), so they are shown.
            ("config", .map(version.config)),
            ("max_runtime_sec", .int(version.maxRuntimeSec)),
            ("instance_type", .string(version.instanceType)),
        ]
    }

    /// Names and keys only: secret values are never shown.
    static func secret(_ secret: SecretSummary) -> JSONValue {
        .object([
            ("name", .string(secret.name)), ("keys", .strings(secret.keys)),
            ("created_at", .time(secret.createdAt)), ("updated_at", .time(secret.updatedAt)),
        ])
    }
}
