import DuckDB
import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights
import HangarRunner
import HangarViews

/// The hosted service's `MD_*` table functions (`docs/sql-surface.md`), registered on a
/// `hangar sql` session for the account at `home`. Each one reads its named arguments, calls the
/// platform API (`Flights`, `RunLauncher`, `RunCanceller`), which enforces every rule, and
/// returns the rows the CLI's `--json` shows, with the same columns (``RowColumn``).
///
/// They act when DuckDB binds the call, once per statement, so `SELECT * FROM f(...)`,
/// `FROM f(...)` and `CALL f(...)` all do the same; an error is DuckDB's "Invalid Input Error"
/// naming the function and the parameter at fault.
struct FlightsSQLFunctions: Sendable {
    let home: HangarHome
    /// The `hangar` binary that supervises the runs `MD_RUN_FLIGHT` starts.
    let hangarExecutable: URL
    private let platform: LazyFlights

    init(home: HangarHome, hangarExecutable: URL, platform: LazyFlights? = nil) {
        self.home = home
        self.hangarExecutable = hangarExecutable
        self.platform = platform ?? LazyFlights(home: home)
    }

    /// One function of the surface: its names (the current one, then older aliases), its
    /// parameters, its result columns and what it does.
    struct Function: Sendable {
        let names: [String]
        let parameters: [String: DuckDBType]
        let columns: [(name: String, type: DuckDBType)]
        let body: @Sendable (FlightsSQLCall, Flights) throws -> [[DuckDBValue]]

        init<Subject>(names: [String], parameters: [String: DuckDBType], rows columns: [RowColumn<Subject>],
                      _ body: @escaping @Sendable (FlightsSQLCall, Flights) throws -> [Subject]) {
            self.names = names
            self.parameters = parameters
            self.columns = columns.sqlColumns()
            self.body = { call, flights in try body(call, flights).map { columns.sqlRow(of: $0) } }
        }

        /// A function answering with one count (`deleted_count`, `canceled_count`).
        init(names: [String], parameters: [String: DuckDBType], count: String,
             _ body: @escaping @Sendable (FlightsSQLCall, Flights) throws -> Void) {
            self.names = names
            self.parameters = parameters
            columns = [(count, .bigint)]
            self.body = { call, flights in
                try body(call, flights)
                return [[.bigint(1)]]
            }
        }
    }

    func register(on connection: Connection) throws {
        for function in functions {
            for name in function.names {
                let platform = self.platform
                let label = name.uppercased()
                try connection.register(TableFunction(name: name, namedParameters: function.parameters) { arguments in
                    let call = FlightsSQLCall(function: label, arguments: arguments)
                    let rows: [[DuckDBValue]]
                    do {
                        rows = try function.body(call, try platform.flights())
                    } catch {
                        // The call is refused when its rows are read, not at bind: DuckDB reports
                        // an error thrown while producing rows as "Invalid Input Error: …", as its
                        // own functions do for bad arguments (a bind error would read "Binder
                        // Error"). The action was attempted at bind, so nothing happened.
                        let refusal = Self.refusal(label, error)
                        return TableFunctionResult(columns: function.columns) { throw refusal }
                    }
                    return TableFunctionResult(columns: function.columns, rows: rows)
                })
            }
        }
        try registerSecretListing(on: connection)
    }

    /// `FROM duckdb_secrets()` lists the account's flight secrets after DuckDB's own, in
    /// DuckDB's columns, storage `motherduck` as on the hosted service, and values redacted the
    /// way DuckDB redacts: the keys show, the values never do. The temporary macro stands in
    /// front of DuckDB's function, which it calls by its full name.
    private func registerSecretListing(on connection: Connection) throws {
        let platform = self.platform
        try connection.register(TableFunction(name: "hangar_flight_secrets") { _ in
            // Listing never creates a store where there is none.
            let secrets = ControlStoreSelection.storeExists(home: home) ? try platform.flights().secrets() : []
            return TableFunctionResult(columns: Self.secretColumns, rows: secrets.map(Self.secretRow))
        })
        try connection.execute("""
            CREATE TEMP MACRO duckdb_secrets(redact := true) AS TABLE
            SELECT * FROM system.main.duckdb_secrets(redact := redact) UNION ALL SELECT * FROM hangar_flight_secrets()
            """)
    }

    static let secretColumns: [(name: String, type: DuckDBType)] = [
        ("name", .varchar), ("type", .varchar), ("provider", .varchar), ("persistent", .boolean),
        ("storage", .varchar), ("scope", .list(.varchar)), ("secret_string", .varchar),
    ]

    static func secretRow(_ secret: SecretSummary) -> [DuckDBValue] {
        let redacted = secret.keys.map { "\($0)=redacted" }.joined(separator: ";")
        return [.varchar(secret.name), .varchar("flights"), .varchar("config"), .boolean(true), .varchar("motherduck"),
                .list([]), .varchar("name=\(secret.name);type=flights;provider=config;serializable=true;scope;\(redacted)")]
    }

    static func refusal(_ function: String, _ error: any Error) -> FlightsSQLError {
        switch error {
        case let error as FlightsError: FlightsSQLError(function, error)
        case let error as FlightsSQLError: error
        default: FlightsSQLError(function, "\(error)")
        }
    }

    // MARK: - The functions

    static let content: [String: DuckDBType] = [
        "source_code": .varchar,
        "requirements_txt": .varchar,
        "schedule_cron": .varchar,
        "config": .map(key: .varchar, value: .varchar),
        "access_token_name": .varchar,
        "flight_secret_names": .list(.varchar),
        "max_runtime_sec": .uinteger,
        "instance_type": .varchar,
        // Hangar's: the language of the source ('python', the default, or 'swift').
        "runtime": .varchar,
    ]
    static let paging: [String: DuckDBType] = ["LIMIT": .bigint, "OFFSET": .bigint]

    var functions: [Function] {
        let launcher = RunLauncher(home: home, hangarExecutable: hangarExecutable)
        return [
            Function(names: ["md_create_flight"], parameters: Self.content.merging(["name": .varchar]) { $1 },
                     rows: Flight.columns) { call, flights in
                let flight = try flights.create(NewFlight(
                    name: call.text("name").value ?? "",
                    sourceCode: call.text("source_code").value ?? "",
                    runtime: try call.runtime().value ?? .python,
                    requirementsTxt: call.text("requirements_txt").value,
                    scheduleCron: call.text("schedule_cron").value,
                    config: try call.map("config").value ?? [:],
                    secretNames: try call.texts("flight_secret_names").value ?? [],
                    accessTokenName: call.text("access_token_name").value,
                    maxRuntimeSec: try call.int("max_runtime_sec").value,
                    instanceType: call.text("instance_type").value))
                if flight.runtime == .python { Console.warnAboutYankedReleases(call.text("requirements_txt").value) }
                return [flight]
            },
            Function(names: ["md_update_flight"], parameters: Self.content.merging(["flight_id": .varchar, "name": .varchar]) { $1 },
                     rows: Flight.columns) { call, flights in
                let update = FlightUpdate(
                    name: call.text("name"), sourceCode: call.text("source_code"), runtime: try call.runtime(),
                    requirementsTxt: call.text("requirements_txt"), scheduleCron: call.text("schedule_cron"),
                    config: try call.map("config"), secretNames: try call.texts("flight_secret_names"),
                    accessTokenName: call.text("access_token_name"), maxRuntimeSec: try call.int("max_runtime_sec"),
                    instanceType: call.text("instance_type"))
                let updated = try flights.update(try call.flight(), update)
                if updated.runtime == .python, case .set(let requirements) = update.requirementsTxt {
                    Console.warnAboutYankedReleases(requirements)
                }
                return [updated]
            },
            Function(names: ["md_delete_flight"], parameters: ["flight_id": .varchar], count: "deleted_count") { call, flights in
                _ = try RunCanceller.deleteFlight(flights, try call.flight())
            },
            Function(names: ["md_list_flights", "md_flights"], parameters: Self.paging.merging(["owner_only": .boolean]) { $1 },
                     rows: Flight.columns) { call, flights in
                try flights.list(
                    limit: try call.page("LIMIT"), offset: try call.page("OFFSET"),
                    owner: call.bool("owner_only") == true ? flights.owner : nil)
            },
            Function(names: ["md_get_flight"], parameters: ["flight_id": .varchar], rows: Flight.columns) { call, flights in
                [try flights.flight(try call.flight())]
            },
            Function(names: ["md_list_flight_versions", "md_flight_versions"],
                     parameters: Self.paging.merging(["flight_id": .varchar]) { $1 },
                     rows: FlightVersion.columns) { call, flights in
                let selector = try call.flight()
                return try flights.versions(selector, limit: try call.page("LIMIT") ?? 50, offset: try call.page("OFFSET"))
            },
            Function(names: ["md_get_flight_version"], parameters: ["flight_id": .varchar, "version_number": .bigint],
                     rows: FlightVersionDetail.columns) { call, flights in
                let selector = try call.flight()
                return [try flights.version(selector, number: try call.requiredInt("version_number"))]
            },
            Function(names: ["md_run_flight"], parameters: ["flight_id": .varchar, "config": .map(key: .varchar, value: .varchar)],
                     rows: FlightRun.columns) { call, flights in
                let selector = try call.flight()
                // Returns at once: the run goes on under its own detached supervisor, after
                // this statement and this session.
                return [try launcher.start(flights, selector, config: try call.map("config").value ?? [:])]
            },
            Function(names: ["md_list_flight_runs", "md_flight_runs"], parameters: Self.paging.merging(["flight_id": .varchar]) { $1 },
                     rows: FlightRun.columns) { call, flights in
                let selector = try call.flight()
                // Runs whose supervisor died show as FAILED instead of running forever.
                try flights.reconcileOrphans()
                return try flights.runs(selector, limit: try call.page("LIMIT"), offset: try call.page("OFFSET"))
            },
            Function(names: ["md_get_flight_run"], parameters: ["flight_id": .varchar, "run_number": .bigint],
                     rows: FlightRun.columns) { call, flights in
                let selector = try call.flight()
                try flights.reconcileOrphans()
                return [try flights.run(selector, number: try call.requiredInt("run_number"))]
            },
            Function(names: ["md_get_flight_logs", "md_flight_logs"],
                     parameters: Self.paging.merging(["flight_id": .varchar, "run_number": .bigint, "ORDER": .varchar]) { $1 },
                     rows: LogLine.columns) { call, flights in
                let selector = try call.flight()
                let order = try call.text("ORDER").value.map { try LogOrder(parsing: $0) } ?? .ascending
                return try flights.logs(selector, runNumber: try call.requiredInt("run_number"),
                                        limit: try call.page("LIMIT"), offset: try call.page("OFFSET"), order: order)
            },
            Function(names: ["md_cancel_flight_run"], parameters: ["flight_id": .varchar, "run_number": .bigint],
                     count: "canceled_count") { call, flights in
                let selector = try call.flight()
                _ = try RunCanceller.cancel(flights, selector, runNumber: try call.requiredInt("run_number"))
            },
        ]
    }
}

/// The account's control store, opened at the first `MD_*` call: a session that never calls
/// one leaves the home untouched.
final class LazyFlights: @unchecked Sendable {
    private let home: HangarHome
    private let lock = NSLock()
    private var opened: Flights?

    init(home: HangarHome) {
        self.home = home
    }

    func flights() throws -> Flights {
        try lock.withLock {
            if let opened { return opened }
            let flights = try ControlStoreSelection.flights(home: home)
            opened = flights
            return flights
        }
    }
}
