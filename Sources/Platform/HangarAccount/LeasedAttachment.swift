import DuckDB
import Foundation

/// A database file attached to a connection under an alias while its lease is held: how every
/// surface reaches an account database (`hangar sql` per statement, the API per request), so a
/// file is open only for the work at hand and other processes write it in between.
///
/// A DuckLake database (its descriptor, `<name>.ducklake`) is attached the same way but without a
/// lease: DuckLake's snapshots let many processes write it at once, so nobody waits for a turn.
public final class LeasedAttachment {
    public let file: URL
    public let alias: String
    private var lease: DatabaseLease?
    private var lakeAttached = false

    public init(file: URL, alias: String) {
        self.file = file.standardizedFileURL
        self.alias = alias
    }

    public var isAttached: Bool { lease != nil || lakeAttached }

    public var isLake: Bool { DuckLakeDescriptor.isDescriptor(file) }

    /// Takes the lease (waiting up to `leaseTimeout` seconds; `waiting` is told once who holds
    /// it, and `stopWaiting` true gives up) and attaches the file; nothing stays held when the
    /// attach fails.
    public func attach(_ connection: Connection, readOnly: Bool, holder: LeaseHolder, leaseTimeout: Double,
                       waiting: (LeaseHolder?) -> Void = { _ in }, stopWaiting: () -> Bool = { false }) throws {
        guard !isAttached else { return }
        if isLake {
            let descriptor = try DuckLakeDescriptor.read(from: file)
            do {
                try DuckLake.attach(descriptor.location, as: alias, to: connection, readOnly: readOnly)
            } catch let error as DuckDBError {
                throw AccountError(error.message)
            }
            lakeAttached = true
            return
        }
        lease = try DatabaseLease.acquire(file, as: holder, timeout: leaseTimeout, waiting: waiting, stopWaiting: stopWaiting)
        do {
            try connection.execute("ATTACH \(quoteLiteral(file.path)) AS \(quoteIdentifier(alias))\(readOnly ? " (READ_ONLY)" : "")")
        } catch {
            lease?.release()
            lease = nil
            throw error
        }
    }

    /// Detaches the file (closing and checkpointing it) and then releases its lease; false when
    /// it stays attached (inside an open transaction, say).
    @discardableResult
    public func detach(_ connection: Connection) -> Bool {
        guard isAttached else { return true }
        do {
            try connection.execute("DETACH \(quoteIdentifier(alias))")
        } catch {
            return false
        }
        lakeAttached = false
        lease?.release()
        lease = nil
        return true
    }

    /// Runs `body` with `files` attached under their aliases and leases, taken in one order (by
    /// path) so two callers never wait for each other, and detached and released afterwards
    /// however `body` ends.
    public static func withAttached<T>(_ files: [AccountDatabaseFile], on connection: Connection, readOnly: Bool,
                                       holder: LeaseHolder, leaseTimeout: Double, _ body: () throws -> T) throws -> T {
        var attached: [LeasedAttachment] = []
        defer {
            // The catalog in use can't be detached.
            if !attached.isEmpty { try? connection.execute("USE memory") }
            for attachment in attached { attachment.detach(connection) }
        }
        for file in files.sorted(by: { $0.url.path < $1.url.path }) {
            let attachment = LeasedAttachment(file: file.url, alias: file.alias)
            try attachment.attach(connection, readOnly: readOnly, holder: holder, leaseTimeout: leaseTimeout)
            attached.append(attachment)
        }
        return try body()
    }
}
