import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a command as a child process and measures it from outside: wall time and the peak
/// resident memory the kernel recorded for it, so each side of a comparison is measured alike.
struct ChildRun {
    let seconds: Double
    let peakRSSBytes: Int
    let output: String
    /// Every run's time, when this is the median of several (`DltComparison`).
    var allSeconds: [Double] = []
    var allPeakRSSBytes: [Int] = []

    static func run(_ executable: String, _ arguments: [String]) throws -> ChildRun {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-bench-\(getpid())-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputFile.path, O_WRONLY | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchFailure("cannot start \(executable): error \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let elapsed = ContinuousClock.now - start
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw BenchFailure("\(executable) \(arguments.joined(separator: " ")) failed (status \(status)):\n\(output)")
        }
        return ChildRun(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                        peakRSSBytes: Int(usage.ru_maxrss) * 1024, output: output)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
