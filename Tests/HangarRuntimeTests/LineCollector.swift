import Foundation
import HangarRuntime
import HangarTestSupport

/// Collects a run's lines and lets a test wait for a particular one: tests synchronise on what
/// the program printed, never on a timer.
final class LineCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var collected: [CapturedLine] = []
    private var batches = 0
    /// Called on the capture thread for every line, after it is recorded.
    private let onLine: (@Sendable (CapturedLine) -> Void)?

    init(onLine: (@Sendable (CapturedLine) -> Void)? = nil) {
        self.onLine = onLine
    }

    var sink: LogSink {
        { [self] batch in
            condition.lock()
            collected.append(contentsOf: batch)
            batches += 1
            condition.broadcast()
            condition.unlock()
            if let onLine { batch.forEach(onLine) }
        }
    }

    var lines: [CapturedLine] {
        condition.lock()
        defer { condition.unlock() }
        return collected
    }

    var texts: [String] { lines.map(\.text) }

    /// The first line matching `predicate`, waiting up to `timeout` seconds for it to arrive.
    func waitForLine(timeout: TimeInterval = 30, where predicate: (CapturedLine) -> Bool) -> CapturedLine? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let line = collected.first(where: predicate) { return line }
            if !condition.wait(until: deadline) { return collected.first(where: predicate) }
        }
    }
}

/// Every folder a test makes lives under one folder per test process, removed when the
/// process exits (virtual environments and package caches add up over many runs).
enum TestFolders {
    static let root: URL = {
        // A test process that cannot make a temporary folder can run none of these tests.
        do { return try ProcessScratch.make().url } catch { preconditionFailure("no scratch folder: \(error)") }
    }()

    static func make(_ label: String) throws -> URL {
        let folder = root.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

func shellCommand(_ script: String, environment: [String: String] = ["PATH": "/usr/bin:/bin"], in folder: URL = FileManager.default.temporaryDirectory) -> RunCommand {
    RunCommand(executable: "/bin/sh", arguments: ["-c", script], environment: environment, workingDirectory: folder)
}
