import Foundation
import Logging
import PostgresNIO

/// The control plane on PostgreSQL (docs/control-plane.md): the parts that let many hosts share
/// one control database — versioned migrations, run claiming by workers (`FOR UPDATE SKIP
/// LOCKED`), worker heartbeats and the lost-worker bound, scheduled fires recorded exactly once.
///
/// Conventions are the SQLite store's (`ControlSchema` in HangarFlights), so one SQL text serves
/// both where the dialects agree: ids are lower-case UUID text, instants are BIGINT microseconds
/// since 1970 UTC, maps and lists are JSON text with sorted keys.
///
/// The store does not own its `PostgresClient`'s lifetime: ``withStore(_:logger:clock:_:)`` runs the
/// client in a task group for the duration of a body and cancels it afterwards.
public struct PostgresControlStore: Sendable {
    public let client: PostgresClient
    let logger: Logger
    /// Where instants come from. `nil` (production): the database's clock, one clock for every
    /// host, so heartbeat ages never suffer the skew between machines. Tests inject theirs.
    let clock: (@Sendable () -> Date)?

    public init(client: PostgresClient, logger: Logger, clock: (@Sendable () -> Date)? = nil) {
        self.client = client
        self.logger = logger
        self.clock = clock
    }

    /// Runs a client for `location` while `body` runs (its `run()` in a child task of a task
    /// group), migrates the schema, and ends the client when `body` returns or throws.
    public static func withStore<Result: Sendable>(
        _ configuration: PostgresClient.Configuration,
        logger: Logger = Logger(label: "hangar.control.postgres"),
        clock: (@Sendable () -> Date)? = nil,
        migrate: Bool = true,
        _ body: @Sendable (PostgresControlStore) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresControlStore(client: client, logger: logger, clock: clock)
            if migrate { try await store.migrate() }
            return try await body(store)
        }
    }

    // MARK: - Transactions

    /// Runs `body` in one transaction on one connection: COMMIT when it returns, ROLLBACK when it
    /// throws. A serialization failure or deadlock (SQLSTATE 40001, 40P01), which PostgreSQL asks
    /// the client to retry, runs the whole body again, up to `attempts` times.
    func transaction<Result: Sendable>(
        _ isolation: IsolationLevel = .readCommitted,
        attempts: Int = 5,
        _ body: (Transaction) async throws -> Result
    ) async throws(PostgresControlError) -> Result {
        var attempt = 1
        while true {
            do {
                return try await client.withConnection { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.rawValue)"), logger: logger)
                    let value: Result
                    do {
                        let transaction = Transaction(connection: connection, logger: logger, databaseNow: clock == nil)
                        value = try await body(transaction)
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                    try await connection.query("COMMIT", logger: logger)
                    return value
                }
            } catch {
                let failure = PostgresControlError(error)
                if failure.isRetryable, attempt < attempts {
                    attempt += 1
                    continue
                }
                throw failure
            }
        }
    }

    enum IsolationLevel: String {
        case readCommitted = "READ COMMITTED"
        case serializable = "SERIALIZABLE"
    }

    /// One open transaction: statements with their arguments bound (never interpolated).
    struct Transaction {
        let connection: PostgresConnection
        let logger: Logger
        let databaseNow: Bool

        @discardableResult
        func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
            try await connection.query(query, logger: logger).collect()
        }

        func execute(_ query: PostgresQuery) async throws {
            _ = try await connection.query(query, logger: logger).collect()
        }
    }

    /// Now in the store's precision: the injected clock's, else the database's
    /// (`clock_timestamp()`, not the transaction's start, so a long transaction does not age).
    func now(_ transaction: Transaction) async throws -> Int64 {
        if let clock { return Self.microseconds(clock()) }
        let rows = try await transaction.rows("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint")
        return try rows[0].decode(Int64.self)
    }

    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    static func id(_ uuid: UUID) -> String { uuid.uuidString.lowercased() }
}

/// A failure of the PostgreSQL control store. Its text is the server's message and SQLSTATE (or
/// the connection's failure) and never a statement's arguments, which can be secret values.
public struct PostgresControlError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The store could not be reached or failed.
        case storage
        /// A row the call names does not exist.
        case notFound
        /// The call conflicts with the state (a worker declared lost, a run claimed by another).
        case conflict
    }

    public let kind: Kind
    public let message: String
    /// The server's SQLSTATE, when the server refused a statement.
    public let sqlState: String?

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
        sqlState = nil
    }

    init(_ error: any Error) {
        if let error = error as? PostgresControlError {
            self = error
            return
        }
        if error is FireAlreadyRecorded {
            self = PostgresControlError(.conflict, Self.fireAlreadyRecorded)
            return
        }
        if let error = error as? PSQLError {
            kind = .storage
            sqlState = error.serverInfo?[.sqlState]
            if let server = error.serverInfo?[.message] {
                // The message only: the detail can quote a row's values.
                message = "the PostgreSQL control store refused a statement: \(server) (SQLSTATE \(sqlState ?? "?"))"
            } else {
                message = "the PostgreSQL control store failed: \(error.code)"
            }
            return
        }
        kind = .storage
        sqlState = nil
        message = "the PostgreSQL control store failed: \(error)"
    }

    /// PostgreSQL's advice to retry the transaction: a serialization failure or a deadlock.
    var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    public var description: String { message }
}
