import Foundation
import HangarScheduling

/// A flight whose schedule is active, as the scheduler sees it.
public struct ScheduledFlight: Sendable, Hashable {
    public let flightID: UUID
    public let flightName: String
    public let schedule: CronSchedule
    public let catchUp: CatchUpPolicy
    /// When the current schedule took effect: set, changed, or re-enabled. Fires before it are
    /// not "missed".
    public let scheduleSince: Date
    /// The latest fire any scheduler has handled (run or deliberately skipped); nil before the first.
    public let lastHandledFire: Date?

    /// The instant after which fires are still to be handled.
    public var handledThrough: Date { max(scheduleSince, lastHandledFire ?? scheduleSince) }
}

/// What recording a scheduled fire did.
public enum ScheduledFireOutcome: Sendable, Hashable {
    /// The fire is recorded and its run is pending.
    case started(FlightRun)
    /// Another scheduler (or an earlier pass) already recorded this fire: nothing was done.
    case alreadyFired
    /// The flight was deleted, or its schedule removed or disabled, since it was read.
    case notScheduled
}

/// What deleting a flight left for the caller to do.
public struct DeletedFlight: Sendable, Hashable {
    public let flight: Flight
    /// Runs that were pending or running: their rows are gone, and their supervisors must be
    /// signalled so they kill the programs (a supervisor also stops when it finds its run gone).
    public let activeRuns: [FlightRun]
}
