import Foundation
import HangarAccount
import HangarFlights
import Logging
import PostgresNIO

/// The control plane on PostgreSQL (docs/control-plane.md), shared by every host of a team:
/// `hangar serve` instances, `hangar worker`s and CLI commands on different machines. ``Flights``
/// runs on it unchanged; this store adds what many hosts need: workers, run claiming and the
/// lost-worker bound (``claimRuns(for:limit:)``, ``failRunsOfLostWorkers(_:)``).
///
/// Writes are serialised the way SQLite's IMMEDIATE transactions are: each write transaction
/// takes one transaction-scoped advisory lock first, so the platform's read-then-write rules
/// (run numbers, unique names, a fire recorded once) hold across hosts exactly as on one file.
/// Reads run in REPEATABLE READ, one snapshot per call. Control transactions are short, so one
/// writer at a time is far from the limit (see `make bench`).
public final class PostgresControlStore: ControlStore {
    public let home: HangarHome
    public let url: PostgresControlURL
    public let sealing: any ControlSealing
    let pool: PostgresConnectionPool
    let logger: Logger
    /// How long a transaction keeps trying to reach a server that is down or restarting.
    let reconnectWindow: TimeInterval
    /// Where the coordination's instants come from: nil (production) for the database's clock;
    /// tests inject theirs.
    let clock: (@Sendable () -> Date)?

    public var dialect: ControlDialect { .postgres }
    public var isShared: Bool { true }
    public var location: String { url.description }

    /// The write lock's key, apart from the migrations' lock.
    static let writeLockKey: Int64 = 0x4841_4E47_5752 // "HANGWR"

    /// Connects (waiting up to `reconnectWindow` for a server that is starting) and applies the
    /// migrations this database lacks.
    public init(
        url: PostgresControlURL, home: HangarHome, sealer: SecretSealer, reconnectWindow: TimeInterval = 30,
        clock: (@Sendable () -> Date)? = nil, logger: Logger = Logger(label: "hangar.control.postgres")
    ) throws(FlightsError) {
        self.home = home
        self.clock = clock
        self.url = url
        sealing = sealer
        self.logger = logger
        self.reconnectWindow = reconnectWindow
        pool = PostgresConnectionPool(url: url, logger: logger)
        try migrate()
    }

    deinit { pool.closeAll() }

    public func read<T>(_ body: (any ControlDatabase) throws -> T) throws(FlightsError) -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    public func write<T>(_ body: (any ControlDatabase) throws -> T) throws(FlightsError) -> T {
        try transaction(begin: "BEGIN", lock: Self.writeLockKey, body)
    }

    /// Runs `body` in one transaction on one borrowed connection. A transaction that fails
    /// before its COMMIT was sent because the connection broke (a server restart) is run again
    /// on a new connection, for up to `reconnectWindow`; after the COMMIT was sent its outcome
    /// is unknown, so the failure is reported instead of risking doing the work twice.
    func transaction<T>(
        begin: String, lock: Int64? = nil, _ body: (any ControlDatabase) throws -> T
    ) throws(FlightsError) -> T {
        let deadline = Date().addingTimeInterval(reconnectWindow)
        var pause: TimeInterval = 0.05
        while true {
            var commitSent = false
            var connection: PostgresConnection?
            do {
                let borrowed = try pool.borrow()
                connection = borrowed
                let database = PostgresControlDatabase(connection: borrowed, logger: logger)
                try database.execute(begin)
                if let lock { try database.execute("SELECT pg_advisory_xact_lock(?)", [lock]) }
                let value: T
                do {
                    value = try body(database)
                } catch {
                    _ = try? database.execute("ROLLBACK")
                    throw error
                }
                commitSent = true
                try database.execute("COMMIT")
                pool.giveBack(borrowed, healthy: true)
                return value
            } catch {
                let broken = Self.isConnectionFailure(error)
                if let connection { pool.giveBack(connection, healthy: !broken) }
                let retry = (broken && !commitSent) || Self.isRetryableConflict(error)
                if retry, Date() < deadline {
                    if broken { logger.notice("the control database is unreachable (\(Self.describe(error))); retrying") }
                    Thread.sleep(forTimeInterval: pause)
                    pause = min(pause * 2, 1)
                    continue
                }
                throw Self.flightsError(error, location: url.description)
            }
        }
    }

    /// A failure of the connection rather than a refusal of a statement: the server was
    /// unreachable, closed the connection, or is shutting down or starting (SQLSTATE classes 08
    /// and 57).
    static func isConnectionFailure(_ error: any Error) -> Bool {
        if error is FlightsError { return false }
        guard let error = error as? PSQLError else { return true }
        if error.code == .server {
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57")
        }
        return true
    }

    /// PostgreSQL's advice to run the transaction again: a serialization failure or deadlock.
    static func isRetryableConflict(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, error.code == .server else { return false }
        let state = error.serverInfo?[.sqlState]
        return state == "40001" || state == "40P01"
    }

    /// The server's message and SQLSTATE, or the connection's failure; never a statement's
    /// arguments (they can be secret values) nor the server's detail (it can quote a row).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
            }
            return "\(error.code)"
        }
        return "\(error)"
    }

    static func flightsError(_ error: any Error, location: String) -> FlightsError {
        if let error = error as? FlightsError { return error }
        return FlightsError.storage("the PostgreSQL control store \(location) failed: \(describe(error))")
    }

    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    static func id(_ uuid: UUID) -> String { uuid.uuidString.lowercased() }

    /// Now for coordination: the injected clock's, else the database's (`clock_timestamp()`),
    /// one clock for every host, so heartbeat ages never include the skew between machines.
    func now(_ db: any ControlDatabase) throws -> Int64 {
        if let clock { return Self.microseconds(clock()) }
        return try db.value(Int64.self, "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint")!
    }
}
