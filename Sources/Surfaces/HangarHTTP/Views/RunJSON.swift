import Foundation
import HangarFlights

/// Runs and log lines as the API shows them: `MD_LIST_FLIGHT_RUNS`' columns (status as
/// `RUN_STATUS_*`), then Hangar's own fields.
enum RunJSON {
    static func run(_ run: FlightRun, now: Date) -> JSONValue {
        .object([
            ("run_id", .id(run.id)),
            ("flight_id", .id(run.flightID)),
            ("flight_name", .string(run.flightName)),
            ("flight_version", .int(run.flightVersion)),
            ("config", .map(run.config)),
            ("run_number", .int(run.runNumber)),
            ("is_scheduled", .bool(run.isScheduled)),
            ("status", .string(run.status.sqlName)),
            ("created_at", .time(run.createdAt)),
            ("started_at", .time(run.startedAt)),
            ("ended_at", .time(run.endedAt)),
            ("scheduled_at", .time(run.scheduledAt)),
            ("cancelled_at", .time(run.cancelledAt)),
            ("exit_code", .int(run.exitCode.map(Int.init))),
            ("cancel_requested_at", .time(run.cancelRequestedAt)),
            ("failure_reason", .string(run.failure?.kind.rawValue)),
            ("failure_detail", .string(run.failure?.detail)),
            // What the run loaded through the ingest engine, as the SQL surface shows it.
            ("rows_loaded", .int(run.loadSummary?.rowsLoaded)),
            ("loaded_tables", run.loadSummary.map { summary in
                .object(summary.tables.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })
            } ?? .null),
            ("trigger", .string(run.isScheduled ? "scheduled" : "manual")),
            ("duration_sec", .double(duration(run, now: now))),
            ("load_info", run.loadSummary.map(loadInfo) ?? .null),
        ])
    }

    /// The LoadInfo summary the dashboard shows: tables (`dataset.table`) with their rows, the
    /// total and the load ids; nil when the run loaded nothing through the ingest engine.
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
    static func recent(_ run: FlightRun, now: Date) -> JSONValue {
        .object([
            ("run_number", .int(run.runNumber)),
            ("status", .string(run.status.sqlName)),
            ("duration_sec", .double(duration(run, now: now))),
            ("created_at", .time(run.createdAt)),
            ("rows_loaded", .int(run.loadSummary?.rowsLoaded)),
        ])
    }

    /// From start to end, or so far; nil before the program started.
    static func duration(_ run: FlightRun, now: Date) -> Double? {
        guard let startedAt = run.startedAt else { return nil }
        return APITime.seconds(max(0, (run.endedAt ?? now).timeIntervalSince(startedAt)))
    }

    static func line(_ line: LogLine) -> JSONValue {
        .object([
            ("line_number", .int(line.lineNumber)),
            ("stream", .string(line.stream.rawValue)),
            ("reported_at", .time(line.reportedAt)),
            ("message", .string(line.line)),
            // The SQL surface's name for the same text.
            ("line", .string(line.line)),
        ])
    }
}
