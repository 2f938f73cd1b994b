import Foundation

extension Pipeline {
    /// Runs every resource, writing its rows into a new extracted package. The package appears
    /// only when complete; a crash leaves nothing behind but a hidden partial folder.
    ///
    /// When the run's first data are rows, they are normalized as they come (`InlineNormalizer`)
    /// and the package appears normalized instead; then the outcome of normalizing is returned.
    func extract(_ source: Source, loadID: String, format: LoaderFileFormat) async throws -> NormalizeOutcome? {
        var state = try currentState()
        let partial = try folders.partial(loadID, in: folders.extracted)
        var extractFiles: ExtractFiles?
        var inline: InlineNormalizer?
        do {
            if options.normalizeWhileExtracting {
                inline = try InlineNormalizer(partial: try folders.partial(loadID, in: folders.normalized), schema: try currentSchema(),
                                              naming: naming, loadID: loadID, options: options, format: format)
            }
            let files = try ExtractFiles(folder: partial, flushBytes: options.extractPartBytes, normalizeWorkers: options.normalizeWorkers,
                                         inline: inline)
            extractFiles = files
            var entries: [PackageManifest.ResourceEntry] = []
            for (index, resource) in source.resources.enumerated() {
                entries.append(.init(index: index, name: resource.name, hints: resource.hints))
                try files.register(entries[index])
                let emitter = try ResourceEmitter(resource: resource.name, index: index, source: source.name, state: state, files: files,
                                                  incremental: resource.incremental, primaryKey: resource.hints.primaryKey)
                do {
                    try await Self.produce(resource, into: emitter, files: files)
                } catch let error as IngestError {
                    throw error
                } catch {
                    throw IngestError(.invalidData, message: "resource \(resource.name) failed during extract: \(error)")
                }
                emitter.finish()
                state.setResource(resource.name, source: source.name, to: emitter.state)
                state.setSource(source.name, to: emitter.sourceState)
            }
            try files.finish()
            let manifest = PackageManifest(state: "extracted", createdAt: Date(), sourceName: source.name, resources: entries,
                                           loaderFileFormat: nil, rowCounts: [:], replaceTables: [], tables: [])
            if files.normalizedInline, let inline {
                let outcome = try publishInline(inline, manifest: manifest, state: state, loadID: loadID, format: format)
                try? FileManager.default.removeItem(at: partial)
                return outcome
            }
            if let inline { try? FileManager.default.removeItem(at: inline.partial) }
            try PackageFiles.write(try state.jsonData(), to: partial.appendingPathComponent("state.json"))
            try manifest.write(to: partial)
            try folders.publish(partial, as: loadID, in: folders.extracted)
            return nil
        } catch {
            extractFiles?.abandon()
            try? FileManager.default.removeItem(at: partial)
            if let inline {
                inline.abandon()
                try? FileManager.default.removeItem(at: inline.partial)
            }
            throw error
        }
    }

    /// Runs a resource, then waits until its rows are written and returns the memory they took,
    /// from the same nonisolated context: with no suspension after the resource's last rows, that
    /// is the thread that built them. The rows are freed by the thread that writes them, into the
    /// allocator pages of the thread that built them, and only that thread can give those back:
    /// otherwise a whole page of rows stays resident through the load.
    private static func produce(_ resource: Resource, into emitter: ResourceEmitter, files: ExtractFiles) async throws {
        try await resource.produce(emitter)
        try files.waitUntilWritten()
        MemoryRelease.returnFreedMemory()
    }

    private func publishInline(_ inline: InlineNormalizer, manifest: PackageManifest, state: PipelineState, loadID: String,
                               format: LoaderFileFormat) throws -> NormalizeOutcome {
        let (schema, jobColumns) = try inline.finish()
        return try publishNormalized(partial: inline.partial, manifest: manifest, schema: schema, jobColumns: jobColumns,
                                     normalizers: [inline.normalizer], stateData: try state.jsonData(), loadID: loadID,
                                     format: format)
    }
}
