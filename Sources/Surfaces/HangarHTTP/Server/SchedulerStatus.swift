import Foundation
import HangarAccount

/// The scheduler as `/healthz` reports it.
public struct SchedulerStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        /// This server's scheduler holds the home's scheduler lease and fires schedules.
        case active
        /// Another process holds the lease; this one waits to take over.
        case standby
        /// This server's scheduler is not running (not started yet, or it ended).
        case stopped
    }

    public var state: State
    /// Who holds the scheduler lease, in words (`hangar serve scheduler (pid 123) since …`).
    public var holder: String?

    public init(state: State, holder: String?) {
        self.state = state
        self.holder = holder
    }

    /// The state of a scheduler that `watch` follows in this process, from the lease it takes on
    /// `<home>/scheduler`. One that has not started yet (it starts just after the server listens)
    /// or has no lease yet is on standby; only one that ended is stopped.
    public static func observe(home: HangarHome, watch: ServiceWatch) -> SchedulerStatus {
        guard !watch.hasEnded else { return SchedulerStatus(state: .stopped, holder: nil) }
        let holder = DatabaseLease.currentHolder(of: home.root.appendingPathComponent("scheduler"))
        guard let holder else { return SchedulerStatus(state: .standby, holder: nil) }
        let active = watch.isRunning && holder.pid == getpid()
        return SchedulerStatus(state: active ? .active : .standby, holder: holder.description)
    }
}

/// Whether a service has started and whether it has ended, set by the service wrapping it
/// (``StartsAfterListening``).
public final class ServiceWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var started = false
    private var ended = false

    public init() {}

    public var isRunning: Bool { lock.withLock { started && !ended } }
    public var hasEnded: Bool { lock.withLock { ended } }

    func markStarted() {
        lock.withLock { started = true }
    }

    func markEnded() {
        lock.withLock { ended = true }
    }
}
