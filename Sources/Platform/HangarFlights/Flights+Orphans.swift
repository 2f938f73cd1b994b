import Foundation

extension Flights {
    /// Finds runs that can never finish and marks them FAILED with reason `supervisor_lost`:
    /// pending or running runs whose supervisor is no longer alive, and pending runs no supervisor
    /// claimed within `unclaimedGrace` seconds of being created (the process that triggered them
    /// died before starting one). Any Hangar process may call this; it returns the runs it marked.
    ///
    /// A run marked so must not go on writing: the process group of its program, when one was
    /// recorded, is killed first (the supervisor that would have killed it is gone).
    ///
    /// - isAlive: whether a supervisor still runs; by default its pid still exists with the same
    ///   start time (see ``SupervisorIdentity/isAlive``). Tests inject their own.
    /// - stopProgram: stops an orphaned run's program and its process group; by default SIGKILL
    ///   to the group (see ``SupervisorIdentity/killProcessGroup()``).
    @discardableResult
    public func reconcileOrphans(
        unclaimedGrace: TimeInterval = 300,
        isAlive: (SupervisorIdentity) -> Bool = { $0.isAlive },
        stopProgram: (SupervisorIdentity) -> Void = { $0.killProcessGroup() }
    ) throws(FlightsError) -> [FlightRun] {
        // On a shared store the process ids are other machines': liveness there is the workers'
        // heartbeats (the lost-worker sweep), never a local probe.
        guard !store.isShared else { return [] }
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
        // Before marking: a crash between the two must not leave a FAILED run's program running.
        // A dead supervisor stays dead, so its run's program is an orphan whoever marks the run.
        for run in orphans { if let program = run.program { stopProgram(program) } }
        return try store.write { db in
            var marked: [FlightRun] = []
            for run in orphans {
                let detail = if let supervisor = run.supervisor {
                    "the supervisor (\(supervisor)) is gone, after a machine restart or a kill; the program's outcome is unknown"
                        + (run.program.map { "; its processes (group \($0.pid)) were stopped" } ?? "")
                } else {
                    "no supervisor claimed the run within \(Int(unclaimedGrace)) s of its creation"
                }
                // Only while the same supervisor (or still none) holds the run.
                let sameSupervisor = run.supervisor == nil
                    ? "supervisor_pid IS NULL"
                    : "supervisor_pid = ? AND supervisor_start_token = ?"
                let changed = try db.execute(
                    """
                        UPDATE runs SET status = 'FAILED', ended_at = ?, failure_kind = 'supervisor_lost', failure_detail = ?
                        WHERE id = ? AND status IN ('PENDING', 'RUNNING') AND \(sameSupervisor)
                        """,
                    [now, detail, Stored.id(run.id)] + (run.supervisor.map { [$0.pid, $0.startToken] } ?? []))
                if changed == 1 { marked.append(try runRow(db, id: Stored.id(run.id))) }
            }
            return marked
        }
    }
}
