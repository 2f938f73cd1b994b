import Foundation

/// Where a pipeline loads: a DuckDB database file, or a MotherDuck database.
public enum Destination: Sendable, Equatable {
    case duckdb(path: String)
    /// MotherDuck's `database`, reached through DuckDB's motherduck extension with `token`.
    case motherDuck(database: String, token: MotherDuckToken)

    public var name: String {
        switch self {
        case .duckdb: "duckdb"
        case .motherDuck: "motherduck"
        }
    }

    /// As dlt prints it: `duckdb:////absolute/path.duckdb`, `md:database`.
    public var location: String {
        switch self {
        case .duckdb(let path): "duckdb:///" + URL(fileURLWithPath: path).standardizedFileURL.path
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
