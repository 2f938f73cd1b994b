import Foundation
import HangarFlights

extension PostgresControlStore {
    /// Claims up to `limit` unclaimed pending runs for `worker`, oldest first, and returns their
    /// ids. `FOR UPDATE SKIP LOCKED` lets claimers skip rows another is taking; the store's write
    /// lock orders claims, heartbeats and sweeps besides. A worker declared lost claims nothing
    /// (a conflict: it must register again); runs with a cancel request are never claimed.
    public func claimRuns(for worker: WorkerRecord, limit: Int) throws(FlightsError) -> [UUID] {
        guard limit >= 1 else { return [] }
        let workerID = Self.id(worker.id)
        return try write { db in
            let now = try now(db)
            guard try db.row(
                "SELECT id FROM workers WHERE id = ? AND lost_at IS NULL AND stopped_at IS NULL FOR SHARE", [workerID]
            ) != nil else {
                throw FlightsError.conflict("\(worker) was declared lost or stopped; it claims nothing until it registers again")
            }
            return try db.rows("""
                WITH waiting AS (
                    SELECT id FROM runs
                    WHERE status = 'PENDING' AND worker_id IS NULL AND cancel_requested_at IS NULL
                    ORDER BY created_at, rowid
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE runs r SET worker_id = ?, claimed_at = ?
                FROM waiting WHERE r.id = waiting.id
                RETURNING r.id, r.created_at, r.rowid
                """, [limit, workerID, now])
                .sorted { ($0["created_at"] as Int64, $0["rowid"] as Int64) < ($1["created_at"] as Int64, $1["rowid"] as Int64) }
                .map { UUID(uuidString: $0["id"])! }
        }
    }
}
