import Foundation
import HangarFlights

/// How flights and their versions are printed for people: tables and label/value lists. Their
/// JSON is HangarViews' (the same as the API's).
extension Flight {
    var scheduleText: String {
        guard let scheduleCron else { return "on demand" }
        return scheduleStatus == .disabled ? "\(scheduleCron) (disabled)" : scheduleCron
    }

    static func table(_ flights: [Flight]) -> String {
        var table = TextTable([.left("NAME"), .left("RUNTIME"), .right("VERSION"), .left("SCHEDULE (UTC)"), .left("NEXT FIRE (UTC)")])
        for flight in flights {
            table.append([flight.name, flight.runtime.rawValue, String(flight.currentVersion), flight.scheduleText,
                          Timestamps.human(flight.nextFire)])
        }
        return table.rendered()
    }

    func details(version: FlightVersion, lastRun: FlightRun?, now: Date = Date()) -> String {
        var schedule = "on demand"
        if let scheduleCron {
            schedule = "\(scheduleCron) (UTC), \(scheduleStatus?.rawValue ?? "ACTIVE"), catch-up \(catchUp.rawValue)"
        }
        var nextFireText = "-"
        if let nextFire {
            nextFireText = "\(Timestamps.human(nextFire)) (in \(Timestamps.duration(nextFire.timeIntervalSince(now))))"
        }
        let lastRunText = lastRun.map { "\($0.runNumber) \($0.status.rawValue), created \(Timestamps.human($0.createdAt))" } ?? "none yet"
        return TextTable.details([
            ("Flight", name),
            ("ID", id.uuidString.lowercased()),
            ("Runtime", runtime.rawValue),
            ("Version", "\(currentVersion) (created \(Timestamps.human(version.createdAt)))"),
            ("Schedule", schedule),
            ("Next fire", nextFireText),
        ] + version.contentFields + [
            ("Last run", lastRunText),
            ("Owner", ownerName),
            ("Created", Timestamps.human(createdAt)),
            ("Updated", Timestamps.human(updatedAt)),
        ])
    }
}

extension FlightVersion {
    /// The fields a version fixes, as `show` and `version` list them.
    var contentFields: [(String, String)] {
        [
            ("Config", Self.configText(config)),
            ("Secrets", secretNames.isEmpty ? "-" : secretNames.joined(separator: ", ")),
            ("Max runtime", maxRuntimeSec.map { $0 == 0 ? "no limit" : "\($0)s" } ?? "no limit"),
        ]
    }

    /// Config values are not secret (the reference says so), so they are shown.
    static func configText(_ config: [String: String]) -> String {
        config.isEmpty ? "-" : config.keys.sorted().map { "\($0)=\(config[$0]!)" }.joined(separator: ", ")
    }

    static func table(_ versions: [FlightVersion]) -> String {
        var table = TextTable([.right("VERSION"), .left("CREATED (UTC)"), .left("RUNTIME"), .left("CONFIG KEYS"),
                               .left("SECRETS"), .right("MAX RUNTIME")])
        for version in versions {
            table.append([
                String(version.number), Timestamps.human(version.createdAt), version.runtime.rawValue,
                version.config.isEmpty ? "-" : version.config.keys.sorted().joined(separator: ","),
                version.secretNames.isEmpty ? "-" : version.secretNames.joined(separator: ","),
                version.maxRuntimeSec.map { $0 == 0 ? "-" : "\($0)s" } ?? "-",
            ])
        }
        return table.rendered()
    }
}

extension FlightVersionDetail {
    func details(flightName: String) -> String {
        var text = TextTable.details([
            ("Version", "\(version.number) of flight \"\(flightName)\""),
            ("ID", version.id.uuidString.lowercased()),
            ("Created", Timestamps.human(version.createdAt)),
            ("Runtime", version.runtime.rawValue),
        ] + version.contentFields)
        if let requirementsTxt {
            text += "\n--- requirements.txt ---\n" + requirementsTxt + (requirementsTxt.hasSuffix("\n") ? "" : "\n")
        }
        let file = version.runtime == .swift ? "main.swift" : "main.py"
        text += "\n--- \(file) ---\n" + sourceCode + (sourceCode.hasSuffix("\n") ? "" : "\n")
        return text
    }
}

extension SecretSummary {
    static func table(_ secrets: [SecretSummary]) -> String {
        var table = TextTable([.left("NAME"), .left("KEYS"), .left("UPDATED (UTC)")])
        for secret in secrets {
            table.append([secret.name, secret.keys.joined(separator: ","), Timestamps.human(secret.updatedAt)])
        }
        return table.rendered()
    }
}
