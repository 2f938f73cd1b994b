/// The format of the job files a package carries from normalize to load.
public enum LoaderFileFormat: String, Sendable, Codable, CaseIterable {
    /// Parquet written by DuckDB's own writer, zstd-compressed: the default for DuckDB.
    case parquet
    /// One JSON object per line.
    case jsonl
    /// SQL `INSERT … VALUES` statements.
    case insertValues = "insert_values"

    public var fileExtension: String {
        switch self {
        case .parquet: "parquet"
        case .jsonl: "jsonl"
        case .insertValues: "insert_values"
        }
    }
}
