import Foundation
import HangarFlights

/// Watches a run through the control store until it finishes, handing over its log lines as
/// they arrive. Supervisors write to the store, not to us, so polling it at a short interval is
/// how a process follows a run another process supervises (`run --wait`, `run --follow`,
/// `logs --follow`, `cancel --wait`, the benchmark).
public struct RunWatcher: Sendable {
    public let flights: Flights
    /// Between looks while the run is young: most runs of a warm flight end within a few
    /// hundred milliseconds, and a read of the store costs well under one.
    public var startInterval: Duration = .milliseconds(10)
    /// How long the run counts as young.
    public var startPeriod: Duration = .seconds(2)
    /// Between looks after that.
    public var interval: Duration = .milliseconds(100)
    /// Between checks for a supervisor that died.
    public var orphanCheckInterval: Duration = .seconds(1)
    /// Lines read per query, so a long log never sits in memory whole.
    public var pageSize = 1000

    public init(flights: Flights) {
        self.flights = flights
    }

    /// Hands every line after `lineNumber` to `onLines` (nil: lines are not read) until the run
    /// has finished, and returns the finished run.
    public func waitUntilFinished(_ runID: UUID, after lineNumber: Int = 0,
                                  onLines: (([LogLine]) -> Void)? = nil) async throws -> FlightRun {
        var last = lineNumber
        let clock = ContinuousClock()
        let started = clock.now
        var nextOrphanCheck = started + orphanCheckInterval
        while true {
            // The status is read before the lines: once it says finished, the supervisor has
            // written every line, so the lines read after it are the last.
            let run = try flights.run(id: runID)
            if let onLines { last = try readLines(runID, after: last, onLines) }
            if run.status.isFinished { return run }
            let now = clock.now
            // A supervisor that died must not leave us waiting forever.
            if now >= nextOrphanCheck {
                try flights.reconcileOrphans()
                nextOrphanCheck = now + orphanCheckInterval
            }
            try await Task.sleep(for: now - started < startPeriod ? startInterval : interval)
        }
    }

    /// Hands over the lines after `lineNumber` that are there now, page by page; returns the
    /// number of the last one.
    public func readLines(_ runID: UUID, after lineNumber: Int, _ onLines: ([LogLine]) -> Void) throws -> Int {
        var last = lineNumber
        while true {
            let page = try flights.logLines(runID, after: last, limit: pageSize)
            guard let newest = page.last else { return last }
            onLines(page)
            last = newest.lineNumber
            if page.count < pageSize { return last }
        }
    }
}
