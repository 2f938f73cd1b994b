import Foundation
import HangarViews
import HTTPTypes
import HangarFlights
import HangarRunner
import HangarRuntime
import Hummingbird

/// `/api/v1/flights…`: flights CRUD, versions, and a flight's runs (trigger and list). Every
/// rule is the platform's (`Flights`, `RunLauncher`, `RunCanceller`); this file only maps JSON
/// to its calls and its answers to JSON.
enum FlightRoutes {
    /// Runs shown per flight in the list, for its sparkline.
    static let recentRuns = 20

    static let contentFields: Set<String> = [
        "source_code", "runtime", "requirements_txt", "schedule_cron", "config", "flight_secret_names",
        "max_runtime_sec", "catch_up", "access_token_name", "instance_type",
    ]

    static func register(on routes: RouterGroup<APIRequestContext>, api: HangarAPI) {
        routes.get("/api/v1/flights") { request, _ in
            let page = try Page(request)
            let flights = api.flights
            let listed = try await api.blocking { () -> [(Flight, [FlightRun])] in
                try flights.list(limit: page.probe, offset: page.offset).map { flight in
                    (flight, try recent(flights, flight))
                }
            }
            let now = Date()
            return APIResponse.json(page.response(listed) { flight, runs in
                .object(flight.summaryJSON.fields + [
                    ("last_run", runs.first.map { $0.json(now: now) } ?? .null),
                    ("recent_runs", .array(runs.map { $0.recentJSON(now: now) })),
                ])
            })
        }

        routes.post("/api/v1/flights") { request, _ in
            let body = try await JSONBody.read(request, allowed: contentFields.union(["name"]))
            let new = NewFlight(
                name: try body.string("name").value ?? "",
                sourceCode: try body.string("source_code").value ?? "",
                runtime: try runtime(body) ?? .python,
                requirementsTxt: try body.string("requirements_txt").value,
                scheduleCron: try body.string("schedule_cron").value,
                catchUp: try catchUp(body).value ?? .latest,
                config: try body.stringMap("config").value ?? [:],
                secretNames: try body.strings("flight_secret_names").value ?? [],
                accessTokenName: try body.string("access_token_name").value,
                maxRuntimeSec: try body.int("max_runtime_sec").value,
                instanceType: try body.string("instance_type").value)
            let flights = api.flights
            let detail = try await api.blocking {
                let flight = try flights.create(new)
                if flight.runtime == .python { _ = YankedReleases.check(new.requirementsTxt) }
                return (flight, try flights.currentVersion(.id(flight.id)))
            }
            var response = APIResponse.json(detail.0.detailJSON(version: detail.1, lastRun: nil), status: .created)
            response.headers[.location] = "/api/v1/flights/\(detail.0.id.uuidString.lowercased())"
            return response
        }

        routes.get("/api/v1/flights/{flight}") { _, context in
            let selector = try flightSelector(context)
            return APIResponse.json(try await detail(api, selector))
        }

        routes.patch("/api/v1/flights/{flight}") { request, context in
            let selector = try flightSelector(context)
            let body = try await JSONBody.read(request, allowed: contentFields.union(["name", "schedule_status"]))
            let update = FlightUpdate(
                name: try body.string("name"),
                sourceCode: try body.string("source_code"),
                runtime: try body.string("runtime").map { try FlightRuntime(parsing: $0) },
                requirementsTxt: try body.string("requirements_txt"),
                scheduleCron: try body.string("schedule_cron"),
                scheduleStatus: try scheduleStatus(body),
                catchUp: try catchUp(body),
                config: try body.stringMap("config"),
                secretNames: try body.strings("flight_secret_names"),
                accessTokenName: try body.string("access_token_name"),
                maxRuntimeSec: try body.int("max_runtime_sec"),
                instanceType: try body.string("instance_type"))
            let flights = api.flights
            let updated = try await api.blocking {
                let updated = try flights.update(selector, update)
                if updated.runtime == .python, case .set(let requirements) = update.requirementsTxt { _ = YankedReleases.check(requirements) }
                return updated
            }
            return APIResponse.json(try await detail(api, .id(updated.id)))
        }

        routes.delete("/api/v1/flights/{flight}") { _, context in
            let selector = try flightSelector(context)
            let flights = api.flights
            // Signals the supervisors of the flight's runs in progress, which kill their programs.
            let deleted = try await api.blocking { try RunCanceller.deleteFlight(flights, selector) }
            return APIResponse.json(.object([
                ("flight_id", .id(deleted.flight.id)), ("flight_name", .string(deleted.flight.name)), ("deleted", .bool(true)),
            ]))
        }

        routes.get("/api/v1/flights/{flight}/versions") { request, context in
            let selector = try flightSelector(context)
            let page = try Page(request)
            let flights = api.flights
            let versions = try await api.blocking { try flights.versions(selector, limit: page.probe, offset: page.offset) }
            return APIResponse.json(page.response(versions, \.json))
        }

        routes.get("/api/v1/flights/{flight}/versions/{version}") { _, context in
            let selector = try flightSelector(context)
            let number = try positiveNumber(context, "version")
            let flights = api.flights
            let version = try await api.blocking { try flights.version(selector, number: number) }
            return APIResponse.json(version.json)
        }

        routes.post("/api/v1/flights/{flight}/runs") { request, context in
            let selector = try flightSelector(context)
            let body = try await JSONBody.read(request, allowed: ["config"])
            let config = try body.stringMap("config").value ?? [:]
            let flights = api.flights, launcher = api.launcher
            // Returns at once with the PENDING run; it goes on under its own detached supervisor,
            // after this request and after this server.
            let run = try await api.blocking { try launcher.start(flights, selector, config: config) }
            var response = APIResponse.json(run.json(), status: .created)
            response.headers[.location] = "/api/v1/runs/\(run.id.uuidString.lowercased())"
            return response
        }

        routes.get("/api/v1/flights/{flight}/runs") { request, context in
            let selector = try flightSelector(context)
            let page = try Page(request)
            let flights = api.flights
            let runs = try await api.blocking {
                // Runs whose supervisor died show as FAILED instead of running forever.
                try flights.reconcileOrphans()
                return try flights.runs(selector, limit: page.probe, offset: page.offset)
            }
            let now = Date()
            return APIResponse.json(page.response(runs) { $0.json(now: now) })
        }
    }

    // MARK: - Pieces

    static func flightSelector(_ context: APIRequestContext) throws -> FlightSelector {
        guard let text = context.parameters.decoded("flight"), !text.isEmpty else {
            throw APIError.invalid("flight", "name a flight by its name or id")
        }
        return FlightSelector(text)
    }

    static func positiveNumber(_ context: APIRequestContext, _ name: String) throws -> Int {
        let text = context.parameters.decoded(name) ?? ""
        guard let number = Int(text), number >= 1 else {
            throw APIError.invalid(name, "\(name) must be a number from 1, not \"\(text.prefix(40))\"")
        }
        return number
    }

    /// The flight with its current version and latest run.
    static func detail(_ api: HangarAPI, _ selector: FlightSelector) async throws -> JSONValue {
        let flights = api.flights
        let (flight, version, lastRun) = try await api.blocking {
            let flight = try flights.flight(selector)
            return (flight, try flights.currentVersion(.id(flight.id)), try flights.runs(.id(flight.id), limit: 1).first)
        }
        return flight.detailJSON(version: version, lastRun: lastRun)
    }

    /// A flight's latest runs; none when it was deleted between listing and this read.
    private static func recent(_ flights: Flights, _ flight: Flight) throws -> [FlightRun] {
        do {
            return try flights.runs(.id(flight.id), limit: recentRuns)
        } catch where error.kind == .notFound {
            return []
        }
    }

    private static func runtime(_ body: JSONBody) throws -> FlightRuntime? {
        try body.string("runtime").value.map { try FlightRuntime(parsing: $0) }
    }

    private static func catchUp(_ body: JSONBody) throws -> PatchValue<CatchUpPolicy> {
        try body.string("catch_up").map { try CatchUpPolicy(parsing: $0) }
    }

    private static func scheduleStatus(_ body: JSONBody) throws -> PatchValue<ScheduleStatus> {
        try body.string("schedule_status").map { text in
            guard let status = ScheduleStatus(rawValue: text.uppercased()) else {
                throw APIError.invalid("schedule_status", "schedule_status must be 'ACTIVE' or 'DISABLED', not \"\(text.prefix(40))\"")
            }
            return status
        }
    }
}
