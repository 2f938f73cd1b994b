import Foundation

/// How a run's main process ended, and why.
public struct RunOutcome: Sendable, Equatable, CustomStringConvertible {
    public enum Termination: Sendable, Equatable {
        case exited(code: Int32)
        case signalled(signal: Int32)
        /// Somebody else collected the process's status (a SIGCHLD handler set to SIG_IGN in the
        /// supervisor); the process is gone but its exit code is not known.
        case unknown
    }

    public enum Reason: String, Sendable, Equatable {
        /// The program ended by itself (whatever its exit code).
        case completed
        /// `maxRuntime` passed; the process group was terminated.
        case timedOut
        /// `cancel()` was called while it ran; the process group was terminated.
        case cancelled
    }

    public let termination: Termination
    public let reason: Reason
    public let startedAt: Date
    public let endedAt: Date
    /// The time limit in force, for messages.
    public let maxRuntime: TimeInterval?

    public init(termination: Termination, reason: Reason, startedAt: Date, endedAt: Date, maxRuntime: TimeInterval? = nil) {
        self.termination = termination
        self.reason = reason
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.maxRuntime = maxRuntime
    }

    /// Only a program that ended by itself with exit code 0 succeeded.
    public var succeeded: Bool { reason == .completed && termination == .exited(code: 0) }

    public var exitCode: Int32? {
        if case .exited(let code) = termination { return code }
        return nil
    }

    public var signal: Int32? {
        if case .signalled(let signal) = termination { return signal }
        return nil
    }

    /// The exit code a shell would report: the code, or 128 + the signal number.
    public var shellExitCode: Int32? {
        switch termination {
        case .exited(let code): return code
        case .signalled(let signal): return 128 + signal
        case .unknown: return nil
        }
    }

    public var duration: TimeInterval { endedAt.timeIntervalSince(startedAt) }

    /// A failure reason for people: "exited with code 1", "killed by SIGSEGV (signal 11)",
    /// "timed out after 30 s (max runtime) and its process group was terminated: killed by SIGTERM (signal 15)".
    public var description: String {
        let how: String
        switch termination {
        case .exited(let code): how = "exited with code \(code)"
        case .signalled(let signal):
            let name = Self.signalName(signal)
            how = name.hasPrefix("SIG") ? "killed by \(name) (signal \(signal))" : "killed by \(name)"
        case .unknown: how = "ended with an unknown status"
        }
        switch reason {
        case .completed: return how
        case .timedOut:
            let limit = maxRuntime.map { "after \(Self.seconds($0)) s (max runtime)" } ?? "(max runtime)"
            return "timed out \(limit) and its process group was terminated: \(how)"
        case .cancelled: return "cancelled and its process group was terminated: \(how)"
        }
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL",
                                      SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
                                      SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1", SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2",
                                      SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU",
                                      SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS"]
        return names[signal] ?? "signal \(signal)"
    }

    static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
