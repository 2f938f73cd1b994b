import DuckDB
import Foundation
@_exported import Leases

/// Loads data into a dataset of a destination, dlt's way: extract rows into a load package on
/// disk, normalize them into tables and loader files, then load the package in one transaction.
///
///     let pipeline = try Pipeline(name: "flights_github_repo_stats",
///                                 destination: .duckdb(path: "docs_playground.duckdb"),
///                                 dataset: "flights_demo_dlt")
///     let info = try await pipeline.run(rows, table: "github_repo_stats")
///     print(info)
///
/// A run first finishes packages an earlier run left pending (a crash, a lost lock), then
/// extracts and loads its own data. Runs of one pipeline are serialized by the actor.
public actor Pipeline {
    public let name: String
    public let destination: Destination
    public let dataset: String
    public let folders: PackageFolders
    public var options: PipelineOptions
    let naming = NamingConvention()

    private var loadedSchema: Schema?
    private var loadedState: PipelineState?

    /// - Parameters:
    ///   - dataset: the destination schema; defaults to `<name>_dataset`, as in dlt.
    ///   - pipelinesDirectory: where packages and state live; defaults to `$HANGAR_HOME/pipelines`
    ///     (`~/.hangar/pipelines`).
    public init(name: String, destination: Destination, dataset: String? = nil, pipelinesDirectory: URL? = nil,
                options: PipelineOptions = PipelineOptions()) throws {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw IngestError(.invalidName, message: "the pipeline name \"\(name)\" cannot name a folder; use letters, digits and underscores")
        }
        self.name = name
        self.destination = destination
        self.dataset = try NamingConvention().normalize(dataset ?? "\(name)_dataset")
        folders = PackageFolders(pipelinesDirectory: pipelinesDirectory ?? Pipeline.defaultPipelinesDirectory, pipelineName: name)
        self.options = options
    }

    /// `$HANGAR_HOME/pipelines`, `~/.hangar/pipelines` when unset.
    public static var defaultPipelinesDirectory: URL {
        let home = ProcessInfo.processInfo.environment["HANGAR_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".hangar")
        return home.appendingPathComponent("pipelines", isDirectory: true)
    }

    // MARK: - Running

    /// Loads the rows of one table.
    public func run<Rows: Sequence & Sendable>(
        _ rows: Rows, table: String, writeDisposition: WriteDisposition = .append, primaryKey: [String] = [],
        columns: [ColumnHint] = [], maxTableNesting: Int? = nil, loaderFileFormat: LoaderFileFormat? = nil
    ) async throws -> LoadInfo where Rows.Element == IngestValue {
        let hints = TableHints(table: table, writeDisposition: writeDisposition, primaryKey: primaryKey,
                               columns: columns, maxTableNesting: maxTableNesting)
        return try await run(Source(name, resources: [.rows(table, rows, hints: hints)]), loaderFileFormat: loaderFileFormat)
    }

    /// Loads one resource.
    public func run(_ resource: Resource, loaderFileFormat: LoaderFileFormat? = nil, schemaContract: SchemaContract? = nil) async throws -> LoadInfo {
        try await run(Source(name, resources: [resource]), loaderFileFormat: loaderFileFormat, schemaContract: schemaContract)
    }

    /// Loads every resource of a source, each into its table, as one package.
    /// - Parameter schemaContract: overrides every resource's own contract for this run.
    public func run(_ source: Source, loaderFileFormat: LoaderFileFormat? = nil, schemaContract: SchemaContract? = nil) async throws -> LoadInfo {
        var source = source
        var warnings: [String] = []
        // Precedence as in dlt: the run's contract, else the resource's, else the source's.
        for index in source.resources.indices {
            let hints = source.resources[index].hints
            source.resources[index].hints.schemaContract = schemaContract ?? hints.schemaContract ?? source.schemaContract
        }
        for index in source.resources.indices where source.resources[index].hints.writeDisposition == .merge {
            let hints = source.resources[index].hints
            if hints.primaryKey.isEmpty && hints.mergeKey.isEmpty && hints.mergeStrategy != .scd2 {
                warnings.append("resource \(source.resources[index].name): merge without a primary or merge key appends instead")
                source.resources[index].hints.writeDisposition = .append
            } else if hints.mergeStrategy == .scd2 && hints.hardDelete != nil {
                throw IngestError(.invalidData, message: """
                    resource \(source.resources[index].name): the scd2 merge strategy does not take a hard_delete column (a row that \
                    leaves the source retires by itself); nothing was extracted or loaded
                    """)
            } else if hints.primaryKey.isEmpty && [.upsert, .insertOnly].contains(hints.mergeStrategy) {
                throw IngestError(.invalidData, message: """
                    resource \(source.resources[index].name): the \(hints.mergeStrategy.rawValue) merge strategy needs a primary key; \
                    nothing was extracted or loaded
                    """)
            }
        }
        // One run of a pipeline at a time, across processes: its pending packages have one owner.
        let lease = try holdPipeline()
        defer { lease.release() }
        var info = try emptyInfo()
        info.warnings = warnings
        folders.removePartials()
        defer { PackageFolders.waitForRemovals() }
        let format = loaderFileFormat ?? options.loaderFileFormat
        var loader: PackageLoader?

        // Packages an earlier run left behind load first, in order, before new data; their rows
        // count in this run's figures, since this run loaded them.
        var pendingRows: [String: Int] = [:]
        for loadID in folders.loadIDs(in: folders.normalized) {
            let manifest = try? PackageManifest.read(from: folders.normalized.appendingPathComponent(loadID, isDirectory: true))
            try load(loadID, with: &loader, into: &info)
            pendingRows.merge(manifest?.rowCounts ?? [:], uniquingKeysWith: +)
        }
        for loadID in folders.loadIDs(in: folders.extracted) {
            let outcome = try normalizeTimed(loadID, format: format, into: &info)
            try load(loadID, with: &loader, into: &info)
            pendingRows.merge(outcome.rowCounts, uniquingKeysWith: +)
        }

        let loadID = LoadIDs.next(after: lastLoadID())
        let outcome: NormalizeOutcome
        do {
            // Opening the loader files' database keeps a core busy a while; while the resource
            // starts (a file copied, an API asked) the other core is free, and normalize then finds
            // it open. The block's end closes it, so its memory goes back before the load.
            let writersDatabase = format == .parquet ? ParquetFileWriter.openDatabaseAhead() : nil
            defer { writersDatabase?.finish() }
            let started = ContinuousClock.now
            options.progress?(PipelineProgress(stage: .extract, loadID: loadID, rows: nil))
            let normalizedInline = try await extract(source, loadID: loadID, format: format)
            info.extractSeconds = (ContinuousClock.now - started).seconds
            // The source's rows are written and freed; their memory goes back before what follows.
            MemoryRelease.returnFreedMemory()
            if normalizedInline != nil { info.normalizedWhileExtracting = true }
            outcome = try normalizedInline ?? normalizeTimed(loadID, format: format, into: &info)
        }
        info.rowCounts = outcome.rowCounts.merging(pendingRows, uniquingKeysWith: +)
        info.discardedRows = outcome.discardedRows
        info.discardedValues = outcome.discardedValues
        info.warnings += Normalizer.collisionWarnings(outcome.collidingKeys)
        try load(loadID, with: &loader, into: &info)

        if info.hasFailedJobs {
            let failed = info.packages.flatMap(\.failedJobs).map { "\($0.file): \($0.failedMessage ?? "failed")" }
            throw IngestError(.loadFailed, message: "a load job failed and its package was aborted; the destination is unchanged. \(failed.joined(separator: "; "))",
                              loadInfo: info)
        }
        options.loaded?(info)
        return info
    }

    /// The pipeline's lease (`<pipeline folder>/pipeline.lease`), waited for as long as
    /// `pipelineLeaseTimeout` allows, saying whom it waits for.
    private func holdPipeline() throws -> FileLease {
        let file = folders.pipeline.appendingPathComponent("pipeline.lease")
        let waiting = options.waitingForPipeline ?? { [name] holder in
            let who = holder.map(\.description) ?? "another process"
            FileHandle.standardError.write(Data("waiting for pipeline \(name): another run holds it (\(who))\n".utf8))
        }
        do {
            return try FileLease.acquire(file, as: LeaseHolder(purpose: "pipeline \(name)"), timeout: options.pipelineLeaseTimeout,
                                         waiting: waiting)
        } catch where error.busy {
            throw IngestError(.storage, message: "cannot run pipeline \(name): \(error.message)")
        } catch {
            throw IngestError(.storage, message: "cannot create the load package folder of pipeline \(name) (\(error.message)); check free disk space and permissions")
        }
    }

    private func normalizeTimed(_ loadID: String, format: LoaderFileFormat, into info: inout LoadInfo) throws -> NormalizeOutcome {
        let started = ContinuousClock.now
        options.progress?(PipelineProgress(stage: .normalize, loadID: loadID, rows: nil))
        defer { info.normalizeSeconds += (ContinuousClock.now - started).seconds }
        return try normalizeOrSetAside(loadID, format: format)
    }

    /// Loads one normalized package, opening the loader on first use, and adopts its state.
    private func load(_ loadID: String, with loader: inout PackageLoader?, into info: inout LoadInfo) throws {
        let started = ContinuousClock.now
        if loader == nil { loader = try makeLoader() }
        options.progress?(PipelineProgress(stage: .load, loadID: loadID, rows: nil))
        info.packages.append(try loader!.load(loadID))
        for warning in loader!.warnings where !info.warnings.contains(warning) { info.warnings.append(warning) }
        info.loadSeconds += (ContinuousClock.now - started).seconds
        try afterLoad(loadID)
    }

    private func emptyInfo() throws -> LoadInfo {
        LoadInfo(pipelineName: name, destinationName: destination.name, destinationLocation: destination.location,
                 datasetName: dataset, packages: [], rowCounts: [:], extractSeconds: 0, normalizeSeconds: 0,
                 loadSeconds: 0, warnings: [])
    }

    private func makeLoader() throws -> PackageLoader {
        try PackageLoader(destination: destination, dataset: dataset, folders: folders, options: options)
    }

    private func lastLoadID() -> String? {
        [folders.extracted, folders.normalized, folders.loaded, folders.aborted].compactMap { folders.loadIDs(in: $0).last }
            .max { (Double($0) ?? 0) < (Double($1) ?? 0) }
    }

    /// After a package is loaded, its state and schema become the pipeline's.
    private func afterLoad(_ loadID: String) throws {
        let package = folders.loaded.appendingPathComponent(loadID, isDirectory: true)
        guard FileManager.default.fileExists(atPath: package.path) else { return }
        let state = package.appendingPathComponent("state.json")
        if let data = try? Data(contentsOf: state) {
            try PackageFiles.write(data, to: folders.stateFile)
            loadedState = try? PipelineState.from(jsonData: data)
        }
    }

    // MARK: - State and schema

    /// The pipeline state as of the last load: the local copy, else restored from the destination.
    public func currentState() throws -> PipelineState {
        if let loadedState { return loadedState }
        if let data = try? Data(contentsOf: folders.stateFile), let state = try? PipelineState.from(jsonData: data) {
            loadedState = state
            return state
        }
        let restored = try PackageLoader.restoreState(destination: destination, dataset: dataset, pipelineName: name,
                                                      access: options.destinationAccess)
        let state = restored ?? PipelineState(pipelineName: name, datasetName: dataset)
        loadedState = state
        return state
    }

    /// The schema as of the last normalize: the local copy, else restored from the destination.
    public func currentSchema() throws -> Schema {
        if let loadedSchema { return loadedSchema }
        let file = folders.schemaFile(name)
        if let data = try? Data(contentsOf: file), let schema = try? Schema.from(jsonData: data) {
            loadedSchema = schema
            return schema
        }
        let schema = try PackageLoader.restoreSchema(destination: destination, dataset: dataset, schemaName: name,
                                                     access: options.destinationAccess) ?? Schema(name: name)
        loadedSchema = schema
        return schema
    }

    func rememberSchema(_ schema: Schema) throws {
        loadedSchema = schema
        try FileManager.default.createDirectory(at: folders.schemas, withIntermediateDirectories: true)
        try PackageFiles.write(try schema.jsonData(), to: folders.schemaFile(name))
    }
}

extension IngestError {
    init(_ kind: Kind, message: String, loadInfo: LoadInfo) {
        self.init(kind, message: message)
        self.loadInfo = loadInfo
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
