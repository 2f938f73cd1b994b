import Foundation

extension Flights {
    /// Creates a pending run of the flight's current version, numbered after its latest run.
    ///
    /// `config` overrides stored values for this run only: only keys the version defines may be
    /// set, omitted keys keep their stored values, and the flight is left unchanged.
    /// `scheduledAt` marks a scheduled run; recording one fire twice is a conflict (see
    /// ``recordScheduledFire(flightID:at:)`` for the scheduler's form).
    public func triggerRun(
        _ selector: FlightSelector, config override: [String: String] = [:], scheduledAt: Date? = nil
    ) throws(FlightsError) -> FlightRun {
        let now = now()
        return try store.write { db in
            let flight = try flightRow(db, selector)
            if let scheduledAt, let existing = try scheduledRun(db, flightID: flight["id"], at: scheduledAt) {
                throw FlightsError(.scheduledFireRecorded, "the fire at \(scheduledAt) of flight \"\(existing.flightName)\" is already recorded as run \(existing.runNumber)")
            }
            return try insertRun(db, flight: flight, override: override, scheduledAt: scheduledAt, now: now)
        }
    }

    /// Runs newest first.
    public func runs(_ selector: FlightSelector, limit: Int? = nil, offset: Int? = nil) throws(FlightsError) -> [FlightRun] {
        try Validation.page(limit: limit, offset: offset)
        return try store.read { db in
            let id: String = try flightRow(db, selector)["id"]
            return try db.rows(
                "SELECT * FROM runs WHERE flight_id = ? ORDER BY run_number DESC LIMIT ? OFFSET ?",
                [id, db.dialect.limit(limit), offset ?? 0]
            ).map(FlightRun.init(row:))
        }
    }

    /// One run; a run that does not exist is an error, not an empty answer.
    public func run(_ selector: FlightSelector, number: Int) throws(FlightsError) -> FlightRun {
        try Validation.runNumber(number)
        return try store.read { db in
            try runRow(db, flight: try flightRow(db, selector), number: number)
        }
    }

    public func run(id: UUID) throws(FlightsError) -> FlightRun {
        try store.read { db in try runRow(db, id: Stored.id(id)) }
    }

    /// Every pending or running run, oldest first.
    public func runsInProgress() throws(FlightsError) -> [FlightRun] {
        try store.read { db in
            try db.rows(
                "SELECT * FROM runs WHERE status IN ('PENDING', 'RUNNING') ORDER BY created_at, rowid"
            ).map(FlightRun.init(row:))
        }
    }

    // MARK: - Transitions

    /// A supervisor takes charge of a pending run (before installing or building). One run has
    /// one supervisor: claiming a run another process claimed is a conflict.
    public func claimRun(_ runID: UUID, supervisor: SupervisorIdentity) throws(FlightsError) -> FlightRun {
        try store.write { db in
            let run = try runRow(db, id: Stored.id(runID))
            try ensureInProgress(run, to: "be claimed")
            try ensureUnclaimed(run, by: supervisor)
            try db.execute(
                "UPDATE runs SET supervisor_pid = ?, supervisor_start_token = ? WHERE id = ?",
                [supervisor.pid, supervisor.startToken, Stored.id(runID)])
            return try runRow(db, id: Stored.id(runID))
        }
    }

    /// Frees a run whose supervisor died before starting its program, so that another supervisor
    /// can take it: nothing of the run has executed yet (it is PENDING, never started). Returns
    /// false when the run moved on meanwhile (started, finished, or held by someone else).
    public func releaseUnstartedRun(_ runID: UUID, from supervisor: SupervisorIdentity?) throws(FlightsError) -> Bool {
        try store.write { db in
            let held = supervisor == nil ? "supervisor_pid IS NULL" : "supervisor_pid = ? AND supervisor_start_token = ?"
            return try db.execute(
                """
                    UPDATE runs SET supervisor_pid = NULL, supervisor_start_token = NULL
                    WHERE id = ? AND status = 'PENDING' AND started_at IS NULL AND cancel_requested_at IS NULL AND \(held)
                    """,
                [Stored.id(runID)] + (supervisor.map { [$0.pid, $0.startToken] } ?? [])) == 1
        }
    }

    /// PENDING → RUNNING, when the program starts; claims the run for `supervisor` when given.
    public func markRunning(_ runID: UUID, supervisor: SupervisorIdentity? = nil) throws(FlightsError) -> FlightRun {
        let now = now()
        return try store.write { db in
            let run = try runRow(db, id: Stored.id(runID))
            try ensureInProgress(run, to: "start")
            guard run.status == .pending else {
                throw FlightsError(.runFinished, "run \(run.runNumber) of flight \"\(run.flightName)\" is already RUNNING")
            }
            if let supervisor { try ensureUnclaimed(run, by: supervisor) }
            let claimant = supervisor ?? run.supervisor
            try db.execute(
                "UPDATE runs SET status = 'RUNNING', started_at = ?, supervisor_pid = ?, supervisor_start_token = ? WHERE id = ?",
                [now, claimant?.pid, claimant?.startToken, Stored.id(runID)])
            return try runRow(db, id: Stored.id(runID))
        }
    }

    /// Records the program a supervisor started for a running run: the leader of the run's
    /// process group, which ``reconcileOrphans(unclaimedGrace:isAlive:stopProgram:)`` kills
    /// should the supervisor die.
    @discardableResult
    public func recordProgram(_ runID: UUID, _ program: SupervisorIdentity) throws(FlightsError) -> FlightRun {
        try store.write { db in
            let run = try runRow(db, id: Stored.id(runID))
            try ensureInProgress(run, to: "start a program")
            try db.execute(
                "UPDATE runs SET program_pid = ?, program_start_token = ? WHERE id = ?",
                [program.pid, program.startToken, Stored.id(runID)])
            return try runRow(db, id: Stored.id(runID))
        }
    }

    /// Records what the run loaded, as its supervisor read it when the program ended.
    @discardableResult
    public func recordLoadSummary(_ runID: UUID, _ summary: RunLoadSummary) throws(FlightsError) -> FlightRun {
        try store.write { db in
            _ = try runRow(db, id: Stored.id(runID))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let json = String(decoding: try encoder.encode(summary), as: UTF8.self)
            try db.execute("UPDATE runs SET load_summary = ? WHERE id = ?", [json, Stored.id(runID)])
            return try runRow(db, id: Stored.id(runID))
        }
    }

    /// PENDING or RUNNING → SUCCEEDED, FAILED or CANCELLED. A finished run never changes again.
    public func markFinished(_ runID: UUID, _ outcome: RunOutcome) throws(FlightsError) -> FlightRun {
        let now = now()
        return try store.write { db in
            let run = try runRow(db, id: Stored.id(runID))
            try ensureInProgress(run, to: "finish again")
            let status: RunStatus
            let exitCode: Int32?
            let failure: RunFailure?
            switch outcome {
            case .succeeded: (status, exitCode, failure) = (.succeeded, 0, nil)
            case .failed(let reason, let code): (status, exitCode, failure) = (.failed, code, reason)
            case .cancelled(let code):
                (status, exitCode, failure) = (.cancelled, code, RunFailure(.cancelled, "cancelled on request"))
            }
            try db.execute(
                """
                    UPDATE runs SET status = ?, ended_at = ?, exit_code = ?, failure_kind = ?, failure_detail = ?,
                        cancelled_at = CASE WHEN ? = 'CANCELLED' THEN ? ELSE cancelled_at END
                    WHERE id = ?
                    """,
                [
                    status.rawValue, now, exitCode, failure?.kind.rawValue, failure?.detail, status.rawValue, now,
                    Stored.id(runID),
                ])
            return try runRow(db, id: Stored.id(runID))
        }
    }

    /// Asks for a run to be cancelled. A run no supervisor has claimed is cancelled at once;
    /// otherwise the request is recorded and the caller signals the returned supervisor, which
    /// kills the program and records the run as cancelled. Cancelling a finished or missing run
    /// is an error.
    public func requestCancel(_ selector: FlightSelector, runNumber: Int) throws(FlightsError) -> CancelRequest {
        try Validation.runNumber(runNumber)
        let now = now()
        return try store.write { db in
            let run = try runRow(db, flight: try flightRow(db, selector), number: runNumber)
            guard !run.status.isFinished else {
                throw FlightsError(.runFinished, "run \(run.runNumber) of flight \"\(run.flightName)\" already finished (\(run.status.rawValue)); only pending or running runs can be cancelled")
            }
            let id = Stored.id(run.id)
            if let supervisor = run.supervisor {
                try db.execute(
                    "UPDATE runs SET cancel_requested_at = COALESCE(cancel_requested_at, ?) WHERE id = ?",
                    [now, id])
                return CancelRequest(run: try runRow(db, id: id), supervisorToSignal: supervisor)
            }
            try db.execute(
                """
                    UPDATE runs SET status = 'CANCELLED', cancel_requested_at = ?, cancelled_at = ?, ended_at = ?,
                        failure_kind = 'cancelled', failure_detail = 'cancelled before a supervisor started it'
                    WHERE id = ?
                    """,
                [now, now, now, id])
            return CancelRequest(run: try runRow(db, id: id), supervisorToSignal: nil)
        }
    }

    // MARK: - Shared

    func insertRun(_ db: any ControlDatabase, flight: ControlRow, override: [String: String], scheduledAt: Date?, now: Int64) throws -> FlightRun {
        let flightID: String = flight["id"]
        let flightName: String = flight["name"]
        let version: Int = flight["current_version"]
        let stored = try content(db, flightID: flightID, number: version).config
        let effective = try Self.effectiveConfig(stored: stored, override: override, flightName: flightName, version: version)
        // The counter is read and bumped inside this IMMEDIATE transaction, so concurrent
        // triggers from any number of processes get consecutive, distinct numbers.
        try db.execute("UPDATE flights SET last_run_number = last_run_number + 1 WHERE id = ?", [flightID])
        let number = try db.value(Int.self,"SELECT last_run_number FROM flights WHERE id = ?", [flightID])!
        let id = Stored.id(UUID())
        try db.execute(
            """
                INSERT INTO runs (id, flight_id, flight_name, flight_version, run_number, is_scheduled, scheduled_at, status,
                    config, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)
                """,
            [
                id, flightID, flightName, version, number, scheduledAt != nil, scheduledAt.map(Stored.microseconds),
                Stored.json(effective), now,
            ])
        if let scheduledAt {
            try noteFireHandled(db, flightID: flightID, at: Stored.microseconds(scheduledAt))
        }
        return try runRow(db, id: id)
    }

    static func effectiveConfig(
        stored: [String: String], override: [String: String], flightName: String, version: Int
    ) throws(FlightsError) -> [String: String] {
        let unknown = override.keys.filter { stored[$0] == nil }.sorted()
        if !unknown.isEmpty {
            let keys = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
            let defined = stored.isEmpty ? "it defines no config keys" : "it defines \(stored.keys.sorted().joined(separator: ", "))"
            throw FlightsError.invalid("config", "config override \(unknown.count == 1 ? "key" : "keys") \(keys) \(unknown.count == 1 ? "is" : "are") not defined on flight \"\(flightName)\" (version \(version): \(defined)); a run can only override existing keys, so add new ones with an update first")
        }
        try Validation.environmentEntries(override, parameter: "config", what: "config key")
        return stored.merging(override) { _, new in new }
    }

    func scheduledRun(_ db: any ControlDatabase, flightID: String, at scheduledAt: Date) throws -> FlightRun? {
        try db.row(
            "SELECT * FROM runs WHERE flight_id = ? AND scheduled_at = ?",
            [flightID, Stored.microseconds(scheduledAt)]
        ).map(FlightRun.init(row:))
    }

    func runRow(_ db: any ControlDatabase, id: String) throws -> FlightRun {
        guard let row = try db.row("SELECT * FROM runs WHERE id = ?", [id]) else {
            throw FlightsError(.runNotFound, "run \(id) does not exist (its flight may have been deleted)")
        }
        return FlightRun(row: row)
    }

    func runRow(_ db: any ControlDatabase, flight: ControlRow, number: Int) throws -> FlightRun {
        let flightID: String = flight["id"]
        guard let row = try db.row(
            "SELECT * FROM runs WHERE flight_id = ? AND run_number = ?", [flightID, number])
        else {
            let name: String = flight["name"]
            let latest: Int = flight["last_run_number"]
            let known = latest == 0 ? "it has no runs yet" : "its runs are numbered 1 to \(latest)"
            throw FlightsError(.runNotFound, "flight \"\(name)\" has no run \(number); \(known)")
        }
        return FlightRun(row: row)
    }

    private func ensureInProgress(_ run: FlightRun, to action: String) throws(FlightsError) {
        guard !run.status.isFinished else {
            let reason = run.failure.map { " (\($0))" } ?? ""
            throw FlightsError(.runFinished, "run \(run.runNumber) of flight \"\(run.flightName)\" already finished as \(run.status.rawValue)\(reason); a finished run can't \(action)")
        }
    }

    private func ensureUnclaimed(_ run: FlightRun, by supervisor: SupervisorIdentity) throws(FlightsError) {
        if let current = run.supervisor, current != supervisor {
            throw FlightsError(.runClaimed, "run \(run.runNumber) of flight \"\(run.flightName)\" is already supervised by \(current)")
        }
    }
}
