import Foundation

extension Flights {
    /// Appends captured lines to a run's log in one transaction, numbering them after the last
    /// line; returns the number of the last line. Lines are readable as soon as this returns,
    /// while the run is still going. A run that no longer exists (its flight was deleted) is a
    /// not-found error, which tells a supervisor to stop.
    @discardableResult
    public func appendLogLines(_ runID: UUID, _ lines: [NewLogLine]) throws(FlightsError) -> Int {
        try store.write { db in
            let id = Stored.id(runID)
            _ = try runRow(db, id: id)
            var number = try db.value(Int.self,
                "SELECT COALESCE(MAX(line_number), 0) FROM log_lines WHERE run_id = ?", [id])!
            for line in lines {
                number += 1
                try db.execute(
                    "INSERT INTO log_lines (run_id, line_number, reported_at, stream, line) VALUES (?, ?, ?, ?, ?)",
                    [id, number, Stored.microseconds(line.reportedAt), line.stream.rawValue, line.line])
            }
            return number
        }
    }

    /// A run's log, as `MD_GET_FLIGHT_LOGS` pages it: all lines by default; `limit` ≥ 1;
    /// `offset` only with `limit`; ascending line order unless `order` is descending (then
    /// `offset` counts from the newest line).
    public func logs(
        _ selector: FlightSelector, runNumber: Int, limit: Int? = nil, offset: Int? = nil, order: LogOrder = .ascending
    ) throws(FlightsError) -> [LogLine] {
        try Validation.runNumber(runNumber)
        try Validation.page(limit: limit, offset: offset)
        if offset != nil && limit == nil {
            throw FlightsError.invalid("OFFSET", "\"OFFSET\" needs \"LIMIT\": pass both, e.g. \"LIMIT\" := 100, \"OFFSET\" := 200")
        }
        return try store.read { db in
            let run = try runRow(db, flight: try flightRow(db, selector), number: runNumber)
            let direction = order == .ascending ? "ASC" : "DESC"
            return try db.rows(
                "SELECT * FROM log_lines WHERE run_id = ? ORDER BY line_number \(direction) LIMIT ? OFFSET ?",
                [Stored.id(run.id), db.dialect.limit(limit), offset ?? 0]
            ).map(LogLine.init(row:))
        }
    }

    /// Lines after `lineNumber`, in order: how a follower reads what arrived since its last read.
    public func logLines(_ runID: UUID, after lineNumber: Int = 0, limit: Int? = nil) throws(FlightsError) -> [LogLine] {
        try Validation.page(limit: limit, offset: nil)
        return try store.read { db in
            let id = Stored.id(runID)
            _ = try runRow(db, id: id)
            return try db.rows(
                "SELECT * FROM log_lines WHERE run_id = ? AND line_number > ? ORDER BY line_number LIMIT ?",
                [id, lineNumber, db.dialect.limit(limit)]
            ).map(LogLine.init(row:))
        }
    }
}

extension Flights {
    /// Deletes the log lines of runs that ended before `cutoff` (their records stay); returns
    /// how many lines went. Logs are the bulk of the control store.
    @discardableResult
    public func pruneLogs(ofRunsEndedBefore cutoff: Date) throws(FlightsError) -> Int {
        try store.write { db in
            try db.execute("""
                DELETE FROM log_lines WHERE run_id IN (SELECT id FROM runs WHERE ended_at IS NOT NULL AND ended_at < ?)
                """, [Stored.microseconds(cutoff)])
        }
    }
}
