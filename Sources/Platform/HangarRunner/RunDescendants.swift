import CProcessControl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The processes a run started that are still alive after its program ended: the program's
/// process group is killed with it, but a process that double-forked into a session of its own
/// (`setsid`) leaves the group, and would go on with the run's environment and secrets.
///
/// The supervisor is a child subreaper, so such a process, once its parent is gone, becomes the
/// supervisor's child; and every process of the run carries `HANGAR_RUN_ID` in its environment.
/// Either way it is found, killed and reaped.
enum RunDescendants {
    /// Makes this process (the supervisor) the reaper of the run's orphans.
    static func adoptOrphans() {
        _ = hangar_become_child_subreaper()
    }

    /// Kills what is left of run `runID` and returns what it was (`pid (command)`), for the log.
    /// `includingChildren`: every child of this process is the run's (a supervisor's process has
    /// no other), found even when it cleared its environment.
    static func endLeftovers(runID: String, includingChildren: Bool) -> [String] {
        let me = getpid()
        let marker = Array("HANGAR_RUN_ID=\(runID)".utf8) + [0]
        var found: [(pid: pid_t, name: String, isChild: Bool)] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), pid != me else { continue }
            let isChild = parent(of: pid) == me
            guard (includingChildren && isChild) || environment(of: pid, contains: marker) else { continue }
            found.append((pid, command(of: pid), isChild))
        }
        for process in found { kill(process.pid, SIGKILL) }
        // This process reaps its children; others are reaped by their own parents.
        for process in found where process.isChild {
            var status: Int32 = 0
            _ = waitpid(process.pid, &status, 0)
        }
        return found.map { "\($0.pid) (\($0.name))" }
    }

    /// Field 4 of `/proc/<pid>/stat`, after the command in parentheses (which may hold spaces).
    private static func parent(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }

    private static func command(of pid: pid_t) -> String {
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "?").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func environment(of pid: pid_t, contains marker: [UInt8]) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ"), data.count >= marker.count else { return false }
        let bytes = [UInt8](data)
        // Each variable ends with NUL; the marker must start one.
        var start = 0
        while start + marker.count <= bytes.count {
            if bytes[start..<(start + marker.count)].elementsEqual(marker) { return true }
            guard let next = bytes[start...].firstIndex(of: 0) else { return false }
            start = next + 1
        }
        return false
    }
}
