import HTTPTypes
import Hummingbird
import Logging

/// Turns every error a handler throws into the API's JSON error (`{"error": {...}}`), a path
/// known under another method into 405 with `Allow`, and logs Hangar's own failures (the caller
/// gets their message, never a stack).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var problem = APIError.from(error)
            if let routing = error as? HTTPError, routing.status == .notFound {
                problem = unmatched(request)
            }
            if problem.kind == .internal {
                logger.error("\(request.method.rawValue) \(request.uri.path) failed: \(problem.message)")
            }
            return problem.response()
        }
    }

    /// No route took the request: 405 when the path exists under other methods, else 404.
    private func unmatched(_ request: Request) -> APIError {
        let allowed = routes.methods(for: request.uri.path)
        guard allowed.isEmpty else {
            let list = allowed.map(\.rawValue).sorted()
            var error = APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(list.joined(separator: ", "))")
            error.headers[.allow] = list.joined(separator: ", ")
            return error
        }
        return APIError(.notFound, "there is no endpoint \(request.method.rawValue) \(request.uri.path); the API is described at /api/v1/openapi")
    }
}

/// The routes a router ended up with, to tell "no such path" from "not with this method".
/// Filled once the router is complete (middleware is added before the routes).
final class RouteTable: @unchecked Sendable {
    private var patterns: [(method: HTTPRequest.Method, components: [String])] = []

    func fill(_ routes: [(method: HTTPRequest.Method, path: String)]) {
        patterns = routes.map { ($0.method, $0.path.split(separator: "/").map(String.init)) }
    }

    func methods(for path: String) -> Set<HTTPRequest.Method> {
        let components = path.split(separator: "/").map(String.init)
        return Set(patterns.filter { Self.matches($0.components, components) }.map(\.method))
    }

    private static func matches(_ pattern: [String], _ components: [String]) -> Bool {
        for (index, part) in pattern.enumerated() {
            if part == "**" { return index < components.count }
            guard index < components.count else { return false }
            if part.hasPrefix("{") || part == "*" { continue }
            if part != components[index] { return false }
        }
        return pattern.count == components.count
    }
}
