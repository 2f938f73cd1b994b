import Foundation
import HangarRuntime

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
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-runtime-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestFolders.root) }
        return root
    }()

    static func make(_ label: String) throws -> URL {
        let folder = root.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// Waits (on a pidfd, no polling loop) until `pid` has exited, for at most `timeout` seconds.
/// A process killed a moment ago may still be closing down after its pipes closed, so "gone"
/// means: exited (zombie or reaped), checked by the kernel's own notification.
func hasExited(_ pid: pid_t, within timeout: TimeInterval = 10) -> Bool {
    typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "pidfd_open") else { return !isAlive(pid) }
    let descriptor = unsafeBitCast(symbol, to: PidfdOpen.self)(pid, 0)
    guard descriptor >= 0 else { return errno == ESRCH }
    defer { close(descriptor) }
    var polled = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    return poll(&polled, 1, Int32(timeout * 1000)) == 1
}

/// Whether `pid` exists and is not a zombie, per /proc.
func isAlive(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(after: close)...].split(separator: " ").first ?? ""
    return state != "Z" && state != "X"
}

func shellCommand(_ script: String, environment: [String: String] = ["PATH": "/usr/bin:/bin"], in folder: URL = FileManager.default.temporaryDirectory) -> RunCommand {
    RunCommand(executable: "/bin/sh", arguments: ["-c", script], environment: environment, workingDirectory: folder)
}
