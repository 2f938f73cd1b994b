import Foundation

/// How values are written to and read from the control store's columns (see ``ControlSchema``).
enum Stored {
    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(microseconds) / 1_000_000)
    }

    static func date(_ microseconds: Int64?) -> Date? {
        microseconds.map(date)
    }

    static func id(_ uuid: UUID) -> String { uuid.uuidString.lowercased() }

    static func uuid(_ text: String) -> UUID {
        // Only this module writes ids, always from a UUID.
        UUID(uuidString: text)!
    }

    static func json(_ map: [String: String]) -> String {
        encode(map)
    }

    static func json(_ list: [String]) -> String {
        encode(list)
    }

    private static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and maps of strings cannot fail.
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    static func map(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }

    static func list(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}

extension Flight {
    static let columns = """
        f.id, f.name, f.schedule_cron, f.schedule_status, f.catch_up, f.current_version, f.owner_name,
        f.created_at, f.updated_at, v.runtime
        """
    static let from = "flights f JOIN flight_versions v ON v.flight_id = f.id AND v.number = f.current_version"

    init(row: ControlRow, now: Date) {
        let cron: String? = row["schedule_cron"]
        let status = (row["schedule_status"] as String?).flatMap(ScheduleStatus.init(rawValue:))
        let nextFire: Date? = if let cron, status == .active { try? Validation.schedule(cron).nextFire(after: now) } else { nil }
        self.init(
            id: Stored.uuid(row["id"]), name: row["name"], scheduleCron: cron, scheduleStatus: status,
            catchUp: CatchUpPolicy(rawValue: row["catch_up"]) ?? .latest, currentVersion: row["current_version"],
            runtime: FlightRuntime(rawValue: row["runtime"]) ?? .python, ownerName: row["owner_name"],
            createdAt: Stored.date(row["created_at"] as Int64), updatedAt: Stored.date(row["updated_at"] as Int64),
            nextFire: nextFire)
    }
}

extension FlightVersion {
    static let columns = """
        id, flight_id, number, created_at, runtime, config, flight_secret_names, access_token_name,
        max_runtime_sec, instance_type
        """

    init(row: ControlRow) {
        self.init(
            id: Stored.uuid(row["id"]), flightID: Stored.uuid(row["flight_id"]), number: row["number"],
            createdAt: Stored.date(row["created_at"] as Int64), runtime: FlightRuntime(rawValue: row["runtime"]) ?? .python,
            config: Stored.map(row["config"]), secretNames: Stored.list(row["flight_secret_names"]),
            accessTokenName: row["access_token_name"], maxRuntimeSec: row["max_runtime_sec"],
            instanceType: row["instance_type"])
    }
}

extension FlightRun {
    init(row: ControlRow) {
        let failure: RunFailure? = (row["failure_kind"] as String?)
            .flatMap(RunFailureKind.init(rawValue:))
            .map { RunFailure($0, row["failure_detail"] ?? "") }
        let supervisor: SupervisorIdentity? = (row["supervisor_pid"] as Int32?)
            .map { SupervisorIdentity(pid: $0, startToken: row["supervisor_start_token"] ?? "") }
        let program: SupervisorIdentity? = (row["program_pid"] as Int32?)
            .map { SupervisorIdentity(pid: $0, startToken: row["program_start_token"] ?? "") }
        self.init(
            id: Stored.uuid(row["id"]), flightID: Stored.uuid(row["flight_id"]), flightName: row["flight_name"],
            flightVersion: row["flight_version"], runNumber: row["run_number"], isScheduled: row["is_scheduled"],
            status: RunStatus(rawValue: row["status"]) ?? .failed, config: Stored.map(row["config"]),
            createdAt: Stored.date(row["created_at"] as Int64), scheduledAt: Stored.date(row["scheduled_at"] as Int64?),
            startedAt: Stored.date(row["started_at"] as Int64?), endedAt: Stored.date(row["ended_at"] as Int64?),
            cancelRequestedAt: Stored.date(row["cancel_requested_at"] as Int64?),
            cancelledAt: Stored.date(row["cancelled_at"] as Int64?), exitCode: row["exit_code"], failure: failure,
            supervisor: supervisor, program: program,
            loadSummary: (row["load_summary"] as String?).flatMap { try? JSONDecoder().decode(RunLoadSummary.self, from: Data($0.utf8)) })
    }
}

extension LogLine {
    init(row: ControlRow) {
        self.init(
            lineNumber: row["line_number"], reportedAt: Stored.date(row["reported_at"] as Int64),
            stream: LogStream(rawValue: row["stream"]) ?? .stdout, line: row["line"])
    }
}
