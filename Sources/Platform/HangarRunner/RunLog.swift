import Foundation
import HangarFlights
import HangarRuntime

/// A run's log on its way into the store: lines are buffered and written in batches (a run
/// printing thousands of lines a second must not make thousands of transactions), at the
/// latest `flushInterval` after they were captured, so `logs --follow` sees them promptly.
final class RunLog: @unchecked Sendable {
    private let flights: Flights
    private let runID: UUID
    private let masker: SecretMasker
    private let lock = NSLock()
    private var pending: [NewLogLine] = []
    private var stderrTail: [String] = []
    private var timer: DispatchSourceTimer?
    /// Set when the store refused a write because the run (or its flight) was deleted.
    private(set) var runWasDeleted = false

    static let flushInterval: TimeInterval = 0.2
    static let batchLines = 500
    static let stderrTailLines = 200

    init(flights: Flights, runID: UUID, masker: SecretMasker) {
        self.flights = flights
        self.runID = runID
        self.masker = masker
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "hangar.run-log"))
        timer.schedule(deadline: .now() + Self.flushInterval, repeating: Self.flushInterval)
        timer.setEventHandler { [weak self] in self?.flush() }
        timer.resume()
        self.timer = timer
    }

    /// Lines captured from a program (already masked by the capture).
    func append(_ lines: [HangarRuntime.LogLine]) {
        lock.lock()
        for line in lines {
            pending.append(NewLogLine(line.stream == .stdout ? .stdout : .stderr, line.text, at: line.timestamp))
            if line.stream == .stderr {
                stderrTail.append(line.text)
                if stderrTail.count > Self.stderrTailLines { stderrTail.removeFirst() }
            }
        }
        let full = pending.count >= Self.batchLines
        lock.unlock()
        if full { flush() }
    }

    /// A line of Hangar's own (preparing, outcome), masked like the program's.
    func note(_ text: String) {
        append([HangarRuntime.LogLine(stream: .stderr, text: "[hangar] " + masker.mask(text))])
    }

    /// The program's last stderr lines, for hints about its failure.
    var recentStderr: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stderrTail
    }

    func flush() {
        lock.lock()
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        lock.unlock()
        guard !batch.isEmpty else { return }
        do {
            _ = try flights.appendLogLines(runID, batch)
        } catch let error where error.kind == .notFound {
            runWasDeleted = true
        } catch {
            FileHandle.standardError.write(Data("hangar supervise: could not store \(batch.count) log lines: \(error)\n".utf8))
        }
    }

    func close() {
        timer?.cancel()
        timer = nil
        flush()
    }
}
