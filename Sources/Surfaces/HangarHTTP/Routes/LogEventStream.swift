import Foundation
import HangarViews
import HangarFlights
import Hummingbird
import NIOCore

/// One run's log as server-sent events, polled from the store (the supervisor writing the lines
/// is another process):
///
/// - `event: status` with the run, first and then whenever its status changes;
/// - `event: line`, `id: <line number>`, with the line, for every line after the resume point;
/// - `event: end` with the finished run once every line was sent; then the stream closes;
/// - `: ping` comments while nothing happens, so idle connections (and proxies) stay open.
///
/// A browser's `EventSource` reconnects by itself with `Last-Event-ID`, the last line it got, and
/// the stream resumes after it. The stream also ends when the server shuts down (the browser
/// reconnects to the next server) or the run's flight is deleted.
struct LogEventStream: Sendable {
    let api: HangarAPI
    let runID: UUID
    let after: Int
    /// The run as read when the request arrived.
    let first: FlightRun

    /// Lines read per look; a longer backlog is sent page after page without pausing.
    static let pageSize = 500
    /// Between checks for a supervisor that died, so a stream never waits for a run that can't end.
    static let orphanCheckInterval: Duration = .seconds(1)

    func write(to writer: inout any ResponseBodyWriter) async throws {
        let clock = ContinuousClock()
        let flights = api.flights
        let runID = runID
        var last = after
        var status = first.status
        var lastWrite = clock.now
        var nextOrphanCheck = clock.now + Self.orphanCheckInterval

        // How long a browser waits before reconnecting after the connection drops.
        try await writer.write(Self.buffer("retry: 1000\n\n"))
        try await writer.write(Self.event("status", id: nil, data: first.json()))

        while !api.shutdown.isTriggered {
            let checkOrphans = clock.now >= nextOrphanCheck
            if checkOrphans { nextOrphanCheck = clock.now + Self.orphanCheckInterval }
            let from = last
            let look: (run: FlightRun, lines: [LogLine])
            do {
                look = try await api.blocking {
                    if checkOrphans { try flights.reconcileOrphans() }
                    // The status before the lines: once it says finished, the lines read after it
                    // are the last.
                    let run = try flights.run(id: runID)
                    return (run, try flights.logLines(runID, after: from, limit: Self.pageSize))
                }
            } catch let error as FlightsError where error.kind == .notFound {
                break  // the flight and its runs were deleted: nothing more will come
            }
            let now = Date()
            if !look.lines.isEmpty {
                var events = ByteBuffer()
                for line in look.lines {
                    events.writeImmutableBuffer(Self.event("line", id: String(line.lineNumber), data: line.json))
                }
                try await writer.write(events)
                last = look.lines[look.lines.count - 1].lineNumber
                lastWrite = clock.now
            }
            if look.run.status != status {
                status = look.run.status
                try await writer.write(Self.event("status", id: nil, data: look.run.json(now: now)))
                lastWrite = clock.now
            }
            let caughtUp = look.lines.count < Self.pageSize
            if look.run.status.isFinished, caughtUp {
                try await writer.write(Self.event("end", id: nil, data: look.run.json(now: now)))
                break
            }
            if clock.now - lastWrite >= api.options.streamKeepAlive {
                try await writer.write(Self.buffer(": ping\n\n"))
                lastWrite = clock.now
            }
            if caughtUp { try await Task.sleep(for: api.options.streamPollInterval) }
        }
        try await writer.finish(nil)
    }

    /// One event; `data` is a single line because JSON text escapes its newlines.
    static func event(_ name: String, id: String?, data: JSONValue) -> ByteBuffer {
        var text = "event: \(name)\n"
        if let id { text += "id: \(id)\n" }
        text += "data: \(data.text)\n\n"
        return buffer(text)
    }

    static func buffer(_ text: String) -> ByteBuffer {
        ByteBuffer(string: text)
    }
}
