import Foundation

/// The scheduler's sense of time. The server uses the system clock; tests move a manual clock
/// by hand, so scheduling is tested without waiting for real minutes to pass.
public protocol SchedulerClock: Sendable {
    func now() -> Date
    /// Returns at `deadline` or later; throws when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

public struct SystemSchedulerClock: SchedulerClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .milliseconds(Int((seconds * 1000).rounded(.up)))) }
    }
}
