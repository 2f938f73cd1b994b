import CDuckDB

/// Owns a `duckdb_connection`. Shared by a `Connection`, its results and its interrupt handles,
/// so the connection is closed only when none of them can use it any more.
final class ConnectionHandle: @unchecked Sendable {
    // Immutable after init. DuckDB permits `duckdb_interrupt` and `duckdb_query_progress` from
    // other threads; everything else goes through the non-Sendable `Connection`.
    let raw: duckdb_connection
    let database: Database

    init(database: Database) throws {
        var connection: duckdb_connection?
        guard duckdb_connect(database.handle, &connection) == DuckDBSuccess, let connection else {
            throw DuckDBError(.connection, message: "could not connect to the database")
        }
        raw = connection
        self.database = database
    }

    deinit {
        var connection: duckdb_connection? = raw
        duckdb_disconnect(&connection)
    }
}

/// Interrupts whatever query its connection is running; safe to use from any task or thread.
///
/// The interrupted query fails with a `DuckDBError` of kind `.interrupt`.
public struct InterruptHandle: Sendable {
    let connection: ConnectionHandle

    public func interrupt() {
        duckdb_interrupt(connection.raw)
    }

    /// The running query's progress from 0 to 1, or nil when DuckDB cannot tell.
    public var progress: Double? {
        let progress = duckdb_query_progress(connection.raw)
        return progress.percentage < 0 ? nil : progress.percentage / 100
    }
}
