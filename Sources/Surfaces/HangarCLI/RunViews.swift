import Foundation
import HangarFlights

/// How runs and log lines are printed for people: tables and label/value lists. Their JSON is
/// HangarViews' (the same as the API's).
extension FlightRun {
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
    /// The line as the program wrote it; with `timestamps`, after the time it was captured.
    func text(timestamps: Bool) -> String {
        timestamps ? "\(Timestamps.iso(reportedAt, fractional: true)) \(line)" : line
    }
}
