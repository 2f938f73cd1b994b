import Foundation
import Synchronization

/// Loads into a lake and the lake's maintenance take turns, on every host, through a PostgreSQL
/// advisory lock in the lake's catalog database: writers hold it shared (many load at once, as
/// DuckLake allows), maintenance holds it exclusively. Compaction rewrites the files a merge
/// deletes from, so the two would otherwise conflict at commit and one of them start over.
///
/// The lock is transaction-scoped, taken over a connection of the gate's own (an in-memory DuckDB
/// whose `postgres_scanner` holds one PostgreSQL transaction open until ``leave()``), so it goes
/// with that transaction however the holder ends: a killed process's connection closes and
/// PostgreSQL releases the lock.
///
/// Maintenance never waits in PostgreSQL's queue (a waiting exclusive request would hold back new
/// writers); it tries, and tries again, until it gets the lake to itself or gives up.
public final class DuckLakeGate: Sendable {
    public enum Role: Sendable { case writer, maintenance }

    public let role: Role
    private let connection: Mutex<Connection?>

    private init(role: Role, connection: sending Connection) {
        self.role = role
        self.connection = Mutex(connection)
    }

    deinit { leave() }

    /// Enters `location`'s gate as a writer, waiting while maintenance holds it; `waiting` is
    /// called once when it has to wait.
    public static func enterAsWriter(_ location: DuckLakeLocation, waiting: (() -> Void)? = nil) throws -> DuckLakeGate {
        let connection = try open(location)
        if try !tryLock(connection, location, shared: true) {
            waiting?()
            // PostgreSQL wakes this when maintenance's transaction ends.
            _ = try connection.query(lockQuery(location, function: "pg_advisory_xact_lock_shared")).all()
        }
        return DuckLakeGate(role: .writer, connection: connection)
    }

    /// Enters `location`'s gate for maintenance when no writer is in it, trying every `interval`
    /// until `deadline` (or `stopWaiting` says so); nil when writers kept the lake busy all along.
    public static func enterForMaintenance(_ location: DuckLakeLocation, until deadline: Date, interval: TimeInterval = 1,
                                           stopWaiting: () -> Bool = { false }) throws -> DuckLakeGate? {
        let connection = try open(location)
        while true {
            if try tryLock(connection, location, shared: false) {
                return DuckLakeGate(role: .maintenance, connection: connection)
            }
            // A failed try leaves the PostgreSQL transaction open and lock-free: the next try reuses it.
            guard Date() < deadline, !stopWaiting() else {
                try? connection.execute("ROLLBACK")
                return nil
            }
            Thread.sleep(forTimeInterval: min(interval, max(0.01, deadline.timeIntervalSinceNow)))
        }
    }

    /// Releases the lock (ends the transaction holding it). Idempotent.
    public func leave() {
        guard let connection = connection.withLock({ held -> Connection? in defer { held = nil }; return held }) else { return }
        try? connection.execute("ROLLBACK")
    }

    private static func open(_ location: DuckLakeLocation) throws -> Connection {
        let connection = try Database(.inMemory).connect()
        try connection.execute("SET autoinstall_known_extensions = false")
        try connection.execute("SET autoload_known_extensions = false")
        try ProvisionedExtensions.load("postgres_scanner", into: connection)
        do {
            try connection.execute("ATTACH \(quoteLiteral(location.catalog)) AS gate (TYPE postgres)")
            try connection.execute("BEGIN")
            // The lock lives as long as this transaction, which may idle while a load runs.
            try connection.execute("CALL postgres_execute('gate', 'SET LOCAL idle_in_transaction_session_timeout = 0')")
        } catch let error as DuckDBError {
            throw DuckDBError(error.kind, message: "cannot reach the catalog of the DuckLake database at \(location.description) "
                              + "to coordinate its writers and maintenance: " + DuckLake.maskingCatalog(error.message, location))
        }
        return connection
    }

    private static func tryLock(_ connection: Connection, _ location: DuckLakeLocation, shared: Bool) throws -> Bool {
        try connection.scalar(lockQuery(location, function: shared ? "pg_try_advisory_xact_lock_shared" : "pg_try_advisory_xact_lock"),
                              as: Bool.self) ?? false
    }

    /// One key per lake within its catalog database (advisory locks are per database): the
    /// lake's metadata schema, hashed by PostgreSQL.
    private static func lockQuery(_ location: DuckLakeLocation, function: String) -> String {
        let schema = "'" + location.metadataSchema.replacingOccurrences(of: "'", with: "''") + "'"
        let remote = "SELECT \(function)(hashtext('hangar_lake'), hashtext(\(schema)))::text AS held"
        return "SELECT held = 'true' OR held = '' FROM postgres_query('gate', \(quoteLiteral(remote)))"
    }
}
