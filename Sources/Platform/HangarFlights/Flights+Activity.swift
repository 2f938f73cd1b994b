import Foundation

extension Flights {
    /// Runs created at or after `since`, oldest first: what a watcher of the whole home (the
    /// metrics of `hangar serve`) counts as started, whichever process started them.
    public func runsCreated(since: Date, limit: Int = 10_000) throws(FlightsError) -> [FlightRun] {
        try store.read { db in
            try db.rows("SELECT * FROM runs WHERE created_at >= ? ORDER BY created_at, rowid LIMIT ?",
                             [Stored.microseconds(since), limit]).map(FlightRun.init(row:))
        }
    }

    /// Runs that finished at or after `since`, oldest first.
    public func runsEnded(since: Date, limit: Int = 10_000) throws(FlightsError) -> [FlightRun] {
        try store.read { db in
            try db.rows("SELECT * FROM runs WHERE ended_at >= ? ORDER BY ended_at, rowid LIMIT ?",
                             [Stored.microseconds(since), limit]).map(FlightRun.init(row:))
        }
    }
}
