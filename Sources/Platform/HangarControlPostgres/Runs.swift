import Foundation
import PostgresNIO

/// A run as a worker receives it when it claims it.
public struct ClaimedRun: Sendable, Hashable {
    public let id: UUID
    public let flightID: UUID
    public let flightName: String
    public let flightVersion: Int
    public let runNumber: Int
    /// The effective config, as JSON text with sorted keys.
    public let config: String
    public let scheduledAt: Date?
}

/// A run's identity and state, as the scale-out operations report it.
public struct RunState: Sendable, Hashable {
    public let id: UUID
    public let runNumber: Int
    public let status: String
    public let workerID: UUID?
    public let failureKind: String?
    public let failureDetail: String?
    public let scheduledAt: Date?
}

public enum ScheduledFire: Sendable, Hashable {
    /// The fire is now a pending scheduled run.
    case created(RunState)
    /// Another scheduler (or this one, before) recorded this fire.
    case alreadyRecorded
    /// The flight is gone or its schedule is not active.
    case notScheduled
}

extension PostgresControlStore {
    /// Creates a flight with its version 1 — the smallest form, until ``Flights`` runs on this store
    /// (docs/control-plane.md) and validates it. `scheduleCron` must be valid.
    public func createFlight(
        name: String, runtime: String = "python", sourceCode: String, config: String = "{}", scheduleCron: String? = nil, owner: String = "local"
    ) async throws(PostgresControlError) -> UUID {
        let id = UUID()
        return try await transaction { transaction in
            let now = try await now(transaction)
            let status: String? = scheduleCron == nil ? nil : "ACTIVE"
            let since: Int64? = scheduleCron == nil ? nil : now
            try await transaction.execute("""
                INSERT INTO flights (id, name, schedule_cron, schedule_status, schedule_since, current_version, owner_name, created_at, updated_at)
                VALUES (\(Self.id(id)), \(name), \(scheduleCron), \(status), \(since), 1, \(owner), \(now), \(now))
                """)
            try await transaction.execute("""
                INSERT INTO flight_versions (id, flight_id, number, created_at, runtime, source_code, config)
                VALUES (\(Self.id(UUID())), \(Self.id(id)), 1, \(now), \(runtime), \(sourceCode), \(config))
                """)
            return id
        }
    }

    /// A pending manual run of the flight's current version. The flight's row lock (taken by the
    /// UPDATE that allocates the number) makes concurrent triggers from any host get consecutive,
    /// distinct run numbers.
    public func triggerRun(flightID: UUID) async throws(PostgresControlError) -> RunState {
        try await transaction { transaction in
            let now = try await now(transaction)
            guard let created = try await insertRun(transaction, flightID: Self.id(flightID), scheduledAt: nil, now: now) else {
                throw PostgresControlError(.notFound, "flight \(Self.id(flightID)) does not exist; list flights to see which exist")
            }
            return created
        }
    }

    /// Records the fire of the flight's schedule at `fireTime` as one pending scheduled run,
    /// exactly once across every scheduler on every host: (flight, fire time) is the fire's
    /// idempotency key, UNIQUE in `runs` and inserted with ON CONFLICT DO NOTHING. The flight's
    /// row is locked first, so the run number is only allocated for a fire not yet recorded.
    public func recordScheduledFire(flightID: UUID, at fireTime: Date) async throws(PostgresControlError) -> ScheduledFire {
        let fire = Self.microseconds(fireTime)
        let flight = Self.id(flightID)
        do throws(PostgresControlError) {
            return try await recordFire(flight: flight, fire: fire)
        } catch {
            if error.isFireAlreadyRecorded { return .alreadyRecorded }
            throw error
        }
    }

    private func recordFire(flight: String, fire: Int64) async throws(PostgresControlError) -> ScheduledFire {
        try await transaction { transaction in
            let now = try await now(transaction)
            let scheduled = try await transaction.rows("""
                SELECT id FROM flights WHERE id = \(flight) AND schedule_status = 'ACTIVE' FOR UPDATE
                """)
            guard !scheduled.isEmpty else { return .notScheduled }
            // Under the flight's lock, this statement's snapshot holds every fire committed before.
            let recorded = try await transaction.rows("SELECT 1 FROM runs WHERE flight_id = \(flight) AND scheduled_at = \(fire)")
            guard recorded.isEmpty, let run = try await insertRun(transaction, flightID: flight, scheduledAt: fire, now: now) else {
                return .alreadyRecorded
            }
            try await transaction.execute("""
                INSERT INTO schedule_state (flight_id, last_fire_at) VALUES (\(flight), \(fire))
                ON CONFLICT (flight_id) DO UPDATE SET last_fire_at = GREATEST(schedule_state.last_fire_at, excluded.last_fire_at)
                """)
            return .created(run)
        }
    }

    /// Inserts a pending run (nil when the flight does not exist or the fire is recorded).
    private func insertRun(_ transaction: Transaction, flightID: String, scheduledAt: Int64?, now: Int64) async throws -> RunState? {
        let numbered = try await transaction.rows("""
            UPDATE flights SET last_run_number = last_run_number + 1 WHERE id = \(flightID)
            RETURNING name, current_version, last_run_number
            """)
        guard let flight = numbered.first else { return nil }
        let (name, version, number) = try flight.decode((String, Int, Int).self)
        let id = UUID()
        let inserted = try await transaction.rows("""
            INSERT INTO runs (id, flight_id, flight_name, flight_version, run_number, is_scheduled, scheduled_at, status, config, created_at)
            SELECT \(Self.id(id)), \(flightID), \(name), \(version), \(number), \(scheduledAt != nil), \(scheduledAt), 'PENDING', v.config, \(now)
            FROM flight_versions v WHERE v.flight_id = \(flightID) AND v.number = \(version)
            ON CONFLICT (flight_id, scheduled_at) DO NOTHING
            RETURNING id
            """)
        // A conflict here means another transaction recorded the fire after our check: the
        // number allocated above goes back with this transaction's rollback.
        guard !inserted.isEmpty else { throw FireAlreadyRecorded() }
        return RunState(id: id, runNumber: number, status: "PENDING", workerID: nil, failureKind: nil, failureDetail: nil,
                        scheduledAt: scheduledAt.map(Self.date))
    }

    /// Claims up to `limit` unclaimed pending runs for `worker`, oldest first, in one statement:
    /// `FOR UPDATE SKIP LOCKED` makes concurrent claimers on any host skip the rows another is
    /// taking instead of waiting for or double-taking them. A worker declared lost claims nothing
    /// (and gets a conflict); cancelled-before-start runs are never claimed.
    public func claimRuns(for worker: WorkerRecord, limit: Int) async throws(PostgresControlError) -> [ClaimedRun] {
        guard limit >= 1 else { return [] }
        let workerID = Self.id(worker.id)
        return try await transaction { transaction in
            let now = try await now(transaction)
            // FOR SHARE: a sweeper declaring this worker lost (FOR UPDATE) waits for this claim, or
            // this claim waits for it and then finds lost_at set.
            let alive = try await transaction.rows("""
                SELECT id FROM workers WHERE id = \(workerID) AND lost_at IS NULL AND stopped_at IS NULL FOR SHARE
                """)
            guard !alive.isEmpty else {
                throw PostgresControlError(.conflict, "\(worker) was declared lost or stopped; it claims nothing until it registers again")
            }
            return try await transaction.rows("""
                WITH waiting AS (
                    SELECT id FROM runs
                    WHERE status = 'PENDING' AND worker_id IS NULL AND cancel_requested_at IS NULL
                    ORDER BY created_at, id
                    LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE runs r SET worker_id = \(workerID), claimed_at = \(now)
                FROM waiting WHERE r.id = waiting.id
                RETURNING r.id, r.flight_id, r.flight_name, r.flight_version, r.run_number, r.config, r.scheduled_at
                """).map { row in
                let (id, flightID, name, version, number, config, scheduledAt) =
                    try row.decode((String, String, String, Int, Int, String, Int64?).self)
                return ClaimedRun(
                    id: UUID(uuidString: id)!, flightID: UUID(uuidString: flightID)!, flightName: name, flightVersion: version,
                    runNumber: number, config: config, scheduledAt: scheduledAt.map(Self.date))
            }.sorted { ($0.flightName, $0.runNumber) < ($1.flightName, $1.runNumber) }
        }
    }

    /// PENDING → RUNNING, by the worker holding the run.
    public func markRunning(_ runID: UUID, by worker: WorkerRecord) async throws(PostgresControlError) -> RunState {
        try await transition(runID, by: worker, from: ["PENDING"], sql: { now in
            "status = 'RUNNING', started_at = \(now)"
        })
    }

    /// RUNNING → SUCCEEDED or FAILED, by the worker holding the run. A run failed meanwhile (its
    /// worker declared lost) stays failed: the worker gets a conflict and must not report it.
    public func markFinished(
        _ runID: UUID, by worker: WorkerRecord, succeeded: Bool, exitCode: Int? = nil, failureKind: String? = nil, failureDetail: String? = nil
    ) async throws(PostgresControlError) -> RunState {
        try await transition(runID, by: worker, from: ["PENDING", "RUNNING"], sql: { now in
            let status = succeeded ? "SUCCEEDED" : "FAILED"
            return "status = '\(status)', ended_at = \(now), exit_code = \(exitCode.map { String($0) } ?? "NULL")"
        }, failureKind: failureKind, failureDetail: failureDetail)
    }

    private func transition(
        _ runID: UUID, by worker: WorkerRecord, from states: [String], sql: (Int64) -> String,
        failureKind: String? = nil, failureDetail: String? = nil
    ) async throws(PostgresControlError) -> RunState {
        let id = Self.id(runID)
        return try await transaction { transaction in
            let now = try await now(transaction)
            guard let current = try await transaction.rows("SELECT status, worker_id FROM runs WHERE id = \(id) FOR UPDATE").first else {
                throw PostgresControlError(.notFound, "run \(id) does not exist (its flight may have been deleted)")
            }
            let (status, holder) = try current.decode((String, String?).self)
            guard holder == Self.id(worker.id) else {
                throw PostgresControlError(.conflict, "run \(id) is not held by \(worker)")
            }
            guard states.contains(status) else {
                throw PostgresControlError(.conflict, "run \(id) is \(status); it can't move on from there")
            }
            // The assignments are built from constants and integers only; text goes as binds.
            try await transaction.execute("""
                UPDATE runs SET \(unescaped: sql(now)), failure_kind = \(failureKind), failure_detail = \(failureDetail) WHERE id = \(id)
                """)
            return try await runState(transaction, id: id)
        }
    }

    /// One run's state.
    public func run(_ runID: UUID) async throws(PostgresControlError) -> RunState {
        try await transaction { transaction in try await runState(transaction, id: Self.id(runID)) }
    }

    /// Every run of the flight, by number.
    public func runs(flightID: UUID) async throws(PostgresControlError) -> [RunState] {
        try await transaction { transaction in
            try await transaction.rows("""
                SELECT id, run_number, status, worker_id, failure_kind, failure_detail, scheduled_at FROM runs
                WHERE flight_id = \(Self.id(flightID)) ORDER BY run_number
                """).map(Self.runState(_:))
        }
    }

    private func runState(_ transaction: Transaction, id: String) async throws -> RunState {
        guard let row = try await transaction.rows("""
            SELECT id, run_number, status, worker_id, failure_kind, failure_detail, scheduled_at FROM runs WHERE id = \(id)
            """).first else {
            throw PostgresControlError(.notFound, "run \(id) does not exist (its flight may have been deleted)")
        }
        return try Self.runState(row)
    }

    private static func runState(_ row: PostgresRow) throws -> RunState {
        let (id, number, status, worker, kind, detail, scheduledAt) =
            try row.decode((String, Int, String, String?, String?, String?, Int64?).self)
        return RunState(
            id: UUID(uuidString: id)!, runNumber: number, status: status, workerID: worker.flatMap(UUID.init(uuidString:)),
            failureKind: kind, failureDetail: detail, scheduledAt: scheduledAt.map(date))
    }
}

/// Thrown inside ``PostgresControlStore/recordScheduledFire(flightID:at:)``'s transaction to roll
/// it back when the insert met the fire's idempotency key.
struct FireAlreadyRecorded: Error {}

extension PostgresControlError {
    var isFireAlreadyRecorded: Bool { kind == .conflict && message == Self.fireAlreadyRecorded }
    static let fireAlreadyRecorded = "this scheduled fire is already recorded"
}
