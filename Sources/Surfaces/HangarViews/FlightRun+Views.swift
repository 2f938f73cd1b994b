import Foundation
import HangarFlights

extension FlightRun {
    /// A run row: `MD_LIST_FLIGHT_RUNS`, `MD_GET_FLIGHT_RUN`, `MD_RUN_FLIGHT`.
    public static let columns: [RowColumn<FlightRun>] = [
        RowColumn("run_id", .uuid) { .id($0.id) },
        RowColumn("flight_id", .uuid) { .id($0.flightID) },
        RowColumn("flight_name", .varchar) { .text($0.flightName) },
        RowColumn("flight_version", .uinteger) { .int($0.flightVersion) },
        RowColumn("config", .map(key: .varchar, value: .varchar)) { .map($0.config) },
        RowColumn("run_number", .ubigint) { .int($0.runNumber) },
        RowColumn("is_scheduled", .boolean) { .bool($0.isScheduled) },
        RowColumn("status", .varchar) { .text($0.status.sqlName) },
        RowColumn("created_at", .timestampTZ) { .time($0.createdAt) },
        RowColumn("started_at", .timestampTZ) { .time($0.startedAt) },
        RowColumn("ended_at", .timestampTZ) { .time($0.endedAt) },
        RowColumn("scheduled_at", .timestampTZ) { .time($0.scheduledAt) },
        RowColumn("cancelled_at", .timestampTZ) { .time($0.cancelledAt) },
        RowColumn("exit_code", .integer) { .int($0.exitCode.map(Int.init)) },
        RowColumn("cancel_requested_at", .timestampTZ) { .time($0.cancelRequestedAt) },
        RowColumn("failure_reason", .varchar) { .text($0.failure?.kind.rawValue) },
        RowColumn("failure_detail", .varchar) { .text($0.failure?.detail) },
        // What the run loaded through the ingest engine (null when nothing was reported).
        RowColumn("rows_loaded", .ubigint) { .int($0.loadSummary?.rowsLoaded) },
        RowColumn("loaded_tables", .map(key: .varchar, value: .bigint)) { $0.loadSummary.map { .counts($0.tables) } ?? .null },
    ]

    /// "manual" or "scheduled".
    public var trigger: String {
        isScheduled ? "scheduled" : "manual"
    }

    /// From start to end, or so far; nil before the program started.
    public func duration(now: Date = Date()) -> TimeInterval? {
        guard let startedAt else { return nil }
        return max(0, (endedAt ?? now).timeIntervalSince(startedAt))
    }

    /// The run as `--json` and the API show it: the columns, then the trigger, the duration so
    /// far and the LoadInfo summary.
    public func json(now: Date = Date()) -> JSONValue {
        .object(Self.columns.jsonFields(of: self) + [
            ("trigger", .string(trigger)),
            ("duration_sec", .double(duration(now: now).map(JSONTime.seconds))),
            ("load_info", loadSummary.map(Self.loadInfo) ?? .null),
        ])
    }

    /// The LoadInfo summary the dashboard shows: tables (`dataset.table`) with their rows, the
    /// total and the load ids.
    static func loadInfo(_ summary: RunLoadSummary) -> JSONValue {
        .object([
            ("tables", .array(summary.tables.sorted { $0.key < $1.key }.map { table, rows in
                .object([("table", .string(table)), ("rows", .int(rows))])
            })),
            ("rows_loaded", .int(summary.rowsLoaded)),
            ("load_ids", .strings(summary.loadIDs)),
        ])
    }

    /// What the flights list draws its sparkline from.
    public func recentJSON(now: Date = Date()) -> JSONValue {
        .object([
            ("run_number", .int(runNumber)),
            ("status", .string(status.sqlName)),
            ("duration_sec", .double(duration(now: now).map(JSONTime.seconds))),
            ("created_at", .time(createdAt)),
            ("rows_loaded", .int(loadSummary?.rowsLoaded)),
        ])
    }
}

extension LogLine {
    /// A log row: `MD_GET_FLIGHT_LOGS`.
    public static let columns: [RowColumn<LogLine>] = [
        RowColumn("line_number", .bigint) { .int($0.lineNumber) },
        RowColumn("reported_at", .timestampTZ) { .time($0.reportedAt) },
        RowColumn("line", .varchar) { .text($0.line) },
        RowColumn("stream", .varchar) { .text($0.stream.rawValue) },
    ]

    /// The columns, then `message`: the API contract's name for the same text.
    public var json: JSONValue {
        .object(Self.columns.jsonFields(of: self) + [("message", .string(line))])
    }
}
