import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path, status and duration. The query string is logged by
/// its parameter names only (`/api/v1/schedule?cron&count`), and headers and bodies never, so
/// neither the token, a session id nor a secret value reaches the log.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: Int(response.status.code), since: started)
            return response
        } catch {
            log(request, status: Int(APIError.from(error).kind.status.code), since: started)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info("\(request.method.rawValue) \(Self.loggedPath(request)) \(status) \(String(format: "%.1f", milliseconds)) ms")
    }

    static func loggedPath(_ request: Request) -> String {
        let path = request.uri.path
        let names = request.uri.queryParameters.map { String($0.key) }
        guard !names.isEmpty else { return path }
        return path + "?" + names.joined(separator: "&")
    }
}
