import CivilCalendar
import Foundation
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
    private var descriptor: Int32

    private init(database: URL, holder: LeaseHolder, descriptor: Int32) {
        self.database = database
        self.holder = holder
        self.descriptor = descriptor
    }

    deinit { release() }

    /// The lease file beside a database file.
    public static func leaseFile(for database: URL) -> URL {
        database.appendingPathExtension("lease")
    }

    /// Waits up to `timeout` seconds for the lease. `waiting` is called once when the lease is
    /// busy, with its current holder (nil when the holder has not written itself yet).
    public static func acquire(_ database: URL, as holder: LeaseHolder, timeout: Double = 30,
                               waiting: (LeaseHolder?) -> Void = { _ in }) throws -> DatabaseLease {
        let file = leaseFile(for: database)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw AccountError("cannot open the lease file \(file.path): \(String(cString: strerror(errno)))")
        }
        let waitStarted = ContinuousClock.now
        let deadline = waitStarted + .milliseconds(Int(timeout * 1000))
        var announced = false
        var pause = Duration.milliseconds(2)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(descriptor)
                throw AccountError("cannot lock \(file.path): \(String(cString: strerror(errno)))")
            }
            if !announced {
                waiting(currentHolder(of: database))
                announced = true
            }
            guard ContinuousClock.now < deadline else {
                close(descriptor)
                let who = currentHolder(of: database).map { "held by \($0)" } ?? "held by another process"
                throw AccountError("\(database.lastPathComponent) is busy: \(who); waited \(format(timeout)) s. Try again when it is done, or wait longer")
            }
            // Waiting on another process's lock: polling is the portable way, backing off to 50 ms.
            Thread.sleep(forTimeInterval: Double(pause.components.attoseconds) / 1e18)
            pause = min(pause * 2, .milliseconds(50))
        }
        let lease = DatabaseLease(database: database, holder: holder, descriptor: descriptor)
        lease.writeHolder()
        // How long work waited for the database: the cost of one writer per file.
        Metrics.Timer(label: "hangar_lease_wait_seconds", dimensions: [("database", database.deletingPathExtension().lastPathComponent)])
            .recordNanoseconds((ContinuousClock.now - waitStarted).nanoseconds)
        return lease
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
        guard let data = try? Data(contentsOf: leaseFile(for: database)), !data.isEmpty else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(LeaseHolder.self, from: data)
    }

    public func release() {
        guard descriptor >= 0 else { return }
        // The holder's record goes first, so nobody reads a stale holder once the lock is free.
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    private func writeHolder() {
        let encoder = JSONEncoder()
        // What `.iso8601` writes, without loading ICU's time zones (2-3 ms of every run).
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(CivilCalendar.iso8601(wholeSecondsOf: date.timeIntervalSince1970))
        }
        guard let data = try? encoder.encode(holder) else { return }
        _ = ftruncate(descriptor, 0)
        data.withUnsafeBytes { _ = pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
