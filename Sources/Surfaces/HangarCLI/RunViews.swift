import Foundation
import DuckDB
import HangarFlights

/// How runs and log lines are printed: JSON with the SQL surface's column names (status as
/// `RUN_STATUS_*`, Hangar's failure reason after them), and tables or label/value lists for people.
extension FlightRun {
    /// A run row: `MD_LIST_FLIGHT_RUNS`, `MD_GET_FLIGHT_RUN`, `MD_RUN_FLIGHT` and `--json`.
    static let columns: [RowColumn<FlightRun>] = [
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

    var json: JSONDocument { .object(Self.columns.jsonFields(of: self)) }

    /// From start to end, or so far; nil before the program started.
    func duration(now: Date = Date()) -> TimeInterval? {
        guard let startedAt else { return nil }
        return (endedAt ?? now).timeIntervalSince(startedAt)
    }

    var trigger: String {
        isScheduled ? "scheduled" : "manual"
    }

    /// "SUCCEEDED", "FAILED (timeout: …)": the status with its reason, for one line of text.
    var outcomeText: String {
        guard let failure, status != .succeeded else { return status.rawValue }
        return "\(status.rawValue) (\(failure))"
    }

    static func table(_ runs: [FlightRun]) -> String {
        var table = TextTable([.right("RUN"), .left("STATUS"), .right("VERSION"), .left("TRIGGER"), .left("CREATED (UTC)"),
                               .right("DURATION"), .right("ROWS"), .right("EXIT"), .left("REASON")])
        for run in runs {
            table.append([
                String(run.runNumber), run.status.rawValue, String(run.flightVersion), run.trigger,
                Timestamps.human(run.createdAt), run.duration().map(Timestamps.duration) ?? "-",
                run.loadSummary.map { String($0.rowsLoaded) } ?? "-", run.exitCode.map(String.init) ?? "-", run.failure.map(\.kind.rawValue) ?? "-",
            ])
        }
        return table.rendered()
    }

    var details: String {
        var fields: [(String, String)] = [
            ("Run", "\(runNumber) of flight \"\(flightName)\" (version \(flightVersion))"),
            ("Run ID", id.uuidString.lowercased()),
            ("Status", status.rawValue),
        ]
        if let failure { fields.append(("Reason", failure.description)) }
        fields += [
            ("Trigger", scheduledAt.map { "scheduled for \(Timestamps.human($0))" } ?? trigger),
            ("Config", FlightVersion.configText(config)),
            ("Created", Timestamps.human(createdAt)),
            ("Started", Timestamps.human(startedAt)),
            ("Ended", Timestamps.human(endedAt)),
            ("Duration", duration().map(Timestamps.duration) ?? "-"),
            ("Exit code", exitCode.map(String.init) ?? "-"),
        ]
        if let loadSummary {
            let tables = loadSummary.tables.keys.sorted().map { "\($0) \(loadSummary.tables[$0]!)" }.joined(separator: ", ")
            fields.append(("Loaded", "\(loadSummary.rowsLoaded) rows: \(tables)"))
        }
        if let cancelRequestedAt { fields.append(("Cancel asked", Timestamps.human(cancelRequestedAt))) }
        if let cancelledAt { fields.append(("Cancelled", Timestamps.human(cancelledAt))) }
        return TextTable.details(fields)
    }
}

extension LogLine {
    /// A log row: `MD_GET_FLIGHT_LOGS` and `--json`.
    static let columns: [RowColumn<LogLine>] = [
        RowColumn("line_number", .bigint) { .int($0.lineNumber) },
        RowColumn("reported_at", .timestampTZ) { .time($0.reportedAt) },
        RowColumn("line", .varchar) { .text($0.line) },
        RowColumn("stream", .varchar) { .text($0.stream.rawValue) },
    ]

    var json: JSONDocument { .object(Self.columns.jsonFields(of: self)) }

    /// The line as the program wrote it; with `timestamps`, after the time it was captured.
    func text(timestamps: Bool) -> String {
        timestamps ? "\(Timestamps.iso(reportedAt, fractional: true)) \(line)" : line
    }
}
