import Foundation
import HangarFlights
import HangarRuntime

/// A run's log on its way into the store: lines are buffered and written in batches (a run
/// printing thousands of lines a second must not make thousands of transactions), at the
/// latest `flushInterval` after they were captured, so `logs --follow` sees them promptly.
///
/// A log is kept up to `maxBytes` (`HANGAR_RUN_LOG_MAX_BYTES`, default 10 MB) so that one noisy
/// run cannot fill the control store: its first 80% as printed, then only its last 20%, held
/// back and written when the run ends, with a line saying how much was left out between.
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

    /// The log's bytes (line texts) kept in full from the start, and at most kept from the end.
    private let headBytes: Int
    private let tailBytes: Int
    private var storedBytes = 0
    private var tail: [NewLogLine] = []
    private var tailSize = 0
    private var dropped = (lines: 0, bytes: 0)

    static let defaultMaxBytes = 10 * 1024 * 1024

    static func maxBytes(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        environment["HANGAR_RUN_LOG_MAX_BYTES"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? defaultMaxBytes
    }

    static let flushInterval: TimeInterval = 0.2
    static let batchLines = 500
    static let stderrTailLines = 200

    init(flights: Flights, runID: UUID, masker: SecretMasker, maxBytes: Int = RunLog.maxBytes()) {
        self.flights = flights
        self.runID = runID
        self.masker = masker
        headBytes = maxBytes / 5 * 4
        tailBytes = maxBytes - headBytes
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "hangar.run-log"))
        timer.schedule(deadline: .now() + Self.flushInterval, repeating: Self.flushInterval)
        timer.setEventHandler { [weak self] in self?.flush() }
        timer.resume()
        self.timer = timer
    }

    /// Lines captured from a program (already masked by the capture).
    func append(_ lines: [HangarRuntime.CapturedLine]) {
        lock.lock()
        for line in lines {
            let entry = NewLogLine(line.stream == .stdout ? .stdout : .stderr, line.text, at: line.timestamp)
            if storedBytes + line.text.utf8.count > headBytes {
                keepInTail(entry)
            } else {
                storedBytes += line.text.utf8.count
                pending.append(entry)
            }
            if line.stream == .stderr {
                stderrTail.append(line.text)
                if stderrTail.count > Self.stderrTailLines { stderrTail.removeFirst() }
            }
        }
        let full = pending.count >= Self.batchLines
        lock.unlock()
        if full { flush() }
    }

    /// Past the head, a line waits in the tail, which keeps the newest `tailBytes`.
    private func keepInTail(_ line: NewLogLine) {
        if tail.isEmpty && dropped.lines == 0 {
            pending.append(NewLogLine(.stderr, "[hangar] the log passed \(Self.megabytes(headBytes)): from here only its last \(Self.megabytes(tailBytes)) are kept, written when the run ends (HANGAR_RUN_LOG_MAX_BYTES)", at: line.reportedAt))
        }
        tail.append(line)
        tailSize += line.line.utf8.count
        var drop = 0
        while tailSize > tailBytes, drop < tail.count - 1 {
            tailSize -= tail[drop].line.utf8.count
            dropped.lines += 1
            dropped.bytes += tail[drop].line.utf8.count
            drop += 1
        }
        if drop > 0 { tail.removeFirst(drop) }
    }

    private static func megabytes(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? String(format: "%.1f MB", Double(bytes) / 1048576) : "\(bytes / 1024) KB"
    }

    /// A line of Hangar's own (preparing, outcome), masked like the program's.
    /// Always stored, past the cap too: it says what happened to the run.
    func note(_ text: String) {
        lock.lock()
        pending.append(NewLogLine(.stderr, "[hangar] " + masker.mask(text)))
        let full = pending.count >= Self.batchLines
        lock.unlock()
        if full { flush() }
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
        lock.lock()
        if dropped.lines > 0 {
            pending.append(NewLogLine(.stderr, "[hangar] \(dropped.lines) lines (\(Self.megabytes(dropped.bytes))) were left out here; the last \(tail.count) follow", at: Date()))
        }
        pending.append(contentsOf: tail)
        tail.removeAll()
        dropped = (0, 0)
        lock.unlock()
        flush()
    }
}
