import Foundation
import HangarFlights

/// Watches a run through the control store until it finishes, handing over its log lines as
/// they arrive. Supervisors write to the store, not to us, so polling it at a short interval is
/// how a CLI process follows a run another process supervises.
struct RunWatcher {
    let flights: Flights
    var interval: Duration = .milliseconds(100)
    /// Lines read per query, so a long log never sits in memory whole.
    var pageSize = 1000

    /// Hands every line after `lineNumber` to `onLines` (nil: lines are not read) until the run
    /// has finished, and returns the finished run.
    func waitUntilFinished(_ runID: UUID, after lineNumber: Int = 0, onLines: (([LogLine]) -> Void)? = nil) async throws -> FlightRun {
        var last = lineNumber
        var polls = 0
        while true {
            // The status is read before the lines: once it says finished, the supervisor has
            // written every line, so the lines read after it are the last.
            let run = try flights.run(id: runID)
            if let onLines { last = try readLines(runID, after: last, onLines) }
            if run.status.isFinished { return run }
            polls += 1
            // About once a second: a supervisor that died must not leave us waiting forever.
            if polls % 10 == 0 { try flights.reconcileOrphans() }
            try await Task.sleep(for: interval)
        }
    }

    /// Hands over the lines after `lineNumber` that are there now, page by page; returns the
    /// number of the last one.
    func readLines(_ runID: UUID, after lineNumber: Int, _ onLines: ([LogLine]) -> Void) throws -> Int {
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

/// Log lines on standard output: as the program wrote them, or as JSON lines.
struct LogPrinter {
    let json: Bool
    let timestamps: Bool
    let output = OutputSink(FileHandle.standardOutput)

    /// Flushed at once: someone may be following.
    func print(_ lines: [LogLine]) {
        for line in lines {
            output.write((json ? line.json.compact : line.text(timestamps: timestamps)) + "\n")
        }
        output.flush()
    }
}
