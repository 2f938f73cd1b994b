import Foundation

/// A run's lifecycle: `pending` → `running` → one of the three finished states. A run can also
/// finish straight from `pending` (an install failure, a cancel before start, a lost supervisor).
public enum RunStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case pending = "PENDING"
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"

    public var isFinished: Bool { self != .pending && self != .running }

    /// The name the SQL surface shows (`RUN_STATUS_SUCCEEDED` …).
    public var sqlName: String { "RUN_STATUS_\(rawValue)" }
}

/// Why a run did not succeed.
public enum RunFailureKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// The program exited with a non-zero status.
    case exitCode = "exit_code"
    /// The program was killed by a signal it did not ask for.
    case signal
    /// `max_runtime_sec` elapsed and the run was killed.
    case timeout
    /// Someone cancelled the run (or deleted its flight).
    case cancelled
    /// The Swift source did not compile.
    case buildFailure = "build_failure"
    /// The Python requirements did not install.
    case installFailure = "install_failure"
    /// The program could not be started (a missing secret, a missing interpreter).
    case launchFailure = "launch_failure"
    /// The process supervising the run disappeared (machine restart, `kill -9`).
    case supervisorLost = "supervisor_lost"
    /// The worker holding the run stopped heartbeating (a shared control store only).
    case workerLost = "worker_lost"
}

/// A failure reason: a kind plus words for people ("exit code 3", "killed by SIGSEGV").
public struct RunFailure: Sendable, Hashable, CustomStringConvertible {
    public let kind: RunFailureKind
    public let detail: String

    public init(_ kind: RunFailureKind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? kind.rawValue : "\(kind.rawValue): \(detail)" }
}

/// How a run ended, as its supervisor reports it.
public enum RunOutcome: Sendable, Hashable {
    case succeeded
    case failed(RunFailure, exitCode: Int32?)
    case cancelled(exitCode: Int32?)
}

/// One run of a flight, locked to the version current when it was triggered.
public struct FlightRun: Sendable, Hashable, Identifiable {
    public let id: UUID
    public let flightID: UUID
    /// The flight's name when the run was triggered.
    public let flightName: String
    public let flightVersion: Int
    /// 1, 2, 3 … per flight, never reused.
    public let runNumber: Int
    public let isScheduled: Bool
    public let status: RunStatus
    /// The effective config: the version's config with this run's override applied.
    public let config: [String: String]
    public let createdAt: Date
    public let scheduledAt: Date?
    public let startedAt: Date?
    public let endedAt: Date?
    public let cancelRequestedAt: Date?
    public let cancelledAt: Date?
    /// Nil while in progress, and for runs that never started a program.
    public let exitCode: Int32?
    public let failure: RunFailure?
    /// The process supervising the run, once one has claimed it.
    public let supervisor: SupervisorIdentity?
    /// The run's program, once started: the leader of the process group the run's processes
    /// share (its pid is the group's id).
    public let program: SupervisorIdentity?
    /// What the run loaded through the ingest engine, once its program ended; nil when it loaded
    /// nothing that way.
    public internal(set) var loadSummary: RunLoadSummary? = nil
}

/// What a cancel request leaves for the caller to do.
public struct CancelRequest: Sendable, Hashable {
    /// The run after the request: already `cancelled` when no supervisor had claimed it.
    public let run: FlightRun
    /// The supervisor to signal so that it kills the run's process group and records the run as
    /// cancelled; nil when the run is already cancelled.
    public let supervisorToSignal: SupervisorIdentity?
}
