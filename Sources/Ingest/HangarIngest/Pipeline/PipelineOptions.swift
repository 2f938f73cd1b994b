import Foundation

/// Settings of a pipeline that rarely change between runs.
public struct PipelineOptions: Sendable {
    public var loaderFileFormat: LoaderFileFormat = .parquet
    public var replaceStrategy: ReplaceStrategy = .truncateAndInsert
    /// Loader files rotate when they reach this size; parquet rows wait in memory until their
    /// file is written, so this also bounds normalize's memory; larger files were no faster.
    public var maxFileBytes: Int = 8 << 20
    /// Rows a table buffers in normalize before they go to a loader file. A parquet file holds
    /// its batches' columns until it is written, a batch that spans two files until the second
    /// is: batches of about a file's rows nearly all span two, which raises the peak for nothing.
    public var batchRows: Int = 10_000
    /// How often a package whose load failed for a passing reason (I/O, a lock, a transaction
    /// conflict) is tried again before the run gives up, leaving it pending.
    public var transientRetries: Int = 3
    /// How often a load into a DuckLake database whose commit lost to concurrent writers (after
    /// DuckLake's own `ducklake_max_retry_count` retries) starts over before the run fails,
    /// leaving the package pending and the lake unchanged. Each try waits longer first (0.1 s,
    /// doubling to 3 s, with jitter), so a writer that keeps losing lets the others finish.
    public var lakeCommitRetries: Int = 10
    /// Runs inside a load's transaction just before its COMMIT: tests make a concurrent writer's
    /// change there.
    var beforeLoadCommit: (@Sendable () throws -> Void)?
    /// Threads that normalize a large package side by side, each a contiguous share of its
    /// extracted parts (at most one worker per part); 1 normalizes in the calling thread. Workers
    /// that disagree on a column's type start over as one, so the result never depends on it.
    public var normalizeWorkers: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)
    /// Packages smaller than this normalize in one thread: sharing would cost more than it saves.
    public var parallelNormalizeBytes: Int = 4 << 20
    /// Rows (not raw JSON) are normalized while they are extracted, straight into loader files,
    /// instead of being stored as extracted files and read again. Off, every package is extracted
    /// to files first, as dlt does.
    public var normalizeWhileExtracting = true
    /// Extracted rows and JSON lines are stored in parts of about this size.
    public var extractPartBytes: Int = 8 << 20
    /// DuckDB's memory limit while loading (a DuckDB size like "512MB"); data beyond it goes
    /// through to disk instead of growing the process. A load that runs out of it is tried again
    /// with four times as much (up to DuckDB's default, 80% of RAM), and LoadInfo warns.
    public var destinationMemoryLimit: String = "64MB"
    /// Deleted rows (left by merges and replacements) wait in the destination's tables until they
    /// are this share of a table the load writes; that load's checkpoint then compacts them.
    /// 0 compacts at every load, as DuckDB does by itself.
    public var compactDeletedRowsShare: Double = 0.2
    /// dlt's `delete_completed_jobs`: once a package is loaded, its loader files are deleted and
    /// the package keeps only its record (schema, state, job list). Off, as in dlt, the files stay
    /// in `load/loaded/` for inspection.
    public var deleteCompletedJobs = false

    /// Wraps every use of the destination file (a package load, reading state back), so that the
    /// caller can hold an inter-process lease meanwhile: DuckDB allows one writing process.
    public var destinationAccess: DestinationAccess?
    /// Packages set aside in `normalize/failed` (their data could not be normalized) that are
    /// kept for inspection, newest first; older ones are deleted when another is set aside.
    public var failedPackagesKept = 5
    /// Seconds a run waits for another run of the same pipeline (its packages have one owner at
    /// a time); nil waits as long as that run takes.
    public var pipelineLeaseTimeout: Double?
    /// Told once when another run holds the pipeline, with who it is; nil writes that to stderr.
    public var waitingForPipeline: (@Sendable (LeaseHolder?) -> Void)?
    /// Told when a stage starts and, during normalize, every 100,000 rows (from any thread).
    public var progress: (@Sendable (PipelineProgress) -> Void)?
    /// Told when a run has loaded its packages, with its LoadInfo (a platform records it).
    public var loaded: (@Sendable (LoadInfo) -> Void)?

    /// Keys of one object that normalize to one column (`blockHash` and `block_hash`): false
    /// loads the last one's value, as dlt does, with a warning naming table, keys and rows; true
    /// refuses the data.
    public var collidingKeysFail = false

    public init() {}
}

/// Runs its argument while the destination may be used, e.g. holding a database lease.
public typealias DestinationAccess = @Sendable (_ work: () throws -> Void) throws -> Void

/// Where a run is, for people watching a long one.
public struct PipelineProgress: Sendable, Equatable, CustomStringConvertible {
    public enum Stage: String, Sendable { case extract, normalize, load }
    public let stage: Stage
    public let loadID: String
    /// Rows normalized so far by the reporting worker, when the stage counts rows.
    public let rows: Int?

    public init(stage: Stage, loadID: String, rows: Int?) {
        self.stage = stage
        self.loadID = loadID
        self.rows = rows
    }

    public var description: String {
        rows.map { "\(stage.rawValue) \(loadID): \($0) rows" } ?? "\(stage.rawValue) \(loadID)"
    }
}
