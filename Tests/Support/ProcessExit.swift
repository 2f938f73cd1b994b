import Foundation

/// Waits for a process that is not our child to end, through a pidfd (readable once it has
/// exited, zombie or reaped): the kernel says when, no polling loop.
public struct ProcessExit: ~Copyable {
    private let descriptor: Int32
    public let pid: Int32

    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    private static let pidfdOpen: PidfdOpen? = {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, "pidfd_open") else { return nil }
        return unsafeBitCast(address, to: PidfdOpen.self)
    }()

    public init(_ pid: Int32) throws {
        guard let pidfdOpen = Self.pidfdOpen else { throw TestFailure("this C library has no pidfd_open") }
        let descriptor = pidfdOpen(pid, 0)
        guard descriptor >= 0 else { throw TestFailure("pidfd_open(\(pid)): \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        self.pid = pid
    }

    deinit { close(descriptor) }

    /// Returns once the process has ended; throws when it has not within `seconds`.
    public func wait(seconds: Int32) throws {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, seconds * 1000) == 1 else {
            throw TestFailure("pid \(pid) still runs after \(seconds) s")
        }
    }

    /// Whether `pid` has ended (zombie or reaped) within `seconds`. A process killed a moment ago
    /// may still be closing down after its pipes closed, so "gone" is the kernel's word.
    public static func hasExited(_ pid: Int32, within seconds: Int32 = 10) -> Bool {
        guard let exit = try? ProcessExit(pid) else { return isGoneOrZombie(pid) }
        return (try? exit.wait(seconds: seconds)) != nil
    }

    /// No process under `pid`, or only its zombie (its parent has not reaped it yet), per /proc.
    public static func isGoneOrZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state == "Z" || state == "X"
    }
}
