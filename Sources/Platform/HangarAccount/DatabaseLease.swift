import Foundation
@_exported import Leases
internal import Metrics

/// An inter-process lease on one DuckDB file, which allows one writing process at a time.
///
/// Every process opens an account database only while it holds the lease, for the shortest
/// unit of work (a statement, a package load), so processes take turns instead of failing with
/// DuckDB's lock error. The lease is an advisory `flock` on `<database>.lease`: the kernel drops
/// it when its holder exits or is killed, so a crash never leaves a database locked. The holder
/// writes who it is into the file; a waiting process reports that.
public final class DatabaseLease {
    public let database: URL
    public let holder: LeaseHolder
    private let lease: FileLease

    private init(database: URL, holder: LeaseHolder, lease: FileLease) {
        self.database = database
        self.holder = holder
        self.lease = lease
    }

    /// The lease file beside a database file.
    public static func leaseFile(for database: URL) -> URL {
        database.appendingPathExtension("lease")
    }

    /// Waits up to `timeout` seconds for the lease. `waiting` is called once when the lease is
    /// busy, with its current holder (nil when the holder has not written itself yet);
    /// `stopWaiting` is asked while it is busy, and true gives up.
    public static func acquire(_ database: URL, as holder: LeaseHolder, timeout: Double = 30,
                               waiting: (LeaseHolder?) -> Void = { _ in },
                               stopWaiting: () -> Bool = { false }) throws -> DatabaseLease {
        let waitStarted = ContinuousClock.now
        let lease: FileLease
        do {
            lease = try FileLease.acquire(leaseFile(for: database), as: holder, timeout: timeout, waiting: waiting,
                                          stopWaiting: stopWaiting)
        } catch {
            throw AccountError(error.message)
        }
        // How long work waited for the database: the cost of one writer per file.
        Metrics.Timer(label: "hangar_lease_wait_seconds", dimensions: [("database", database.deletingPathExtension().lastPathComponent)])
            .recordNanoseconds((ContinuousClock.now - waitStarted).nanoseconds)
        return DatabaseLease(database: database, holder: holder, lease: lease)
    }

    /// Runs `body` holding the lease, releasing it afterwards however `body` ends.
    public static func with<T>(_ database: URL, as holder: LeaseHolder, timeout: Double = 30,
                               waiting: (LeaseHolder?) -> Void = { _ in }, _ body: () throws -> T) throws -> T {
        let lease = try acquire(database, as: holder, timeout: timeout, waiting: waiting)
        defer { lease.release() }
        return try body()
    }

    /// Who holds the lease of `database` now, as it wrote itself; nil when nobody wrote.
    public static func currentHolder(of database: URL) -> LeaseHolder? {
        FileLease.currentHolder(of: leaseFile(for: database))
    }

    public func release() {
        lease.release()
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
