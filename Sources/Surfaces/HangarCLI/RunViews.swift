import Foundation
import HangarFlights

/// How runs and log lines are printed: JSON with the SQL surface's column names (status as
/// `RUN_STATUS_*`, Hangar's failure reason after them), and tables or label/value lists for people.
extension FlightRun {
    var json: JSONDocument {
        .object([
            ("run_id", .string(id.uuidString.lowercased())),
            ("flight_id", .string(flightID.uuidString.lowercased())),
            ("flight_name", .string(flightName)),
            ("flight_version", .int(flightVersion)),
            ("config", .map(config)),
            ("run_number", .int(runNumber)),
            ("is_scheduled", .bool(isScheduled)),
            ("status", .string(status.sqlName)),
            ("created_at", Timestamps.json(createdAt)),
            ("started_at", Timestamps.json(startedAt)),
            ("ended_at", Timestamps.json(endedAt)),
            ("scheduled_at", Timestamps.json(scheduledAt)),
            ("cancelled_at", Timestamps.json(cancelledAt)),
            ("exit_code", .int(exitCode.map(Int.init))),
            ("cancel_requested_at", Timestamps.json(cancelRequestedAt)),
            ("failure_reason", .string(failure?.kind.rawValue)),
            ("failure_detail", .string(failure?.detail)),
        ])
    }

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
                               .right("DURATION"), .right("EXIT"), .left("REASON")])
        for run in runs {
            table.append([
                String(run.runNumber), run.status.rawValue, String(run.flightVersion), run.trigger,
                Timestamps.human(run.createdAt), run.duration().map(Timestamps.duration) ?? "-",
                run.exitCode.map(String.init) ?? "-", run.failure.map(\.kind.rawValue) ?? "-",
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
        if let cancelRequestedAt { fields.append(("Cancel asked", Timestamps.human(cancelRequestedAt))) }
        if let cancelledAt { fields.append(("Cancelled", Timestamps.human(cancelledAt))) }
        return TextTable.details(fields)
    }
}

extension LogLine {
    var json: JSONDocument {
        .object([
            ("line_number", .int(lineNumber)), ("reported_at", Timestamps.json(reportedAt)),
            ("stream", .string(stream.rawValue)), ("line", .string(line)),
        ])
    }

    /// The line as the program wrote it; with `timestamps`, after the time it was captured.
    func text(timestamps: Bool) -> String {
        timestamps ? "\(Timestamps.iso(reportedAt, fractional: true)) \(line)" : line
    }
}
