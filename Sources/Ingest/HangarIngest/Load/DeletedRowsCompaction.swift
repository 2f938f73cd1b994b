import DuckDB

/// When a load lets DuckDB compact the deleted rows of the destination's tables.
///
/// A merge deletes the rows it replaces. DuckDB keeps deleted rows in their row groups and, at
/// each checkpoint, rewrites adjacent row groups whenever that saves one — for a merge replacing
/// a small share of a table that meant rewriting nearly all of its child table on every run, most
/// of the load's work. Like PostgreSQL's autovacuum scale factor, compaction waits
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

    /// Reads what `table` of `schema` holds as committed; call it before the load changes the
    /// table, since rows the transaction appends or deletes are not in storage yet.
    static func storedRows(schema: String, table: String, on connection: Connection) throws -> StoredRows {
        // `estimated_size` is the rows the table's row groups hold, deleted ones included (what
        // `pragma_storage_info` adds up, without reading every column's segments as it does).
        let stored = try connection.scalar(
            "SELECT estimated_size FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, table], as: Int.self) ?? 0
        let live = try connection.scalar("SELECT count(*) FROM \(SystemTables.quote(schema)).\(SystemTables.quote(table))", as: Int.self) ?? 0
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
