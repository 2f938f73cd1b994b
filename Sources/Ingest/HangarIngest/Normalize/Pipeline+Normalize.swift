import Foundation

/// Workers handed to the threads of `concurrentPerform`; each thread touches only its own.
private final class WorkerGroup: @unchecked Sendable {
    let workers: [NormalizeWorker]
    init(_ workers: [NormalizeWorker]) { self.workers = workers }
}

extension Pipeline {
    /// What normalizing a package counted.
    struct NormalizeOutcome {
        var rowCounts: [String: Int]
        var discardedRows: [String: Int]
        var discardedValues: [String: Int]
        /// Keys that collided, with the rows they collided in.
        var collidingKeys: [String: Int] = [:]
    }

    /// Normalizes a package; a package whose data cannot be normalized (malformed, breaking a
    /// contract) is set aside in `normalize/failed` so it does not block every later run.
    func normalizeOrSetAside(_ loadID: String, format: LoaderFileFormat) throws -> NormalizeOutcome {
        do {
            return try normalize(loadID, format: format)
        } catch let error as IngestError where [.invalidData, .malformedJSON, .invalidName, .contractViolation].contains(error.kind) {
            let failed = folders.pipeline.appendingPathComponent("normalize/failed", isDirectory: true)
            try? folders.publish(folders.extracted.appendingPathComponent(loadID, isDirectory: true), as: loadID, in: failed)
            // Each holds a copy of its input: keep the newest few, not every one ever.
            for old in folders.loadIDs(in: failed).dropLast(max(0, options.failedPackagesKept)) {
                try? FileManager.default.removeItem(at: failed.appendingPathComponent(old, isDirectory: true))
            }
            throw IngestError(error.kind, message: error.message + " (the extracted package was set aside in \(failed.path)/\(loadID))")
        }
    }

    /// Turns an extracted package into a normalized one: rows into tables, loader files per
    /// table, the evolved schema and the state row.
    func normalize(_ loadID: String, format: LoaderFileFormat) throws -> NormalizeOutcome {
        let extracted = folders.extracted.appendingPathComponent(loadID, isDirectory: true)
        let manifest = try PackageManifest.read(from: extracted)
        let stateData = try Data(contentsOf: extracted.appendingPathComponent("state.json"))
        let partial = try folders.partial(loadID, in: folders.normalized)
        let jobs = partial.appendingPathComponent("new_jobs", isDirectory: true)
        try FileManager.default.createDirectory(at: jobs, withIntermediateDirectories: true)
        let databaseAhead = format == .parquet ? ParquetFileWriter.openDatabaseAhead() : nil
        defer { databaseAhead?.finish() }
        do {
            var parts: [NormalizeWorker.Part] = []
            for entry in manifest.resources where entry.hints.writeDisposition != .skip {
                for file in ExtractFiles.files(in: extracted, resource: entry.index) {
                    let bytes = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? 0
                    parts.append(.init(resource: entry, url: file.url, layout: file.layout, typed: file.typed, bytes: bytes))
                }
            }
            let base = try currentSchema()
            let workers = try normalizeParts(parts, schema: base, loadID: loadID, jobs: jobs, format: format)
            guard let schema = workers.count == 1 ? workers[0].schema : NormalizeWorker.merge(workers.compactMap(\.schema)) else {
                throw IngestError(.invalidData, message: "normalize produced no schema")
            }
            let outcome = try publishNormalized(partial: partial, manifest: manifest, schema: schema,
                                                jobColumns: workers.reduce(into: [:]) { all, worker in all.merge(worker.jobColumns) { first, _ in first } },
                                                normalizers: workers.map(\.normalizer), stateData: stateData, loadID: loadID, format: format)
            try folders.removeInBackground(extracted)
            // The workers' rows are freed by now, but the allocator keeps their memory for reuse;
            // give it back before the load, which needs memory of its own.
            MemoryRelease.returnFreedMemory()
            return outcome
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// Completes a normalized package whose loader files are written: the state row (when the
    /// state changed), the job list, schema, schema changes, state and manifest; then publishes
    /// it and adopts its schema.
    func publishNormalized(partial: URL, manifest: PackageManifest, schema: Schema, jobColumns: [String: [ColumnSchema]],
                           normalizers: [Normalizer], stateData: Data, loadID: String, format: LoaderFileFormat) throws -> NormalizeOutcome {
        var schema = schema, manifest = manifest, jobColumns = jobColumns
        let state = try PipelineState.from(jsonData: stateData)
        if try stateChanged(state) {
            schema.update(SystemTables.pipelineStateTable)
            let writers = JobWriters(folder: partial.appendingPathComponent("new_jobs", isDirectory: true), format: format,
                                     maxFileBytes: options.maxFileBytes)
            try writers.write(stateBatch(state, loadID: loadID))
            jobColumns.merge(try writers.finish()) { first, _ in first }
        }
        try JobWriters.writeManifest(jobColumns, package: partial)
        var changes: [SchemaChange] = []
        for change in normalizers.flatMap(\.changes) where !changes.contains(change) { changes.append(change) }
        let outcome = NormalizeOutcome(
            rowCounts: normalizers.reduce(into: [:]) { total, n in total.merge(n.rowCounts, uniquingKeysWith: +) },
            discardedRows: normalizers.reduce(into: [:]) { total, n in total.merge(n.discardedRows, uniquingKeysWith: +) },
            discardedValues: normalizers.reduce(into: [:]) { total, n in total.merge(n.discardedValues, uniquingKeysWith: +) },
            collidingKeys: normalizers.reduce(into: [:]) { total, n in total.merge(n.collidingKeys, uniquingKeysWith: +) })
        try PackageFiles.write(try schema.jsonData(), to: partial.appendingPathComponent("schema.json"))
        try PackageFiles.write(try SchemaChange.jsonData(changes), to: partial.appendingPathComponent("schema_updates.json"))
        try PackageFiles.write(stateData, to: partial.appendingPathComponent("state.json"))
        manifest.state = "normalized"
        manifest.loaderFileFormat = format
        manifest.rowCounts = outcome.rowCounts
        manifest.replaceTables = try manifest.resources.filter { $0.hints.writeDisposition == .replace }
            .map { try naming.normalizePath($0.hints.table) }
        let shortened = JobName.shortenedStems(of: schema.tables.map(\.name))
        try JobName.writeShortened(shortened, package: partial)
        manifest.tables = Set(jobColumns.keys.map { JobName.table(of: URL(fileURLWithPath: $0), shortened: shortened) }).sorted()
        try manifest.write(to: partial)
        try folders.publish(partial, as: loadID, in: folders.normalized)
        try rememberSchema(schema)
        return outcome
    }

    /// Normalizes the parts on `normalizeWorkers` threads when there is enough to share (at most
    /// one worker per part), each a contiguous run of them into its own loader files; when the
    /// workers disagree on a column's type, or anything fails, it starts over in one worker, so
    /// results and error messages are exactly those of a sequential run.
    private func normalizeParts(_ parts: [NormalizeWorker.Part], schema: Schema, loadID: String, jobs: URL,
                                format: LoaderFileFormat) throws -> [NormalizeWorker] {
        func worker(_ parts: [NormalizeWorker.Part], fileIDs: Range<Int>? = nil) -> NormalizeWorker {
            NormalizeWorker(parts: parts, schema: schema, naming: naming, loadID: loadID, options: options, jobs: jobs,
                            format: format, fileIDs: fileIDs)
        }
        let total = parts.reduce(0) { $0 + $1.bytes }
        let count = min(options.normalizeWorkers, parts.count)
        if count > 1, total >= options.parallelNormalizeBytes {
            // Each worker names its files from its own share of the file ids, in the order of
            // the runs, so the jobs load in the order one worker would have written them.
            let share = JobName.fileIDs / count
            let runs = Self.contiguousRuns(parts.map(\.bytes), count: count)
            let group = WorkerGroup(runs.enumerated().map { index, run in
                worker(Array(parts[run]), fileIDs: index * share..<(index + 1) * share)
            })
            DispatchQueue.concurrentPerform(iterations: count) { group.workers[$0].run() }
            if group.workers.allSatisfy({ $0.failure == nil }), NormalizeWorker.merge(group.workers.compactMap(\.schema)) != nil {
                return group.workers
            }
            // Closing the writers flushes nothing further; their files are then removed.
            for worker in group.workers { _ = try? worker.writers.finish() }
            try? FileManager.default.removeItem(at: jobs)
            try FileManager.default.createDirectory(at: jobs, withIntermediateDirectories: true)
        }
        let single = worker(parts)
        single.run()
        if let failure = single.failure { throw failure }
        return [single]
    }

    /// Where to cut parts of these sizes into `count` contiguous runs of the most nearly equal
    /// size, each at least one part (`count` at most the number of parts): each run ends where
    /// its sum comes nearest an equal share of what the runs before it left. Extracted parts all
    /// run a line past their nominal size, so "add parts while the sum stays under the share"
    /// would stop one short and leave the first worker idle while the next finished a part more.
    static func contiguousRuns(_ sizes: [Int], count: Int) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0, left = sizes.reduce(0, +)
        for runsLeft in stride(from: count, to: 1, by: -1) {
            // How far a run of this sum is from its share, `left / runsLeft`, scaled by `runsLeft`.
            func distance(_ sum: Int) -> Int { abs(left - runsLeft * sum) }
            var end = start + 1, sum = sizes[start]
            while end < sizes.count - (runsLeft - 1), distance(sum + sizes[end]) < distance(sum) {
                sum += sizes[end]
                end += 1
            }
            runs.append(start..<end)
            start = end
            left -= sum
        }
        runs.append(start..<sizes.count)
        return runs
    }

    /// The state row is written only when the state differs from what the destination holds.
    func stateChanged(_ state: PipelineState) throws -> Bool {
        state.versionHash != (try currentState()).versionHash || state.version == 0 && !state.sources.isEmpty
    }

    private func stateBatch(_ state: PipelineState, loadID: String) throws -> TableBatch {
        let table = SystemTables.pipelineStateTable
        let json = String(decoding: try state.jsonData(pretty: false), as: UTF8.self)
        var ids = RowIDGenerator()
        return TableBatch(table: table.name, columns: table.columns, buffers: [
            .bigint([Int64(state.version)]), .bigint([Int64(Schema.engineVersion)]), .text([name]), .text([json]),
            .timestamp([Int64(Date().timeIntervalSince1970 * 1_000_000)]), .text([state.versionHash]), .text([loadID]), .text([ids.next()]),
        ])
    }
}

extension SchemaChange {
    static func jsonData(_ changes: [SchemaChange]) throws -> Data {
        let rows: [[String: String]] = changes.map { change in
            switch change {
            case .addColumn(let table, let column):
                ["change": "add_column", "table": table, "column": column.name, "data_type": column.dataType.rawValue]
            case .widenColumn(let table, let column, let from, let to):
                ["change": "widen_column", "table": table, "column": column, "from": from.rawValue, "to": to.rawValue]
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(rows)
    }
}
