import DuckDB

/// When a load lets DuckDB compact the deleted rows of the destination's tables.
///
/// A merge deletes the rows it replaces. DuckDB keeps deleted rows in their row groups and, at
/// each checkpoint, rewrites adjacent row groups whenever that saves one — for a merge replacing
/// 10% of a 200,000-row table that meant rewriting nearly all of its child table on every run,
/// three quarters of the load's time. Like PostgreSQL's autovacuum scale factor, compaction waits
/// until deleted rows are a share (`threshold`) of some table the load writes, and then happens in
/// that load's checkpoint. Tables therefore carry at most about that share of dead rows, plus
/// whatever one load deletes; reading them stays correct either way, only slightly slower.
///
/// Row groups whose rows are all deleted are dropped at every checkpoint regardless.
struct DeletedRowsCompaction {
    /// Deleted rows as a share of a table's stored rows from which compaction is due.
    let threshold: Double

    /// One table's stored rows (live and deleted, as committed) and live rows.
    struct StoredRows: Equatable {
        let stored: Int
        let live: Int

        var deletedShare: Double { stored == 0 ? 0 : Double(stored - live) / Double(stored) }
    }

    /// Reads what `table` (qualified) holds as committed; call it before the load changes the
    /// table, since rows the transaction appends or deletes are not in storage yet.
    static func storedRows(of table: String, on connection: Connection) throws -> StoredRows {
        // Column 0's own segments (path `[0]`, not its validity mask) count every stored row once.
        let stored = try connection.scalar("""
            SELECT coalesce(sum(count), 0)::BIGINT FROM pragma_storage_info('\(table.replacingOccurrences(of: "'", with: "''"))')
            WHERE column_id = 0 AND column_path = '[0]'
            """, as: Int.self) ?? 0
        let live = try connection.scalar("SELECT count(*) FROM \(table)", as: Int.self) ?? 0
        return StoredRows(stored: stored, live: live)
    }

    /// Whether the checkpoint after this load should compact, given the tables it writes.
    func isDue(_ tables: [StoredRows]) -> Bool {
        tables.contains { $0.deletedShare >= threshold }
    }

    /// Sets DuckDB's vacuum for the coming checkpoint: allowed when due, else deferred.
    func apply(due: Bool, on connection: Connection) throws {
        try connection.execute(due ? "RESET max_vacuum_tasks" : "SET max_vacuum_tasks = 0")
    }
}
