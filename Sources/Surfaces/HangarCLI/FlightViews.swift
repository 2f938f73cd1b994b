import Foundation
import DuckDB
import HangarFlights

/// How flights and their versions are printed: JSON with the SQL surface's column names (plus
/// Hangar's own fields after them), and tables or label/value lists for people.
extension Flight {
    /// The summary row: `MD_LIST_FLIGHTS`, `MD_GET_FLIGHT`, `MD_CREATE_FLIGHT` … and `--json`.
    static let columns: [RowColumn<Flight>] = [
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

    var json: [(String, JSONDocument)] { Self.columns.jsonFields(of: self) }

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
    /// A version row, without code: `MD_LIST_FLIGHT_VERSIONS` and `--json`.
    static let columns = referenceColumns + hangarColumns

    static let referenceColumns: [RowColumn<FlightVersion>] = [
        RowColumn("version_id", .uuid) { .id($0.id) },
        RowColumn("flight_id", .uuid) { .id($0.flightID) },
        RowColumn("flight_version", .uinteger) { .int($0.number) },
        RowColumn("created_at", .timestampTZ) { .time($0.createdAt) },
        RowColumn("access_token_name", .varchar) { .text($0.accessTokenName) },
        RowColumn("flight_secret_names", .list(.varchar)) { .texts($0.secretNames) },
        RowColumn("config", .map(key: .varchar, value: .varchar)) { .map($0.config) },
        RowColumn("max_runtime_sec", .uinteger) { .int($0.maxRuntimeSec) },
        RowColumn("instance_type", .varchar) { .text($0.instanceType) },
    ]

    static let hangarColumns: [RowColumn<FlightVersion>] = [
        RowColumn("runtime", .varchar) { .text($0.runtime.rawValue) },
    ]

    var json: [(String, JSONDocument)] { Self.columns.jsonFields(of: self) }

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
    /// A version row with its code: `MD_GET_FLIGHT_VERSION` and `--json`.
    static let columns: [RowColumn<FlightVersionDetail>] = ofVersion(FlightVersion.referenceColumns) + [
        RowColumn("source_code", .varchar) { .text($0.sourceCode) },
        RowColumn("requirements_txt", .varchar) { .text($0.requirementsTxt) },
    ] + ofVersion(FlightVersion.hangarColumns)

    private static func ofVersion(_ columns: [RowColumn<FlightVersion>]) -> [RowColumn<FlightVersionDetail>] {
        columns.map { column in RowColumn(column.name, column.type) { column.value($0.version) } }
    }

    var json: JSONDocument { .object(Self.columns.jsonFields(of: self)) }

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
