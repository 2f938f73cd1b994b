import DuckDB
import Foundation
import Synchronization

/// Loads normalized packages into a DuckDB dataset. A package applies atomically: the table
/// migrations, every job, the replaced tables, the `_dlt_version` row, the state row and the
/// `_dlt_loads` row commit in one transaction, or none of them does.
///
/// On a DuckLake destination that transaction is one DuckLake snapshot. DuckLake has no primary
/// keys or indexes, which the loads never rely on: merges are deletes and inserts by key (never
/// `MERGE INTO`, which allows DuckLake one UPDATE/DELETE action). What differs there: staging
/// tables are the session's temporary tables (a lake table would write Parquet files and a
/// snapshot for scratch rows, and two writers replacing the same staging table conflict), new
/// tables get no `USING COMPRESSION` (DuckLake refuses it), and DuckDB's row-group compaction
/// does not apply. A commit that loses to a concurrent writer (DuckLake retries those itself
/// first) is tried again from the start, up to `lakeCommitRetries` times, then fails with the
/// lake unchanged.
final class PackageLoader {
    private let destination: Destination
    private let dataset: String
    private let folders: PackageFolders
    private let options: PipelineOptions
    /// Open only while a package loads: between packages other processes may use the file.
    private var connection: Connection!
    /// DuckDB's memory limit for the next load; raised when a load runs out of memory.
    private var memoryLimit: DestinationMemoryLimit
    /// What the loads so far want the run to report (a raised memory limit).
    private(set) var warnings: [String] = []
    /// The package being loaded's job-name stems that stand for longer table names.
    private var shortenedStems: [String: String] = [:]

    private func jobTable(_ job: URL) -> String {
        JobName.table(of: job, shortened: shortenedStems)
    }

    init(destination: Destination, dataset: String, folders: PackageFolders, options: PipelineOptions) throws {
        self.destination = destination
        self.dataset = dataset
        self.folders = folders
        self.options = options
        memoryLimit = DestinationMemoryLimit(options.destinationMemoryLimit)
    }

    /// Runs `body` with the destination open, inside the caller's access rule (a lease).
    private func withDestination<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try (options.destinationAccess ?? { try $0() }) {
            do {
                // DuckDB otherwise keeps up to 80% of RAM of cached blocks; a bounded buffer pool makes
                // large loads write through to the file and keeps memory flat however big the package.
                let configuration = Configuration(threads: 1, memoryLimit: memoryLimit.setting)
                connection = try Self.open(destination, configuration: configuration)
            } catch let error as DuckDBError {
                throw IngestError(.loadFailed, message: "cannot open the destination \(destination.location): \(error.message)")
            }
            defer { connection = nil }
            result = try body()
        }
        return result!
    }

    private var schemaName: String { SystemTables.quote(dataset) }

    private func qualified(_ table: String, staging: Bool = false) -> String {
        if staging, destination.isLake { return "temp.main." + SystemTables.quote(stagingTableName(table)) }
        return SystemTables.quote(staging ? dataset + "_staging" : dataset) + "." + SystemTables.quote(table)
    }

    /// A staging table's name among the session's temporary tables (DuckLake destinations).
    private func stagingTableName(_ table: String) -> String {
        dataset + "_staging__" + table
    }

    // MARK: - Loading a package

    /// Loads one normalized package and moves it to `loaded` (or `aborted` when a job fails for
    /// good). A package whose load id is already in `_dlt_loads` (a crash after the commit) is
    /// not loaded twice.
    func load(_ loadID: String) throws -> LoadInfo.Package {
        try withDestination { try loadHoldingDestination(loadID) }
    }

    private func loadHoldingDestination(_ loadID: String) throws -> LoadInfo.Package {
        let folder = folders.normalized.appendingPathComponent(loadID, isDirectory: true)
        shortenedStems = JobName.shortened(inPackage: folder)
        let manifest = try PackageManifest.read(from: folder)
        let schema = try Schema.from(jsonData: Data(contentsOf: folder.appendingPathComponent("schema.json")))
        if try alreadyLoaded(loadID) {
            let jobs = try finishJobs(in: folder)
            try folders.publish(folder, as: loadID, in: folders.loaded)
            if options.deleteCompletedJobs { deleteCompletedJobs(of: loadID) }
            return LoadInfo.Package(loadID: loadID, state: "loaded before", jobs: jobs)
        }
        // A lake's maintenance never runs while this load is in it (and this waits for one under way).
        var gate: DuckLakeGate?
        if case .duckLake(let name, let location) = destination {
            let waited = Mutex(false)
            gate = try DuckLakeGate.enterAsWriter(location) { waited.withLock { $0 = true } }
            if waited.withLock({ $0 }) {
                warnings.append("package \(loadID): waited for the maintenance of the DuckLake database \(name) to finish")
            }
        }
        defer { gate?.leave() }
        var attempt = 0
        var lakeConflicts = 0
        var combineJobs = true
        while true {
            do {
                try loadOnce(loadID, folder: folder, manifest: manifest, schema: schema, combineJobs: combineJobs)
                CrashPoint.afterCommit.reached()
                let jobs = try finishJobs(in: folder)
                try folders.publish(folder, as: loadID, in: folders.loaded)
                if options.deleteCompletedJobs { deleteCompletedJobs(of: loadID) }
                return LoadInfo.Package(loadID: loadID, state: "loaded", jobs: jobs)
            } catch let failure as CommitFailed where destination.isLake && DuckLake.isCommitConflict(failure.error) {
                // Another writer's snapshot won (after DuckLake's own retries): the transaction rolled
                // back whole, so the load starts over against the new snapshot, a bounded number of times.
                if try alreadyLoaded(loadID) {
                    throw IngestError(.loadFailed, message: "committing package \(loadID) into \(dataset) reported an error (\(failure.error.message)), yet it is recorded as loaded; the next run finds it loaded")
                }
                if lakeConflicts < options.lakeCommitRetries {
                    lakeConflicts += 1
                    // Said in the run's result: how contended the lake is shows there.
                    warnings.append("package \(loadID): its commit lost to a concurrent writer of the DuckLake database and was tried again (\(lakeConflicts) of at most \(options.lakeCommitRetries))")
                    // Every merge into a table deletes from it, and DuckLake refuses to commit an insert
                    // into a table another commit deleted from meanwhile: concurrent merges of one
                    // table conflict for real, and only one wins a round. Backing off (exponentially,
                    // with jitter) lets the winners finish instead of the same writer losing again.
                    let backoff = min(0.1 * pow(2, Double(lakeConflicts - 1)), 3.0)
                    Thread.sleep(forTimeInterval: backoff * Double.random(in: 0.5...1.5))
                    continue
                }
                throw IngestError(.loadFailed, message: "committing package \(loadID) into \(dataset) lost to concurrent writers \(lakeConflicts + 1) times (\(failure.error.message)); nothing of it was written, the package stays pending and the next run tries again")
            } catch let failure as CommitFailed {
                // The commit checkpoints (see `checkpoint_threshold` below), so it could fail after
                // DuckDB applied the transaction. Applied, it must not load twice: whether it is on
                // disk is known once the database is reopened, by the next run.
                if try alreadyLoaded(loadID) {
                    throw IngestError(.loadFailed, message: "committing package \(loadID) into \(dataset) reported an error (\(failure.error.message)); the package stays pending and the next run finds out whether it committed")
                }
                // DuckDB rolled it back: like any failed load.
                if try raiseMemoryLimit(after: failure.error) { continue }
                let transient = JobFailure.isTransient(failure.error)
                if transient && attempt < options.transientRetries {
                    attempt += 1
                    continue
                }
                throw IngestError(.loadFailed, message: "committing package \(loadID) into \(dataset) failed: \(failure.error.message). \(transient ? "The package stays pending and the next run tries again" : "The destination is unchanged")")
            } catch let failure as CombinedLoadFailed {
                // The transaction rolled back; loading file by file names the job that fails.
                if let cause = failure.cause, try raiseMemoryLimit(after: cause) { continue }
                combineJobs = false
                continue
            } catch let failure as JobFailure {
                if try raiseMemoryLimit(after: failure.error) { continue }
                if failure.isTransient && attempt < options.transientRetries {
                    attempt += 1
                    continue
                }
                if failure.isTransient {
                    throw IngestError(.loadFailed, message: "loading \(failure.job.lastPathComponent) kept failing (\(failure.error.message)); the package \(loadID) stays pending and the next run tries again")
                }
                return try abort(loadID, folder: folder, failure: failure)
            } catch let error as DuckDBError {
                if try raiseMemoryLimit(after: error) { continue }
                let transient = JobFailure.isTransient(error)
                if transient && attempt < options.transientRetries {
                    attempt += 1
                    continue
                }
                throw IngestError(.loadFailed, message: "loading package \(loadID) into \(dataset) failed: \(error.message). \(transient ? "The package stays pending and the next run tries again" : "The destination is unchanged")")
            }
        }
    }

    /// After a load ran out of DuckDB's memory (and rolled back): raises the limit for the next
    /// try and says so in the run's warnings. False when the error is another or the limit is
    /// already at its ceiling.
    private func raiseMemoryLimit(after error: DuckDBError) throws -> Bool {
        guard DestinationMemoryLimit.isOutOfMemory(error), let raised = memoryLimit.raised() else { return false }
        try connection.execute("SET memory_limit = '\(raised.setting)'")
        warnings.append("the load ran out of DuckDB's memory limit of \(memoryLimit.setting) and was tried again with \(raised.setting); "
                        + "set the destination's memory limit (PipelineOptions.destinationMemoryLimit) to at least that to spare the retry")
        memoryLimit = raised
        return true
    }

    private func loadOnce(_ loadID: String, folder: URL, manifest: PackageManifest, schema: Schema, combineJobs: Bool) throws {
        let plan = LoadPlan(loadID: loadID, folder: folder, jobs: try startJobs(in: folder), format: manifest.loaderFileFormat ?? .parquet,
                            jobColumns: try JobWriters.columns(inPackage: folder), schema: schema, written: Set(manifest.tables),
                            replaced: descendants(of: manifest.replaceTables, in: schema), combineJobs: combineJobs)
        var bodyDone = false
        do {
            try loadTransaction(plan) { bodyDone = true }
        } catch let error as DuckDBError where bodyDone {
            throw CommitFailed(error: error)
        }
    }

    /// The load's one transaction, step by step; `bodyDone` runs once everything but the COMMIT
    /// succeeded.
    private func loadTransaction(_ plan: LoadPlan, bodyDone: () -> Void) throws {
        try connection.transaction { c in
            for statement in SystemTables.createStatements(dataset: dataset) { try c.execute(statement) }
            let before = try existingColumns(c)
            let storedBefore = destination.isLake ? [] : try storedRows(of: plan, existing: before, on: c)
            try migrate(plan.schema.tables.filter { plan.written.contains($0.name) }, existing: before, connection: c)
            let existing = try existingColumns(c)
            let merges = try planMerges(plan, existing: existing, on: c)
            let staged = try prepareStaging(plan, merges: merges, existing: existing, on: c)
            try preloadMerges(merges, on: c)
            try loadJobs(plan, staged: staged, on: c)
            try replaceFromStaging(plan, existing: existing, on: c)
            try applyMerges(merges, plan: plan, on: c)
            // DuckLake compacts its files by its own maintenance, not at DuckDB's checkpoints.
            if !destination.isLake {
                let compaction = DeletedRowsCompaction(threshold: options.compactDeletedRowsShare)
                try compaction.apply(due: compaction.isDue(storedBefore), on: c)
            }
            try record(plan, on: c)
            CrashPoint.insideLoadTransaction.reached()
            // The statements' freed memory goes back before the commit's checkpoint takes its own.
            MemoryRelease.returnFreedMemory()
            try options.beforeLoadCommit?()
            bodyDone()
        }
    }

    // MARK: - The load's steps

    /// What the tables this load writes or replaces hold before it, for deciding on compaction.
    private func storedRows(of plan: LoadPlan, existing: [String: [String: String]],
                            on c: Connection) throws -> [DeletedRowsCompaction.StoredRows] {
        try existing.keys.filter { plan.written.contains($0) || plan.replaced.contains($0) }.sorted()
            .map { try DeletedRowsCompaction.storedRows(schema: dataset, table: $0, on: c) }
    }

    /// The merges of the load, one per merge root whose family it writes: loaded directly into
    /// an empty family, merged from the root's parquet files when their keys are unique, or
    /// staged in `<dataset>_staging` first.
    private func planMerges(_ plan: LoadPlan, existing: [String: [String: String]], on c: Connection) throws -> [MergeStatements] {
        var merges: [MergeStatements] = []
        for root in plan.schema.tables where root.parent == nil && root.writeDisposition == .merge {
            let family = descendants(of: [root.name], in: plan.schema).dropFirst().compactMap { plan.schema.table(named: $0) }
            guard plan.written.contains(root.name) || family.contains(where: { plan.written.contains($0.name) }) else { continue }
            var merge = MergeStatements(root: root, descendants: Array(family), existing: Set(existing.keys),
                                        destination: { self.qualified($0) }, staging: { self.qualified($0, staging: true) })
            var empty = true
            for table in [root] + family where existing[table.name] != nil {
                if try c.scalar("SELECT count(*) FROM \(qualified(table.name))", as: Int.self) != 0 { empty = false; break }
            }
            // scd2 always compares with the table, so it always stages.
            let direct = empty && root.merge?.strategy != .scd2
            merge.direct = direct
            merge.loadID = plan.loadID
            merge.staged = direct ? [] : Set(([root] + family).map(\.name).filter { plan.written.contains($0) })
            if plan.combineJobs, plan.format == .parquet, merge.canMergeFromFiles {
                let rootJobs = plan.jobs.filter { jobTable($0) == root.name }
                if !rootJobs.isEmpty {
                    do {
                        let duplicates = try merge.duplicateKeysSQL(rootJobs).map { try c.scalar($0, as: Int.self) ?? 0 } ?? 0
                        if duplicates == 0 {
                            merge.rootFiles = rootJobs
                            merge.staged = []
                        }
                    } catch let error as DuckDBError {
                        // A file that cannot be read: loading file by file names it.
                        throw CombinedLoadFailed(cause: error)
                    }
                }
            }
            merges.append(merge)
        }
        return merges
    }

    /// Creates the staging tables of the tables whose jobs load into `<dataset>_staging` first
    /// (staged merges, and replaced tables with that strategy) and returns them; with the
    /// truncate strategy, empties the replaced tables instead.
    private func prepareStaging(_ plan: LoadPlan, merges: [MergeStatements], existing: [String: [String: String]],
                                on c: Connection) throws -> Set<String> {
        var staged = Set(merges.flatMap(\.staged))
        if options.replaceStrategy == .insertFromStaging {
            staged.formUnion(plan.replaced.filter { plan.written.contains($0) })
        } else {
            for table in plan.replaced where existing[table] != nil { try c.execute("DELETE FROM \(qualified(table))") }
        }
        if !staged.isEmpty, destination.isLake {
            for table in staged.sorted() {
                try c.execute("CREATE OR REPLACE TEMP TABLE \(SystemTables.quote(stagingTableName(table))) AS SELECT * FROM \(qualified(table)) LIMIT 0")
            }
        } else if !staged.isEmpty {
            try c.execute("CREATE SCHEMA IF NOT EXISTS \(SystemTables.quote(dataset + "_staging"))")
            for table in staged.sorted() {
                try c.execute("CREATE OR REPLACE TABLE \(qualified(table, staging: true)) AS SELECT * FROM \(qualified(table)) LIMIT 0")
            }
        }
        return staged
    }

    /// What merges do before the jobs load (a merge from files deletes the rows they replace).
    private func preloadMerges(_ merges: [MergeStatements], on c: Connection) throws {
        do {
            for merge in merges {
                for statement in merge.preloadStatements() { try c.execute(statement) }
            }
        } catch let error as DuckDBError {
            throw CombinedLoadFailed(cause: error)
        }
    }

    /// Loads every job into its table, or its staging table; a table's parquet files together
    /// when combining.
    private func loadJobs(_ plan: LoadPlan, staged: Set<String>, on c: Connection) throws {
        let groups = JobGroup.groups(plan.jobs, combining: plan.combineJobs && plan.format == .parquet, shortened: shortenedStems)
        for (index, group) in groups.enumerated() {
            if index == 1 { CrashPoint.betweenJobs.reached() }
            guard let table = plan.schema.table(named: group.table) else {
                throw JobFailure(job: group.jobs[0], error: DuckDBError(.invalidInput, message: "the job's table is not in the package schema"))
            }
            let target = qualified(table.name, staging: staged.contains(table.name))
            do {
                if group.jobs.count > 1 {
                    try LoaderFileLoad.loadParquet(group.jobs, into: target, on: c)
                } else {
                    let job = group.jobs[0]
                    try JobWriters.load(job, format: plan.format, table: table.name, columns: plan.jobColumns[job.lastPathComponent] ?? table.columns,
                                        into: target, on: c)
                }
            } catch let error as DuckDBError {
                // Which file failed is what the package's record needs: find it file by file.
                if group.jobs.count > 1 { throw CombinedLoadFailed(cause: error) }
                throw JobFailure(job: group.jobs[0], error: error)
            } catch let error as IngestError {
                if group.jobs.count > 1 { throw CombinedLoadFailed(cause: nil) }
                throw JobFailure(job: group.jobs[0], error: DuckDBError(.invalidInput, message: error.message))
            }
        }
    }

    /// With the insert-from-staging strategy: the replaced tables take their staged rows.
    private func replaceFromStaging(_ plan: LoadPlan, existing: [String: [String: String]], on c: Connection) throws {
        guard options.replaceStrategy == .insertFromStaging else { return }
        for table in plan.replaced {
            if existing[table] != nil || plan.written.contains(table) { try c.execute("DELETE FROM \(qualified(table))") }
            guard plan.written.contains(table) else { continue }
            try c.execute("INSERT INTO \(qualified(table)) BY NAME SELECT * FROM \(qualified(table, staging: true))")
            try c.execute("DROP TABLE \(qualified(table, staging: true))")
        }
    }

    /// Checks each merge's keys, runs its statements and removes child rows it orphaned.
    private func applyMerges(_ merges: [MergeStatements], plan: LoadPlan, on c: Connection) throws {
        for merge in merges {
            for check in merge.checks() {
                let count = try c.scalar(check.sql, as: Int.self) ?? 0
                if count > 0 {
                    let job = plan.jobs.first { jobTable($0) == merge.root.name } ?? plan.folder
                    throw JobFailure(job: job, error: DuckDBError(.constraint, message: check.failure(count)))
                }
            }
            // A direct load's statements are its deletes: orphaned child rows exist only if they deleted.
            var changed = 0
            for statement in merge.statements() { changed += try c.prepare(statement).execute() }
            if changed > 0 {
                for statement in merge.orphanStatements() { try c.execute(statement) }
            }
        }
    }

    /// Records the load: the schema's `_dlt_version` row (when new) and the `_dlt_loads` row.
    private func record(_ plan: LoadPlan, on c: Connection) throws {
        // The destination closes right after this load, and closing checkpoints. Letting the
        // commit checkpoint instead spares writing the load's rows to the WAL first (DuckDB
        // skips the WAL when a commit checkpoints). The commit still returns only once the
        // checkpoint is on disk, so a crash before that loses the whole load, which the next run
        // loads again.
        try c.execute("SET checkpoint_threshold = '0KB'")
        try recordSchema(plan.schema, connection: c)
        try c.execute("INSERT INTO \(qualified(SystemTables.loads)) VALUES (?, ?, 0, now(), ?)",
                      [plan.loadID, plan.schema.name, plan.schema.versionHash])
    }

    /// `tables` with all their descendants, parents first.
    private func descendants(of tables: [String], in schema: Schema) -> [String] {
        var result: [String] = []
        var pending = tables
        while let table = pending.first {
            pending.removeFirst()
            result.append(table)
            pending += schema.children(of: table).map(\.name)
        }
        return result
    }

    // MARK: - Schema migration

    private func existingColumns(_ c: Connection) throws -> [String: [String: String]] {
        var tables: [String: [String: String]] = [:]
        try c.query("SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND database_name = current_database()", [dataset])
            .forEach { row in
                tables[try row.get(0, as: String.self), default: [:]][try row.get(1, as: String.self)] = try row.get(2, as: String.self)
            }
        return tables
    }

    /// Creates missing tables and columns and widens bigint columns that became double or `wei`.
    private func migrate(_ tables: [TableSchema], existing: [String: [String: String]], connection c: Connection) throws {
        for table in tables {
            guard let columns = existing[table.name] else {
                let definitions = table.columns.map { column in
                    SystemTables.quote(column.name) + " " + column.dataType.duckDBType
                        + (destination.isLake ? "" : SystemColumnCompression.clause(for: column))
                        + (column.nullable ? "" : " NOT NULL")
                }
                try c.execute("CREATE TABLE \(qualified(table.name)) (\(definitions.joined(separator: ", ")))")
                continue
            }
            for column in table.columns {
                guard let current = columns[column.name] else {
                    try c.execute("ALTER TABLE \(qualified(table.name)) ADD COLUMN \(SystemTables.quote(column.name)) \(column.dataType.duckDBType)")
                    continue
                }
                if current == "BIGINT", column.dataType == .double || column.dataType == .wei {
                    try c.execute("ALTER TABLE \(qualified(table.name)) ALTER COLUMN \(SystemTables.quote(column.name)) TYPE \(column.dataType.duckDBType)")
                }
            }
        }
    }

    private func recordSchema(_ schema: Schema, connection c: Connection) throws {
        let stored = try c.scalar("SELECT count(*) FROM \(qualified(SystemTables.version)) WHERE version_hash = ? AND schema_name = ?",
                                  [schema.versionHash, schema.name], as: Int.self) ?? 0
        guard stored == 0 else { return }
        let json = String(decoding: try schema.jsonData(), as: UTF8.self)
        try c.execute("INSERT INTO \(qualified(SystemTables.version)) VALUES (?, ?, now(), ?, ?, ?)",
                      [schema.version, Schema.engineVersion, schema.name, schema.versionHash, json])
    }

    private func alreadyLoaded(_ loadID: String) throws -> Bool {
        let exists = try connection.scalar(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ? AND database_name = current_database()",
            [dataset, SystemTables.loads], as: Int.self) ?? 0
        guard exists > 0 else { return false }
        return (try connection.scalar("SELECT count(*) FROM \(qualified(SystemTables.loads)) WHERE load_id = ? AND status = 0",
                                      [loadID], as: Int.self) ?? 0) > 0
    }

    // MARK: - Job files

    private func jobsFolder(_ folder: URL, _ state: String) -> URL { folder.appendingPathComponent(state, isDirectory: true) }

    /// Moves new jobs to `started_jobs` and returns every started job, in name order.
    private func startJobs(in folder: URL) throws -> [URL] {
        let started = jobsFolder(folder, "started_jobs")
        try FileManager.default.createDirectory(at: started, withIntermediateDirectories: true)
        let new = jobsFolder(folder, "new_jobs")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: new.path)) ?? [] {
            try FileManager.default.moveItem(at: new.appendingPathComponent(name), to: started.appendingPathComponent(name))
        }
        return ((try? FileManager.default.contentsOfDirectory(atPath: started.path)) ?? []).sorted().map { started.appendingPathComponent($0) }
    }

    /// Moves every job to `completed_jobs` once the package committed.
    private func finishJobs(in folder: URL) throws -> [LoadInfo.Job] {
        _ = try startJobs(in: folder)
        let started = jobsFolder(folder, "started_jobs"), completed = jobsFolder(folder, "completed_jobs")
        try FileManager.default.createDirectory(at: completed, withIntermediateDirectories: true)
        var jobs: [LoadInfo.Job] = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: started.path)) ?? []).sorted() {
            try FileManager.default.moveItem(at: started.appendingPathComponent(name), to: completed.appendingPathComponent(name))
            jobs.append(LoadInfo.Job(table: jobTable(completed.appendingPathComponent(name)), file: name, state: "completed"))
        }
        return jobs
    }

    /// Deletes a loaded package's loader files (`deleteCompletedJobs`). The load committed
    /// already, so a file that cannot be deleted is left behind rather than failing the run.
    private func deleteCompletedJobs(of loadID: String) {
        let completed = jobsFolder(folders.loaded.appendingPathComponent(loadID, isDirectory: true), "completed_jobs")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: completed.path)) ?? [] {
            try? FileManager.default.removeItem(at: completed.appendingPathComponent(name))
        }
    }

    /// A job failed for good: it moves to `failed_jobs` with its error beside it, the package to
    /// `aborted`; the transaction already rolled back, so the destination is unchanged.
    private func abort(_ loadID: String, folder: URL, failure: JobFailure) throws -> LoadInfo.Package {
        let failed = jobsFolder(folder, "failed_jobs")
        try FileManager.default.createDirectory(at: failed, withIntermediateDirectories: true)
        let name = failure.job.lastPathComponent
        try FileManager.default.moveItem(at: failure.job, to: failed.appendingPathComponent(name))
        try PackageFiles.write(Data(failure.error.message.utf8), to: failed.appendingPathComponent(name + ".exception"))
        var jobs = [LoadInfo.Job(table: jobTable(failure.job), file: name, state: "failed", failedMessage: failure.error.message)]
        let started = jobsFolder(folder, "started_jobs")
        for other in ((try? FileManager.default.contentsOfDirectory(atPath: started.path)) ?? []).sorted() {
            jobs.append(LoadInfo.Job(table: jobTable(started.appendingPathComponent(other)), file: other, state: "started"))
        }
        try folders.publish(folder, as: loadID, in: folders.aborted)
        return LoadInfo.Package(loadID: loadID, state: "aborted", jobs: jobs)
    }

    // MARK: - Restoring from the destination

    /// The newest state of `pipelineName` whose load completed, or nil.
    static func restoreState(destination: Destination, dataset: String, pipelineName: String,
                             access: DestinationAccess?) throws -> PipelineState? {
        try readDestination(destination, access: access) { c in
            let q = SystemTables.quote(dataset)
            let tables = try c.scalar("""
                SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name IN ('_dlt_pipeline_state', '_dlt_loads')
                  AND database_name = current_database()
                """, [dataset], as: Int.self) ?? 0
            guard tables == 2 else { return nil }
            guard let json = try c.scalar("""
                SELECT s.state FROM \(q)._dlt_pipeline_state s JOIN \(q)._dlt_loads l ON l.load_id = s._dlt_load_id AND l.status = 0
                WHERE s.pipeline_name = ? ORDER BY s.version DESC, s.created_at DESC LIMIT 1
                """, [pipelineName], as: String.self) else { return nil }
            return try PipelineState.from(jsonData: Data(json.utf8))
        }
    }

    /// The newest stored schema named `schemaName`, or nil.
    static func restoreSchema(destination: Destination, dataset: String, schemaName: String,
                              access: DestinationAccess?) throws -> Schema? {
        try readDestination(destination, access: access) { c in
            let exists = try c.scalar("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = '_dlt_version' AND database_name = current_database()",
                                      [dataset], as: Int.self) ?? 0
            guard exists > 0 else { return nil }
            guard let json = try c.scalar("""
                SELECT schema FROM \(SystemTables.quote(dataset))._dlt_version WHERE schema_name = ? ORDER BY version DESC, inserted_at DESC LIMIT 1
                """, [schemaName], as: String.self) else { return nil }
            return try Schema.from(jsonData: Data(json.utf8))
        }
    }

    /// A connection whose default database is the destination.
    static func open(_ destination: Destination, configuration: Configuration = Configuration()) throws -> Connection {
        switch destination {
        case .duckdb(let path):
            return try Database(path: path, configuration: configuration).connect()
        case .duckLake(let name, let location):
            return try DuckLake.connect(location, alias: name, configuration: configuration)
        case .motherDuck(let database, let token):
            return try MotherDuck.connect(database: database, token: token.value, configuration: configuration)
        }
    }

    private static func readDestination<T>(_ destination: Destination, access: DestinationAccess?,
                                           _ body: (Connection) throws -> T?) throws -> T? {
        if case .duckdb(let path) = destination, !FileManager.default.fileExists(atPath: path) { return nil }
        var result: T?
        try (access ?? { try $0() }) {
            do {
                result = try body(try open(destination))
            } catch let error as DuckDBError {
                throw IngestError(.loadFailed, message: "cannot read the pipeline's state from \(destination.location): \(error.message)")
            }
        }
        return result
    }
}

/// The jobs of one table, loaded by one statement: a table's parquet files are read together
/// (`read_parquet([...])`), which lets DuckDB scan them in parallel and write the table once.
struct JobGroup {
    let table: String
    private(set) var jobs: [URL]

    /// Consecutive jobs of one table form a group when `combining`; else every job is its own.
    static func groups(_ jobs: [URL], combining: Bool, shortened: [String: String]) -> [JobGroup] {
        var groups: [JobGroup] = []
        for job in jobs {
            let table = JobName.table(of: job, shortened: shortened)
            if combining, groups.last?.table == table {
                groups[groups.count - 1].jobs.append(job)
            } else {
                groups.append(JobGroup(table: table, jobs: [job]))
            }
        }
        return groups
    }
}

/// One try at loading a package: its jobs, as `loadTransaction`'s steps read them.
private struct LoadPlan {
    let loadID: String
    let folder: URL
    /// The started jobs, in name order.
    let jobs: [URL]
    let format: LoaderFileFormat
    /// The columns each job file was written with, by file name.
    let jobColumns: [String: [ColumnSchema]]
    let schema: Schema
    /// The tables the package has jobs for.
    let written: Set<String>
    /// The tables the package replaces, with their descendants, parents first.
    let replaced: [String]
    /// Whether a table's parquet files load together (false after such a load failed).
    let combineJobs: Bool
}

/// A statement loading several jobs at once failed; the package is tried again job by job,
/// unless the cause was running out of memory, which a higher limit mends.
private struct CombinedLoadFailed: Error {
    let cause: DuckDBError?
}

/// The COMMIT of a load failed: whether it took effect is known only after reopening.
private struct CommitFailed: Error {
    let error: DuckDBError
}

/// A job that failed to load, and whether trying again might help.
struct JobFailure: Error {
    let job: URL
    let error: DuckDBError

    var isTransient: Bool { Self.isTransient(error) }

    /// Locks, I/O hiccups and transaction conflicts pass; bad data does not.
    static func isTransient(_ error: DuckDBError) -> Bool {
        [.io, .transaction, .interrupt, .outOfMemory, .connection].contains(error.kind)
    }
}
