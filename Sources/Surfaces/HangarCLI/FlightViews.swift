import Foundation
import HangarFlights

/// How flights and their versions are printed: JSON with the SQL surface's column names (plus
/// Hangar's own fields after them), and tables or label/value lists for people.
extension Flight {
    var json: [(String, JSONDocument)] {
        [
            ("flight_id", .string(id.uuidString.lowercased())),
            ("flight_name", .string(name)),
            ("schedule_cron", .string(scheduleCron)),
            ("schedule_status", .string(scheduleStatus?.rawValue)),
            ("current_version", .int(currentVersion)),
            ("created_at", Timestamps.json(createdAt)),
            ("updated_at", Timestamps.json(updatedAt)),
            ("owner_name", .string(ownerName)),
            ("runtime", .string(runtime.rawValue)),
            ("catch_up", .string(catchUp.rawValue)),
            ("next_fire_at", Timestamps.json(nextFire)),
        ]
    }

    /// The flight with its current version (without code): what `show`, `create` and `update` print.
    static func json(_ flight: Flight, version: FlightVersion) -> JSONDocument {
        .object(flight.json + [("version", .object(version.json))])
    }

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
    var json: [(String, JSONDocument)] {
        [
            ("version_id", .string(id.uuidString.lowercased())),
            ("flight_id", .string(flightID.uuidString.lowercased())),
            ("flight_version", .int(number)),
            ("created_at", Timestamps.json(createdAt)),
            ("access_token_name", .string(accessTokenName)),
            ("flight_secret_names", .strings(secretNames)),
            ("config", .map(config)),
            ("max_runtime_sec", .int(maxRuntimeSec)),
            ("instance_type", .string(instanceType)),
            ("runtime", .string(runtime.rawValue)),
        ]
    }

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
    var json: JSONDocument {
        .object(version.json + [("source_code", .string(sourceCode)), ("requirements_txt", .string(requirementsTxt))])
    }

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
    /// Names and keys only: secret values are never printed.
    var json: JSONDocument {
        .object([
            ("name", .string(name)), ("keys", .strings(keys)),
            ("created_at", Timestamps.json(createdAt)), ("updated_at", Timestamps.json(updatedAt)),
        ])
    }

    static func table(_ secrets: [SecretSummary]) -> String {
        var table = TextTable([.left("NAME"), .left("KEYS"), .left("UPDATED (UTC)")])
        for secret in secrets {
            table.append([secret.name, secret.keys.joined(separator: ","), Timestamps.human(secret.updatedAt)])
        }
        return table.rendered()
    }
}
