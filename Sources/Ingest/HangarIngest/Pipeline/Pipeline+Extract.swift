import Foundation

extension Pipeline {
    /// Runs every resource, writing its rows into a new extracted package. The package appears
    /// only when complete; a crash leaves nothing behind but a hidden partial folder.
    func extract(_ source: Source, loadID: String) async throws {
        var state = try currentState()
        let partial = try folders.partial(loadID, in: folders.extracted)
        var extractFiles: ExtractFiles?
        do {
            let files = try ExtractFiles(folder: partial, flushBytes: options.extractPartBytes)
            extractFiles = files
            var entries: [PackageManifest.ResourceEntry] = []
            for (index, resource) in source.resources.enumerated() {
                entries.append(.init(index: index, name: resource.name, hints: resource.hints))
                let emitter = try ResourceEmitter(resource: resource.name, index: index, source: source.name, state: state, files: files,
                                                  incremental: resource.incremental, primaryKey: resource.hints.primaryKey)
                do {
                    try await resource.produce(emitter)
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
            try PackageFiles.write(try state.jsonData(), to: partial.appendingPathComponent("state.json"))
            let manifest = PackageManifest(state: "extracted", createdAt: Date(), sourceName: source.name, resources: entries,
                                           loaderFileFormat: nil, rowCounts: [:], replaceTables: [], tables: [])
            try manifest.write(to: partial)
            try folders.publish(partial, as: loadID, in: folders.extracted)
        } catch {
            extractFiles?.abandon()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }
}
