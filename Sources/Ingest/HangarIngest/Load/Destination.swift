import DuckDB
import Foundation

/// Where a pipeline loads: a DuckDB database file, a DuckLake database, or a MotherDuck database.
public enum Destination: Sendable, Equatable {
    case duckdb(path: String)
    /// A DuckLake database (catalog in PostgreSQL, Parquet files under its data path), attached
    /// as `name`. It has no primary keys or indexes, which the engine never relies on (merges are
    /// deletes and inserts by key), and many processes may load it at once: each load commits
    /// as one snapshot.
    case duckLake(name: String, location: DuckLakeLocation)
    /// MotherDuck's `database`, reached through DuckDB's motherduck extension with `token`.
    case motherDuck(database: String, token: MotherDuckToken)

    public var name: String {
        switch self {
        case .duckdb: "duckdb"
        case .duckLake: "ducklake"
        case .motherDuck: "motherduck"
        }
    }

    /// Whether loads go to a DuckLake database (see ``PackageLoader``'s differences there).
    var isLake: Bool {
        if case .duckLake = self { return true }
        return false
    }

    /// As dlt prints it: `duckdb:////absolute/path.duckdb`, `md:database`.
    public var location: String {
        switch self {
        case .duckdb(let path): "duckdb:///" + URL(fileURLWithPath: path).standardizedFileURL.path
        case .duckLake(_, let location): location.description
        case .motherDuck(let database, _): "md:" + database
        }
    }
}

/// A MotherDuck token, which no description, dump or log line shows.
public struct MotherDuckToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "***" }
    public var debugDescription: String { "***" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
