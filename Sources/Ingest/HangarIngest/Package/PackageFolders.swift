import Foundation

/// Where a pipeline keeps its working state, laid out like dlt's so a person can look inside:
///
///     <pipelines>/<pipeline>/state.json                    pipeline state after the last load
///     <pipelines>/<pipeline>/schemas/<schema>.schema.json  the schema after the last load
///     <pipelines>/<pipeline>/normalize/extracted/<load id>/ extracted rows waiting to normalize
///     <pipelines>/<pipeline>/load/new/<load id>/            normalized packages waiting to load
///     <pipelines>/<pipeline>/load/loaded/<load id>/         loaded packages
///     <pipelines>/<pipeline>/load/aborted/<load id>/        packages that failed for good
///
/// Every step writes into a hidden `.<load id>.partial` folder and renames it into place when
/// complete, so a crash leaves either nothing or a whole package.
public struct PackageFolders: Sendable {
    public let pipeline: URL

    public init(pipelinesDirectory: URL, pipelineName: String) {
        pipeline = pipelinesDirectory.appendingPathComponent(pipelineName, isDirectory: true)
    }

    public var stateFile: URL { pipeline.appendingPathComponent("state.json") }
    public var schemas: URL { pipeline.appendingPathComponent("schemas", isDirectory: true) }
    public func schemaFile(_ name: String) -> URL { schemas.appendingPathComponent("\(name).schema.json") }
    public var extracted: URL { pipeline.appendingPathComponent("normalize/extracted", isDirectory: true) }
    public var normalized: URL { pipeline.appendingPathComponent("load/new", isDirectory: true) }
    public var loaded: URL { pipeline.appendingPathComponent("load/loaded", isDirectory: true) }
    public var aborted: URL { pipeline.appendingPathComponent("load/aborted", isDirectory: true) }

    /// Load ids in a stage folder, oldest first (load ids sort by time).
    func loadIDs(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted { (Double($0) ?? 0, $0) < (Double($1) ?? 0, $1) }
    }

    /// Removes half-written folders a crash left behind.
    func removePartials() {
        for folder in [extracted, normalized] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names where name.hasSuffix(".partial") {
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }

    /// A fresh hidden folder for building the package `loadID` in `stage`.
    func partial(_ loadID: String, in stage: URL) throws -> URL {
        let folder = stage.appendingPathComponent(".\(loadID).partial", isDirectory: true)
        try? FileManager.default.removeItem(at: folder)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw IngestError(.storage, message: "cannot create the load package folder \(folder.path): \(error.localizedDescription). Check that the pipelines directory is writable and the disk has space")
        }
        return folder
    }

    /// Renames a complete partial folder into place, atomically.
    func publish(_ partial: URL, as loadID: String, in stage: URL) throws {
        let target = stage.appendingPathComponent(loadID, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: stage, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.moveItem(at: partial, to: target)
        } catch {
            throw IngestError(.storage, message: "cannot move the load package \(loadID) into \(stage.path): \(error.localizedDescription)")
        }
        syncDirectory(stage)
    }

    /// Removes a finished stage's folder off the caller's path: renamed at once into a hidden
    /// `.partial` name (which the next run clears should this process end first), then deleted
    /// on another thread. Deleting a large package's extracted rows would hold the run up between
    /// normalize and load; the load leaves a core idle anyway.
    func removeInBackground(_ folder: URL) throws {
        let retired = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).removed.partial", isDirectory: true)
        try? FileManager.default.removeItem(at: retired)
        try FileManager.default.moveItem(at: folder, to: retired)
        Self.removals.enter()
        DispatchQueue.global(qos: .utility).async {
            try? FileManager.default.removeItem(at: retired)
            Self.removals.leave()
        }
    }

    private static let removals = DispatchGroup()

    /// Waits for the removals started by ``removeInBackground(_:)``, so a run leaves no work behind.
    static func waitForRemovals() {
        removals.wait()
    }

    /// Makes a rename durable: without syncing the folder, a power loss can undo it.
    func syncDirectory(_ folder: URL) {
        let descriptor = open(folder.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
