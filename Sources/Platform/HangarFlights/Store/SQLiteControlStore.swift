import Foundation
import GRDB
import HangarAccount

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded control store, the default: one SQLite file, `<home>/control.sqlite`, shared by every Hangar
/// process (a server, CLI commands, run supervisors). WAL mode lets readers run beside the one
/// writer; each write is an IMMEDIATE transaction that waits up to `busyTimeout` for another
/// process's write to end instead of failing with "database is locked". The file holds secret
/// values, so it is created readable by its owner only (SQLite gives the `-wal` and `-shm` files
/// the same mode).
public final class SQLiteControlStore: ControlStore {
    public let home: HangarHome
    public let file: URL
    let pool: DatabasePool

    public var dialect: ControlDialect { .sqlite }
    public var isShared: Bool { false }
    public var location: String { file.path }
    public var sealing: any ControlSealing { PlainTextSealing() }

    public static let defaultBusyTimeout: TimeInterval = 10

    public static func file(in home: HangarHome) -> URL {
        home.root.appendingPathComponent("control.sqlite")
    }

    /// Opens (creating when missing) and migrates the store of `home`.
    public init(home: HangarHome, busyTimeout: TimeInterval = SQLiteControlStore.defaultBusyTimeout) throws(FlightsError) {
        self.home = home
        file = Self.file(in: home)
        do {
            try FileManager.default.createDirectory(at: home.root, withIntermediateDirectories: true)
            try Self.createOwnerOnly(file)
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            configuration.foreignKeysEnabled = true
            configuration.label = "HangarFlights"
            // Statement arguments stay out of GRDB's error descriptions (its default, made
            // explicit): they can be secret values.
            configuration.publicStatementArguments = false
            let file = file
            if Self.isInWALMode(file) {
                pool = try DatabasePool(path: file.path, configuration: configuration)
            } else {
                // A new store: GRDB switches it to WAL and then writes once in a deferred
                // transaction, which fails at once with "database is locked" (no busy wait)
                // when another process switched or wrote in between. First openers take turns.
                pool = try DatabaseLease.with(file, as: LeaseHolder(purpose: "creating the flights control store"), timeout: 60) {
                    try DatabasePool(path: file.path, configuration: configuration)
                }
            }
            try Self.migrate(pool, file: file)
        } catch {
            throw Self.storageError(error, file: file)
        }
    }

    /// Whether the file is an SQLite database in WAL mode: its header's read and write
    /// versions (bytes 18 and 19) are 2. WAL mode, once set, stays with the file.
    private static func isInWALMode(_ file: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return false }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 20), header.count == 20 else { return false }
        return header[18] == 2 && header[19] == 2
    }

    /// Creates the file with mode 0600 before SQLite does (SQLite would apply the umask), and
    /// narrows an existing file that others can read.
    private static func createOwnerOnly(_ file: URL) throws {
        let descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw FlightsError(.storage, "cannot create the control store \(file.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & 0o077 != 0 {
            _ = fchmod(descriptor, 0o600)
        }
    }

    /// GRDB's migrator reads which migrations are applied and then applies the rest in separate
    /// transactions, so two processes opening a new store at once could both try to create the
    /// tables. The database lease (an advisory lock beside the file) makes them take turns; it is
    /// only taken while migrations are pending.
    private static func migrate(_ pool: DatabasePool, file: URL) throws {
        let migrator = ControlSchema.migrator
        if try pool.read(migrator.hasCompletedMigrations) { return }
        try DatabaseLease.with(file, as: LeaseHolder(purpose: "migrating the flights control store"), timeout: 60) {
            try migrator.migrate(pool)
        }
    }

    public func read<T>(_ body: (any ControlDatabase) throws -> T) throws(FlightsError) -> T {
        do {
            return try pool.read { db in try body(SQLiteControlDatabase(db: db)) }
        } catch {
            throw Self.storageError(error, file: file)
        }
    }

    /// Runs `body` in one IMMEDIATE transaction: it holds the write lock from its first
    /// statement, so read-then-write sequences (run numbers, uniqueness checks) are race-free
    /// across processes.
    public func write<T>(_ body: (any ControlDatabase) throws -> T) throws(FlightsError) -> T {
        do {
            return try pool.write { db in try body(SQLiteControlDatabase(db: db)) }
        } catch {
            throw Self.storageError(error, file: file)
        }
    }

    static func storageError(_ error: any Error, file: URL) -> FlightsError {
        if let error = error as? FlightsError { return error }
        if let error = error as? DatabaseError {
            // Only SQLite's message: the SQL and its arguments stay out.
            let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
            return FlightsError(.storage, "the flights control store \(file.path) failed: \(message)")
        }
        return FlightsError(.storage, "the flights control store \(file.path) failed: \(error)")
    }
}

/// A GRDB transaction seen through ``ControlDatabase``.
struct SQLiteControlDatabase: ControlDatabase {
    let db: Database

    var dialect: ControlDialect { .sqlite }

    func rows(_ sql: String, _ arguments: [(any ControlArgument)?]) throws -> [ControlRow] {
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnNames
        return try Row.fetchAll(statement, arguments: Self.arguments(arguments)).map { row in
            ControlRow(columns: columns, values: row.databaseValues.map(Self.value))
        }
    }

    func execute(_ sql: String, _ arguments: [(any ControlArgument)?]) throws -> Int {
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
        return db.changesCount
    }

    private static func arguments(_ arguments: [(any ControlArgument)?]) -> StatementArguments {
        StatementArguments(arguments.map { argument -> DatabaseValue in
            switch argument.controlValue {
            case .null: .null
            case .integer(let number): number.databaseValue
            case .real(let number): number.databaseValue
            case .text(let text): text.databaseValue
            case .blob(let data): data.databaseValue
            case .boolean(let flag): (flag ? 1 : 0).databaseValue
            }
        })
    }

    private static func value(_ value: DatabaseValue) -> ControlValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .blob(data)
        }
    }
}
