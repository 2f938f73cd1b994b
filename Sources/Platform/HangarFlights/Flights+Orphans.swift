import Foundation
import GRDB

extension Flights {
    /// Finds runs that can never finish and marks them FAILED with reason `supervisor_lost`:
    /// pending or running runs whose supervisor is no longer alive, and pending runs no supervisor
    /// claimed within `unclaimedGrace` seconds of being created (the process that triggered them
    /// died before starting one). Any Hangar process may call this; it returns the runs it marked.
    ///
    /// - isAlive: whether a supervisor still runs; by default its pid still exists with the same
    ///   start time (see ``SupervisorIdentity/isAlive``). Tests inject their own.
    @discardableResult
    public func reconcileOrphans(
        unclaimedGrace: TimeInterval = 300,
        isAlive: (SupervisorIdentity) -> Bool = { $0.isAlive }
    ) throws(FlightsError) -> [FlightRun] {
        let now = now()
        let claimDeadline = now - Int64(unclaimedGrace * 1_000_000)
        // Liveness is checked outside the write transaction (it reads /proc, which may be slow);
        // the update below only touches a run if it is still in progress under the same
        // supervisor, so a run that finished or was claimed meanwhile is left alone.
        let orphans = try runsInProgress().filter { run in
            if let supervisor = run.supervisor { return !isAlive(supervisor) }
            return Stored.microseconds(run.createdAt) <= claimDeadline
        }
        guard !orphans.isEmpty else { return [] }
        return try store.write { db in
            var marked: [FlightRun] = []
            for run in orphans {
                let detail = if let supervisor = run.supervisor {
                    "the supervisor (\(supervisor)) is gone, after a machine restart or a kill; the program's outcome is unknown"
                } else {
                    "no supervisor claimed the run within \(Int(unclaimedGrace)) s of its creation"
                }
                try db.execute(
                    sql: """
                        UPDATE runs SET status = 'FAILED', ended_at = ?, failure_kind = 'supervisor_lost', failure_detail = ?
                        WHERE id = ? AND status IN ('PENDING', 'RUNNING')
                            AND supervisor_pid IS ? AND supervisor_start_token IS ?
                        """,
                    arguments: [now, detail, Stored.id(run.id), run.supervisor?.pid, run.supervisor?.startToken])
                if db.changesCount == 1 { marked.append(try runRow(db, id: Stored.id(run.id))) }
            }
            return marked
        }
    }
}
