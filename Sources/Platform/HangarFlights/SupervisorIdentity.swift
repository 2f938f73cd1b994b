import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process supervising a run (or a run's program): its pid plus a start token, so that a pid
/// the kernel has reused for an unrelated process is not mistaken for it. On Linux the token is the
/// process start time from `/proc/<pid>/stat` (clock ticks since boot), which differs between
/// two processes that share a pid.
public struct SupervisorIdentity: Sendable, Hashable, CustomStringConvertible {
    public let pid: Int32
    public let startToken: String

    public init(pid: Int32, startToken: String) {
        self.pid = pid
        self.startToken = startToken
    }

    /// The calling process.
    public static func current() -> SupervisorIdentity {
        let pid = getpid()
        return SupervisorIdentity(pid: pid, startToken: ProcessStat.load(pid: pid)?.startTime ?? "")
    }

    /// The process now running under `pid`, or nil when there is none.
    public static func of(pid: Int32) -> SupervisorIdentity? {
        guard let stat = ProcessStat.load(pid: pid), !stat.isZombie else { return nil }
        return SupervisorIdentity(pid: pid, startToken: stat.startTime)
    }

    /// Whether this very process still runs: same pid, same start time, not a zombie. Where
    /// `/proc` is missing it falls back to `kill(pid, 0)`, which cannot see pid reuse.
    public var isAlive: Bool {
        if let stat = ProcessStat.load(pid: pid) {
            return !stat.isZombie && stat.startTime == startToken
        }
        if FileManager.default.fileExists(atPath: "/proc/self/stat") { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// SIGKILL to the process group this process leads (a run's program: its pid is the group's
    /// id), unless the pid now belongs to another process. While any member of the group lives,
    /// the kernel does not reuse its id, so with the leader gone the signal still reaches only
    /// what is left of the run.
    public func killProcessGroup() {
        if let stat = ProcessStat.load(pid: pid), stat.startTime != startToken { return }
        kill(-pid, SIGKILL)
    }

    public var description: String { "pid \(pid)" }
}

/// The two fields of `/proc/<pid>/stat` liveness needs.
struct ProcessStat {
    let state: Character
    let startTime: String

    var isZombie: Bool { state == "Z" || state == "X" }

    static func load(pid: Int32) -> ProcessStat? {
        // /proc files report size 0, so read until end of file instead of by size.
        let descriptor = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return parse(String(decoding: bytes, as: UTF8.self))
    }

    /// The command name (field 2) is in parentheses and may itself contain spaces and
    /// parentheses, so fields are counted from the last `)`: state is field 3, start time field 22.
    static func parse(_ text: String) -> ProcessStat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first else { return nil }
        return ProcessStat(state: state, startTime: String(fields[19]))
    }
}
