import Foundation

/// Normalizes a run of a package's extracted parts into its own loader files: the whole package
/// in one worker, or a contiguous share of it in each of several workers running side by side.
final class NormalizeWorker {
    /// One extracted file of one resource.
    struct Part {
        let resource: PackageManifest.ResourceEntry
        let url: URL
        let layout: JSONLayout
        let typed: Bool
        let bytes: Int
    }

    let parts: [Part]
    let writers: JobWriters
    let normalizer: Normalizer
    private(set) var schema: Schema?
    /// The columns of each loader file written, by file name, once `run` succeeded.
    private(set) var jobColumns: [String: [ColumnSchema]] = [:]
    private(set) var failure: (any Error)?
    private let progress: (@Sendable (PipelineProgress) -> Void)?
    private let loadID: String

    init(parts: [Part], schema: Schema, naming: NamingConvention, loadID: String, options: PipelineOptions,
         jobs: URL, format: LoaderFileFormat, fileIDs: Range<Int>? = nil) {
        self.parts = parts
        self.loadID = loadID
        progress = options.progress
        let writers = JobWriters(folder: jobs, format: format, maxFileBytes: options.maxFileBytes, fileIDs: fileIDs)
        self.writers = writers
        normalizer = Normalizer(schema: schema, naming: naming, loadID: loadID, batchRows: options.batchRows,
                                collidingKeysFail: options.collidingKeysFail) { batch in
            try writers.write(batch)
        }
    }

    /// Normalizes every part; a failure is kept for the caller rather than thrown across threads.
    func run() {
        do {
            var positions: [Int: Int] = [:]
            var rows = 0
            for part in parts {
                let data = try Data(contentsOf: part.url, options: .alwaysMapped)
                let rowsBefore = positions[part.resource.index, default: 0]
                var position = rowsBefore
                // Read once per part: copying the hints for every row cost a retain per field.
                let resource = part.resource.name, hints = part.resource.hints
                func counted(_ normalize: () throws -> Bool) rethrows -> Bool {
                    position += 1
                    guard try normalize() else {
                        position -= 1
                        return false
                    }
                    rows += 1
                    if rows % 100_000 == 0 { progress?(PipelineProgress(stage: .normalize, loadID: loadID, rows: rows)) }
                    if position == 1 { CrashPoint.duringNormalize.reached() }
                    return true
                }
                do {
                    // Rows shaped like the ones before are normalized straight from the bytes.
                    try JSONReader.rows(from: data, layout: part.layout, typed: part.typed, inPlace: { parser in
                        try counted { try normalizer.normalizeInPlace(&parser, resource: resource, hints: hints, position: position) }
                    }, body: { row, _ in
                        _ = try counted {
                            try normalizer.normalize(row, resource: resource, hints: hints, position: position)
                            return true
                        }
                    })
                } catch let error as IngestError where error.kind == .malformedJSON {
                    // Large files are copied in parts at extract, and the reader counts within a
                    // part: the position is told as the file's own.
                    let folder = part.url.deletingLastPathComponent().deletingLastPathComponent()
                    let parts = ExtractFiles.files(in: folder, resource: part.resource.index).map(\.url)
                    let located = PartOrigin.locate(error, in: part.url, parts: parts)
                    throw IngestError(.malformedJSON, message: "resource \(part.resource.name): \(located.message)")
                } catch let error as IngestError where ![.storage, .loaderFile].contains(error.kind) {
                    // A row the normalizer refused: say where it is in the input, as a user finds it.
                    let folder = part.url.deletingLastPathComponent().deletingLastPathComponent()
                    let parts = ExtractFiles.files(in: folder, resource: part.resource.index).map(\.url)
                    throw PartOrigin.locateRow(error, row: position - rowsBefore, of: data, layout: part.layout, typed: part.typed,
                                               part: part.url, parts: parts)
                }
                positions[part.resource.index] = position
            }
            schema = try normalizer.finish()
            // The last files are written here, side by side with the other workers'.
            jobColumns = try writers.finish()
        } catch {
            failure = error
        }
        // What this thread freed stays in its allocator heap until the thread itself collects;
        // the load, which follows, would otherwise run on top of it.
        MemoryRelease.returnFreedMemory()
    }

    /// The schemas of workers that ran side by side, as one; nil when they disagree in a way
    /// only a sequential run settles (a column that one worker typed as text and the other as
    /// a number, say). Bigint against double or `wei` widens, as it would in one run.
    static func merge(_ schemas: [Schema]) -> Schema? {
        guard var merged = schemas.first else { return nil }
        for other in schemas.dropFirst() {
            for table in other.tables {
                guard var existing = merged.table(named: table.name) else {
                    merged.update(table)
                    continue
                }
                for column in table.columns {
                    guard let current = existing.column(named: column.name) else {
                        existing.add(column)
                        continue
                    }
                    if current.dataType != column.dataType {
                        let types: Set = [current.dataType, column.dataType]
                        guard types == [.bigint, .double] || types == [.bigint, .wei] else { return nil }
                        existing.setType(types.contains(.double) ? .double : .wei, ofColumn: column.name)
                    }
                    if column.primaryKey { existing.markPrimaryKey(column.name) }
                    if column.mergeKey { existing.markMergeKey(column.name) }
                }
                merged.update(existing)
            }
        }
        return merged
    }
}
