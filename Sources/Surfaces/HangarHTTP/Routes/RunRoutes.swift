import Foundation
import HangarViews
import HangarFlights
import HangarRunner
import Hummingbird

/// `/api/v1/runs/{run_id}` and its cancel: runs by id, wherever their flight is.
enum RunRoutes {
    static func register(on routes: RouterGroup<APIRequestContext>, api: HangarAPI) {
        routes.get("/api/v1/runs/{run_id}") { _, context in
            let id = try runID(context)
            let flights = api.flights
            let run = try await api.blocking {
                try flights.reconcileOrphans()
                return try flights.run(id: id)
            }
            return APIResponse.json(run.json())
        }

        routes.post("/api/v1/runs/{run_id}/cancel") { request, context in
            let id = try runID(context)
            // No body is needed; one that is sent must still be JSON (and small).
            _ = try await JSONBody.read(request, allowed: [])
            let flights = api.flights
            // A finished run is the platform's conflict (409); a pending one is cancelled at once,
            // a running one when its supervisor acts on the signal.
            let run = try await api.blocking {
                let run = try flights.run(id: id)
                return try RunCanceller.cancel(flights, .id(run.flightID), runNumber: run.runNumber)
            }
            return APIResponse.json(run.json())
        }
    }

    static func runID(_ context: APIRequestContext) throws -> UUID {
        let text = context.parameters.decoded("run_id") ?? ""
        guard let id = UUID(uuidString: text) else {
            throw APIError.invalid("run_id", "run_id must be a run's id (a UUID), not \"\(text.prefix(40))\"")
        }
        return id
    }
}
