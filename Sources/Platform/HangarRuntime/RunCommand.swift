import Foundation

/// What to start: a program, its arguments, the complete environment it gets (nothing is
/// inherited) and the folder it starts in.
public struct RunCommand: Sendable, Equatable {
    /// A path, or a bare name looked up in the `PATH` of `environment` (not Hangar's own PATH).
    public var executable: String
    public var arguments: [String]
    public var environment: [String: String]
    public var workingDirectory: URL

    public init(executable: String, arguments: [String] = [], environment: [String: String], workingDirectory: URL) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// The absolute path of the program, searched the way a shell would in the run's own PATH.
    func resolvedExecutable() throws -> String {
        if executable.contains("/") {
            let path = executable.hasPrefix("/") ? executable : workingDirectory.appendingPathComponent(executable).path
            guard access(path, X_OK) == 0 else {
                throw RuntimeError(.spawnFailed, "cannot run \(path): \(systemErrorText()); check that the file exists and is executable")
            }
            return path
        }
        let searchPath = environment["PATH"] ?? ""
        for folder in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(folder)/\(executable)"
            var info = stat()
            if access(candidate, X_OK) == 0, stat(candidate, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
                return candidate
            }
        }
        throw RuntimeError(.spawnFailed, "cannot find \(executable) in the run's PATH (\(searchPath.isEmpty ? "empty" : searchPath)); give a full path or add its folder to PATH")
    }
}

/// How long a run may take and how its output is captured.
public struct RunLimits: Sendable, Equatable {
    /// Seconds from start until the run's process group is terminated as timed out; nil or 0
    /// means no limit (the reference's `max_runtime_sec = 0`).
    public var maxRuntime: TimeInterval?
    /// Seconds between SIGTERM and SIGKILL when a run times out or is cancelled.
    public var terminationGrace: TimeInterval
    /// Once the main process has ended and its group is killed, how long to keep reading output
    /// that is still in the pipes. Only a process that left the group (setsid) can keep a pipe
    /// open longer; reading stops then instead of waiting for it.
    public var drainTimeout: TimeInterval
    /// Longer lines are cut to this many bytes, marked with `CapturedLine.truncationMark`.
    public var maxLineBytes: Int

    public static let defaultTerminationGrace: TimeInterval = 10
    public static let defaultMaxLineBytes = 64 * 1024

    public init(maxRuntime: TimeInterval? = nil, terminationGrace: TimeInterval = defaultTerminationGrace,
                drainTimeout: TimeInterval = 2, maxLineBytes: Int = defaultMaxLineBytes) {
        self.maxRuntime = maxRuntime
        self.terminationGrace = terminationGrace
        self.drainTimeout = drainTimeout
        self.maxLineBytes = maxLineBytes
    }
}
