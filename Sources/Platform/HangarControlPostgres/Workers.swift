import Foundation
import HangarFlights

/// A process that runs work: registered in the control database, heartbeating while it lives.
public struct WorkerRecord: Sendable, Hashable, CustomStringConvertible {
    public let id: UUID
    public let name: String
    public let host: String
    public let slots: Int
    public let heartbeatAt: Date

    public var description: String { "worker \"\(name)\" (\(PostgresControlStore.id(id)) on \(host))" }
}

/// How long a worker may stay silent before it is declared lost. Workers heartbeat every
/// `heartbeatInterval`; every server and worker sweeps as often. A worker that dies is therefore
/// declared lost, and its runs failed, at most `lostAfter + heartbeatInterval` after its last
/// heartbeat (`bound`).
public struct WorkerLiveness: Sendable, Hashable {
    public var heartbeatInterval: Duration
    public var lostAfter: Duration

    public init(heartbeatInterval: Duration = .seconds(10), lostAfter: Duration = .seconds(30)) {
        precondition(lostAfter > heartbeatInterval * 2, "a live worker must get at least two heartbeats in before it is declared lost")
        self.heartbeatInterval = heartbeatInterval
        self.lostAfter = lostAfter
    }

    /// The longest a dead worker's runs stay in progress.
    public var bound: Duration { lostAfter + heartbeatInterval }

    var lostAfterMicroseconds: Int64 {
        let (seconds, attoseconds) = lostAfter.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

/// A run failed because its worker was declared lost.
public struct LostRun: Sendable, Hashable {
    public let runID: UUID
    public let worker: WorkerRecord
    public let failureDetail: String
}

extension PostgresControlStore {
    /// Registers a worker, alive as of now.
    public func registerWorker(name: String, host: String, slots: Int) throws(FlightsError) -> WorkerRecord {
        guard slots >= 1 else { throw FlightsError.storage("a worker needs at least one slot (got \(slots))") }
        let id = UUID()
        return try write { db in
            let now = try now(db)
            try db.execute("""
                INSERT INTO workers (id, name, host, slots, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)
                """, [Self.id(id), name, host, slots, now, now])
            return WorkerRecord(id: id, name: name, host: host, slots: slots, heartbeatAt: Self.date(now))
        }
    }

    /// Records that the worker is alive. A worker that was declared lost gets a conflict: its
    /// runs have been failed, so it must stop their programs and register again.
    public func heartbeat(_ worker: WorkerRecord) throws(FlightsError) {
        try write { db in
            let now = try now(db)
            let changed = try db.execute("""
                UPDATE workers SET heartbeat_at = GREATEST(heartbeat_at, ?)
                WHERE id = ? AND lost_at IS NULL AND stopped_at IS NULL
                """, [now, Self.id(worker.id)])
            guard changed == 0 else { return }
            throw FlightsError.conflict("\(worker) was declared lost or stopped; its runs were failed, so it must stop them and register again")
        }
    }

    /// A worker leaving in good order: it stops heartbeating without being declared lost. Its
    /// runs still in progress are failed as lost (a worker stops only when they ended).
    @discardableResult
    public func stopWorker(_ worker: WorkerRecord) throws(FlightsError) -> [LostRun] {
        try write { db in
            let now = try now(db)
            try db.execute("""
                UPDATE workers SET stopped_at = ? WHERE id = ? AND lost_at IS NULL AND stopped_at IS NULL
                """, [now, Self.id(worker.id)])
            return try failRuns(db, of: [(worker, "stopped before its runs ended")], now: now)
        }
    }

    /// Declares lost every worker silent for longer than `liveness.lostAfter` and fails its
    /// pending and running runs (`worker_lost`, the reason naming the worker). Any server or
    /// worker may call this at any time, any number of them at once: a worker is declared lost
    /// once and a run fails once; the call returns only what it changed.
    @discardableResult
    public func failRunsOfLostWorkers(_ liveness: WorkerLiveness) throws(FlightsError) -> [LostRun] {
        try write { db in
            let now = try now(db)
            let deadline = now - liveness.lostAfterMicroseconds
            var lost: [(WorkerRecord, String)] = []
            for row in try db.rows("""
                SELECT id, name, host, slots, heartbeat_at FROM workers
                WHERE lost_at IS NULL AND stopped_at IS NULL AND heartbeat_at < ?
                ORDER BY heartbeat_at
                FOR UPDATE SKIP LOCKED
                """, [deadline]) {
                let heartbeat: Int64 = row["heartbeat_at"]
                let worker = WorkerRecord(
                    id: UUID(uuidString: row["id"])!, name: row["name"], host: row["host"], slots: row["slots"],
                    heartbeatAt: Self.date(heartbeat))
                let silence = Double(now - heartbeat) / 1_000_000
                let reason = "stopped heartbeating: its last heartbeat was \(Self.seconds(silence)) s ago, more than the \(Self.seconds(Double(liveness.lostAfterMicroseconds) / 1_000_000)) s allowed; the program's outcome is unknown"
                try db.execute("UPDATE workers SET lost_at = ? WHERE id = ?", [now, Self.id(worker.id)])
                lost.append((worker, reason))
            }
            return try failRuns(db, of: lost, now: now)
        }
    }

    private func failRuns(_ db: any ControlDatabase, of workers: [(WorkerRecord, String)], now: Int64) throws -> [LostRun] {
        var failed: [LostRun] = []
        for (worker, reason) in workers {
            let detail = "worker lost: \(worker) \(reason)"
            for row in try db.rows("""
                UPDATE runs SET status = 'FAILED', ended_at = ?, failure_kind = 'worker_lost', failure_detail = ?
                WHERE worker_id = ? AND status IN ('PENDING', 'RUNNING')
                RETURNING id
                """, [now, detail, Self.id(worker.id)]) {
                failed.append(LostRun(runID: UUID(uuidString: row["id"])!, worker: worker, failureDetail: detail))
            }
        }
        return failed
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
