/// The ingest engine's column types, as dlt names them, with their DuckDB spelling.
public enum DataType: String, Sendable, Codable, CaseIterable {
    case text, bigint, double, bool, timestamp, date, time, decimal, wei, json, binary

    /// The DuckDB column type this maps to.
    public var duckDBType: String {
        switch self {
        case .text: "VARCHAR"
        case .bigint: "BIGINT"
        case .double: "DOUBLE"
        case .bool: "BOOLEAN"
        case .timestamp: "TIMESTAMP WITH TIME ZONE"
        case .date: "DATE"
        case .time: "TIME"
        case .decimal: "DECIMAL(38,9)"
        case .wei: "DECIMAL(38,0)"
        case .json: "JSON"
        case .binary: "BLOB"
        }
    }
}
