import DuckDB

/// The one-line-per-error text printed on standard error.
enum FailureMessage {
    /// DuckDB's own message, verbatim, after "Error: " as the duckdb CLI prints it; the SQL that
    /// failed is left out because DuckDB's message already points into it.
    static func text(for error: any Error) -> String {
        switch error {
        case let error as DuckDBError: "Error: \(error.message)\n"
        case let error as InputError: "Error: \(error.message)\n"
        default: "Error: \(error)\n"
        }
    }
}
