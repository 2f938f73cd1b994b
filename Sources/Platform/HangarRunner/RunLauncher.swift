import Foundation
import HangarAccount
import HangarFlights
#if canImport(Glibc)
import Glibc
#endif

/// Starts runs: records a PENDING run through the platform API, then starts its supervisor as a
/// detached process (`hangar supervise RUN_ID`, in a session of its own) so the run goes on when
/// the command, SQL session or server that started it exits.
public struct RunLauncher: Sendable {
    public let home: HangarHome
    /// The `hangar` binary whose `supervise` command supervises runs.
    public let hangarExecutable: URL

    /// True when the control store is shared by many hosts (PostgreSQL): workers start runs.
    public let flightsAreShared: Bool

    public init(home: HangarHome, hangarExecutable: URL, sharedStore: Bool = false) {
        self.home = home
        self.hangarExecutable = hangarExecutable
        flightsAreShared = sharedStore
    }

    /// Triggers a run of `flight` (config override for this run only) and starts its supervisor.
    /// Returns the run as recorded, PENDING, at once. On a shared store the run waits for a
    /// worker (`hangar worker`, or a `hangar serve` that runs work) to claim it instead.
    public func start(_ flights: Flights, _ flight: FlightSelector, config: [String: String] = [:],
                      scheduledAt: Date? = nil) throws -> FlightRun {
        let run = try flights.triggerRun(flight, config: config, scheduledAt: scheduledAt)
        if flights.store.isShared { return run }
        do {
            try launchSupervisor(for: run)
        } catch {
            // A run nobody supervises must not stay PENDING until the orphan check finds it.
            _ = try? flights.markFinished(run.id, .failed(RunFailure(.launchFailure, "\(error)"), exitCode: nil))
            throw error
        }
        return run
    }

    /// Starts the supervisor of an already recorded PENDING run; on a shared store, workers
    /// claim runs and start their supervisors, so nothing starts here.
    public func launchSupervisor(for run: FlightRun) throws {
        if flightsAreShared { return }
        let log = try supervisorLogFile(for: run.id)
        try DetachedProcess.spawn(executable: hangarExecutable,
                                  arguments: ["supervise", run.id.uuidString.lowercased(), "--home", home.root.path],
                                  output: log)
    }

    /// Where a supervisor writes what it could not put into the run's log (the store was gone).
    func supervisorLogFile(for runID: UUID) throws -> URL {
        let folder = home.root.appendingPathComponent("runs", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("\(runID.uuidString.lowercased()).supervisor.log")
    }
}

/// Asks a run's supervisor to cancel it: the supervisor kills the run's process group (TERM, then
/// KILL) and records the run as CANCELLED.
public enum RunCanceller {
    /// Records the request and signals the supervisor; returns the run as it stands after.
    public static func cancel(_ flights: Flights, _ flight: FlightSelector, runNumber: Int) throws -> FlightRun {
        let request = try flights.requestCancel(flight, runNumber: runNumber)
        // On a shared store the supervisor may be on another machine; it sees the request at its
        // next look at the store (`CancellationWatch`), wherever it runs.
        if !flights.store.isShared, let supervisor = request.supervisorToSignal, supervisor.isAlive {
            kill(supervisor.pid, SIGUSR1)
        }
        return request.run
    }

    /// Deletes a flight with its versions, runs and logs. Their rows are gone; the signal makes
    /// the supervisor of each run in progress notice now and kill its program's process group,
    /// instead of at its next look at the store.
    public static func deleteFlight(_ flights: Flights, _ flight: FlightSelector) throws -> DeletedFlight {
        let deleted = try flights.delete(flight)
        for run in deleted.activeRuns where !flights.store.isShared {
            if let supervisor = run.supervisor, supervisor.isAlive { kill(supervisor.pid, SIGUSR1) }
        }
        return deleted
    }
}
