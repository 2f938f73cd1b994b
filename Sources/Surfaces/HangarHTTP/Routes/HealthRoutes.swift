import Foundation
import HangarViews
import Hummingbird

/// `GET /healthz`, without authentication, for load balancers and supervisors: whether the
/// control store answers and whether the scheduler runs. 200 when both are fine, else 503.
enum HealthRoutes {
    static func register(on router: Router<APIRequestContext>, api: HangarAPI) {
        router.get("/healthz") { _, _ in
            let flights = api.flights
            let storeProblem: String?
            do {
                _ = try await api.blocking { try flights.list(limit: 1) }
                storeProblem = nil
            } catch {
                storeProblem = APIError.from(error).message
            }
            let scheduler = api.schedulerStatus()
            let healthy = storeProblem == nil && scheduler.state != .stopped
            return APIResponse.json(.object([
                ("status", .string(healthy ? "ok" : "degraded")),
                ("scheduler", .object([("state", .string(scheduler.state.rawValue)), ("holder", .string(scheduler.holder))])),
                ("store", .object([("ok", .bool(storeProblem == nil)), ("message", .string(storeProblem))])),
            ]), status: healthy ? .ok : .serviceUnavailable)
        }
    }
}
