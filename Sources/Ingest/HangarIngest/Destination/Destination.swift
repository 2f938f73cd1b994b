import Foundation

/// Where a pipeline loads: a DuckDB database file (MotherDuck comes with the account).
public enum Destination: Sendable, Equatable {
    case duckdb(path: String)

    public var name: String {
        switch self {
        case .duckdb: "duckdb"
        }
    }

    /// As dlt prints it: `duckdb:////absolute/path.duckdb`.
    public var location: String {
        switch self {
        case .duckdb(let path): "duckdb:///" + URL(fileURLWithPath: path).standardizedFileURL.path
        }
    }
}
