/// Settings of a pipeline that rarely change between runs.
public struct PipelineOptions: Sendable {
    public var loaderFileFormat: LoaderFileFormat = .parquet
    public var replaceStrategy: ReplaceStrategy = .truncateAndInsert
    /// Loader files rotate when they reach this size; parquet rows wait in memory until their
    /// file is written, so this also bounds normalize's memory.
    public var maxFileBytes: Int = 16 << 20
    /// Rows a table buffers in normalize before they go to a loader file.
    public var batchRows: Int = 20_000
    /// How often a package whose load failed for a passing reason (I/O, a lock, a transaction
    /// conflict) is tried again before the run gives up, leaving it pending.
    public var transientRetries: Int = 3
    /// DuckDB's memory limit while loading (a DuckDB size like "512MB"); data beyond it goes
    /// through to disk instead of growing the process.
    public var destinationMemoryLimit: String = "128MB"

    public init() {}
}
