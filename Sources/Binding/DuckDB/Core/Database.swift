import CDuckDB

/// An open DuckDB database: a file, or in memory.
///
/// A `Database` is `Sendable` and may be shared freely: DuckDB's database object is thread-safe.
/// Work happens on a `Connection`, which is not `Sendable`; each task opens its own with
/// `connect()` (cheap), or shares one through a `SerialConnection` actor.
public final class Database: Sendable {
    /// Where the data lives.
    public enum Location: Sendable, Equatable {
        case inMemory
        case file(String)

        var path: String? {
            switch self {
            case .inMemory: nil
            case .file(let path): path
            }
        }
    }

    public let location: Location
    // The pointer is written once in init and released once in deinit; DuckDB guards it inside.
    nonisolated(unsafe) let handle: duckdb_database

    /// Opens (creating if needed) a database. DuckDB allows one writing process per file; a
    /// second process gets an `.io` error naming the lock holder.
    public init(_ location: Location = .inMemory, configuration: Configuration = Configuration()) throws {
        self.location = location
        var config: duckdb_config?
        guard duckdb_create_config(&config) == DuckDBSuccess else {
            throw DuckDBError.misuse("could not allocate a DuckDB configuration")
        }
        defer { duckdb_destroy_config(&config) }
        for (name, value) in configuration.settings where duckdb_set_config(config, name, value) != DuckDBSuccess {
            throw DuckDBError(.invalidInput, message: "unknown or invalid DuckDB setting \(name)=\(value)")
        }
        var database: duckdb_database?
        var error: UnsafeMutablePointer<CChar>?
        let state = duckdb_open_ext(location.path ?? ":memory:", &database, config, &error)
        guard state == DuckDBSuccess, let database else {
            let message = error.map { String(cString: $0) } ?? "could not open the database"
            if let error { duckdb_free(error) }
            throw DuckDBError(.io, message: message)
        }
        handle = database
    }

    /// Opens a database file (created if missing).
    public convenience init(path: String, configuration: Configuration = Configuration()) throws {
        try self.init(.file(path), configuration: configuration)
    }

    deinit {
        var database: duckdb_database? = handle
        duckdb_close(&database)
    }

    /// A new connection. Connections keep the database alive while they exist.
    public func connect() throws -> Connection {
        try Connection(database: self)
    }

    /// Runs `body` with a fresh connection that is closed afterwards.
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        try body(try connect())
    }

    /// The DuckDB library version, such as "v1.5.3".
    public static var libraryVersion: String {
        String(cString: duckdb_library_version())
    }
}
