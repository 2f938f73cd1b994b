import Foundation
import HangarViews
import HTTPTypes
import HangarFlights
import Hummingbird

/// A run's log: pages (`/logs?after=&limit=`) and a live stream of server-sent events
/// (`/logs/stream`), both read from the store, where the run's supervisor (another process)
/// writes the lines.
enum LogRoutes {
    static let defaultLimit = 1000
    static let maxLimit = 5000

    static func register(on routes: RouterGroup<APIRequestContext>, api: HangarAPI) {
        routes.get("/api/v1/runs/{run_id}/logs") { request, context in
            let id = try RunRoutes.runID(context)
            let after = try QueryParameters.int(request, "after", default: 0, in: 0...Int.max)
            let limit = try QueryParameters.int(request, "limit", default: defaultLimit, in: 1...maxLimit)
            let flights = api.flights
            let (run, lines) = try await api.blocking {
                // The status first: once it says finished, every line is in the store, so the
                // lines read after it are the last (the rule `hangar logs --follow` follows).
                let run = try flights.run(id: id)
                return (run, try flights.logLines(id, after: after, limit: limit))
            }
            let finished = run.status.isFinished && lines.count < limit
            return APIResponse.json(.object([
                ("items", .array(lines.map(\.json))),
                ("next_after", .int(lines.last?.lineNumber ?? after)),
                ("finished", .bool(finished)),
                ("status", .string(run.status.sqlName)),
            ]))
        }

        routes.get("/api/v1/runs/{run_id}/logs/stream") { request, context in
            let id = try RunRoutes.runID(context)
            let after = try resumePoint(request)
            let flights = api.flights
            // A run that does not exist is a 404 before the stream starts, not an empty stream.
            let run = try await api.blocking { try flights.run(id: id) }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-store"
            // Proxies such as nginx would otherwise hold the events back in a buffer.
            if let buffering = HTTPField.Name("X-Accel-Buffering") { headers[buffering] = "no" }
            let stream = LogEventStream(api: api, runID: id, after: after, first: run)
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                try await stream.write(to: &writer)
            })
        }
    }

    /// Where a stream starts: after the `Last-Event-ID` a reconnecting browser sends (the last
    /// line it got), else after `?after=`, else from the first line.
    static func resumePoint(_ request: Request) throws -> Int {
        let lastEventID = request.headers.first { $0.name.canonicalName == "last-event-id" }?.value
        if let lastEventID, !lastEventID.isEmpty {
            guard let line = Int(lastEventID.trimmingCharacters(in: .whitespaces)), line >= 0 else {
                throw APIError.invalid("Last-Event-ID", "Last-Event-ID must be a line number, not \"\(lastEventID.prefix(40))\"")
            }
            return line
        }
        return try QueryParameters.int(request, "after", default: 0, in: 0...Int.max)
    }
}
