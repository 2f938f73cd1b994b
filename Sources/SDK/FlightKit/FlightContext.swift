import Foundation
import HangarAccount

/// What a running flight knows about itself, read from the environment its supervisor gave it:
/// which flight and run this is, whether the scheduler started it, its config and its secrets.
///
///     let flight = FlightContext.current
///     let repos = flight.config("REPOS", default: "duckdb/duckdb")
///     let token = flight.secret("GITHUB_TOKEN")            // bare param name, as the hosted service
///
/// Outside a run (a flight started by hand while developing it) every run field is nil and the
/// config and secrets are whatever the shell exports, so the same program runs both ways.
public struct FlightContext: Sendable {
    public let flightID: String?
    public let flightName: String?
    public let runID: String?
    public let runNumber: Int?
    public let isScheduled: Bool
    public let home: HangarHome
    /// The config keys of the flight's version (the effective, per-run values are in the environment).
    public let configKeys: [String]
    let environment: [String: String]

    public static var current: FlightContext { FlightContext(environment: ProcessInfo.processInfo.environment) }

    public init(environment: [String: String]) {
        self.environment = environment
        flightID = environment["HANGAR_FLIGHT_ID"] ?? environment["MOTHERDUCK_FLIGHT_ID"]
        flightName = environment["HANGAR_FLIGHT_NAME"]
        runID = environment["HANGAR_RUN_ID"] ?? environment["MOTHERDUCK_FLIGHT_RUN_ID"]
        runNumber = environment["HANGAR_RUN_NUMBER"].flatMap { Int($0) }
        isScheduled = environment["HANGAR_IS_SCHEDULED"] == "true"
        home = HangarHome.resolve(environment: environment)
        let keys = environment["HANGAR_CONFIG_KEYS"].flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
        configKeys = keys ?? []
    }

    /// True inside a run started by Hangar (on demand or by the scheduler).
    public var isRun: Bool { runID != nil }

    /// A config value: each config key reaches the run as an environment variable of that name.
    public func config(_ key: String) -> String? { environment[key] }

    public func config(_ key: String, default fallback: String) -> String {
        guard let value = environment[key], !value.isEmpty else { return fallback }
        return value
    }

    /// All config values of this run, keyed as on the flight.
    public var config: [String: String] {
        Dictionary(uniqueKeysWithValues: configKeys.compactMap { key in environment[key].map { (key, $0) } })
    }

    /// A secret's param by its bare name (`API_KEY`), as the hosted service also provides it.
    public func secret(_ param: String) -> String? { environment[param] }

    /// A secret's param qualified by the secret's name: `secret("github", "TOKEN")` reads `github_TOKEN`.
    public func secret(_ name: String, _ param: String) -> String? { environment["\(name.lowercased())_\(param)"] }

    /// How leases and logs name this process while it holds an account database.
    public var leaseHolderName: String {
        guard let flightName else { return "a flight outside Hangar (pid \(getpid()))" }
        return runNumber.map { "flight \(flightName) run \($0)" } ?? "flight \(flightName)"
    }
}
