import Foundation

/// Normalizes rows while they are being extracted, on the extract queue, straight into loader
/// files: a package of rows then never exists as extracted files, which spares writing the rows
/// as typed JSON lines and parsing them again, and lets normalize run beside the resource that
/// produces the rows.
///
/// A run uses it when its first data are rows. Raw JSON that comes later in such a run is parsed
/// and normalized in order with the rows; a run that starts with raw JSON (a file to ingest)
/// extracts files as before, which normalize then reads with two workers side by side.
///
/// Used only on the extract queue (and by the pipeline once that queue is drained).
final class InlineNormalizer: @unchecked Sendable {
    let normalizer: Normalizer
    let writers: JobWriters
    let partial: URL
    private let handOff: BatchHandOff
    private var resources: [Int: PackageManifest.ResourceEntry] = [:]
    private var positions: [Int: Int] = [:]
    private var rows = 0
    private let loadID: String
    private let progress: (@Sendable (PipelineProgress) -> Void)?

    init(partial: URL, schema: Schema, naming: NamingConvention, loadID: String, options: PipelineOptions, format: LoaderFileFormat) throws {
        self.partial = partial
        self.loadID = loadID
        progress = options.progress
        let jobs = partial.appendingPathComponent("new_jobs", isDirectory: true)
        try FileManager.default.createDirectory(at: jobs, withIntermediateDirectories: true)
        let writers = JobWriters(folder: jobs, format: format, maxFileBytes: options.maxFileBytes)
        self.writers = writers
        let handOff = BatchHandOff(writers)
        self.handOff = handOff
        normalizer = Normalizer(schema: schema, naming: naming, loadID: loadID, batchRows: options.batchRows,
                                collidingKeysFail: options.collidingKeysFail) { batch in
            try handOff.write(batch)
        }
    }

    /// Called on the extract queue before the resource's first rows.
    func register(_ entry: PackageManifest.ResourceEntry) {
        resources[entry.index] = entry
    }

    func normalize(_ batch: [IngestValue], resource: Int) throws {
        guard let entry = resources[resource], entry.hints.writeDisposition != .skip else { return }
        var position = positions[resource, default: 0]
        defer { positions[resource] = position }
        for row in batch {
            position += 1
            try normalize(row, entry: entry, position: position)
        }
    }

    /// Raw JSON of a resource, parsed and normalized row by row.
    func normalizeJSON(_ data: Data, layout: JSONLayout, resource: Int) throws {
        guard let entry = resources[resource], entry.hints.writeDisposition != .skip else { return }
        var position = positions[resource, default: 0]
        let before = position
        defer { positions[resource] = position }
        let resource = entry.name, hints = entry.hints
        do {
            // Rows shaped like the ones before are normalized straight from the bytes.
            try JSONReader.rows(from: data, layout: layout, typed: false, inPlace: { parser in
                position += 1
                guard try normalizer.normalizeInPlace(&parser, resource: resource, hints: hints, position: position) else {
                    position -= 1
                    return false
                }
                countRow()
                return true
            }, body: { row, _ in
                position += 1
                try normalize(row, entry: entry, position: position)
            })
        } catch let error as IngestError where error.kind == .malformedJSON {
            let place = before > 0 ? "in the document after its first \(before) rows, " : ""
            throw IngestError(.malformedJSON, message: "resource \(entry.name): \(place)\(error.message)")
        } catch let error as IngestError where ![.storage, .loaderFile].contains(error.kind) {
            throw PartOrigin.locateRow(error, row: position - before, of: data, layout: layout, typed: false)
        }
    }

    private func normalize(_ row: IngestValue, entry: PackageManifest.ResourceEntry, position: Int) throws {
        // Normalizing starts with the first row, while extracting goes on.
        if rows == 0 { progress?(PipelineProgress(stage: .normalize, loadID: loadID, rows: nil)) }
        try normalizer.normalize(row, resource: entry.name, hints: entry.hints, position: position)
        countRow()
    }

    private func countRow() {
        rows += 1
        if rows == 1 { CrashPoint.duringNormalize.reached() }
        if rows % 100_000 == 0 { progress?(PipelineProgress(stage: .normalize, loadID: loadID, rows: rows)) }
    }

    /// Waits for the loader file being written, after a failed extract, so that the package
    /// folder can be removed.
    func abandon() {
        try? handOff.drain()
    }

    /// Hands the last rows to the writers and closes every file; returns the schema and each
    /// file's columns.
    func finish() throws -> (schema: Schema, jobColumns: [String: [ColumnSchema]]) {
        let schema = try normalizer.finish()
        try handOff.drain()
        return (schema, try writers.finish())
    }
}

/// Writes the normalizer's batches into loader files on a queue of their own, so that writing
/// parquet (DuckDB's encoding and compression) overlaps with normalizing the next rows. At most
/// two batches wait, bounding memory; a failure is thrown by the next batch or by `drain`.
private final class BatchHandOff: @unchecked Sendable {
    private let writers: JobWriters
    private let queue = DispatchQueue(label: "hangar.inline-loader-files")
    private let waiting = DispatchSemaphore(value: 2)
    private let lock = NSLock()
    private var failure: (any Error)?

    init(_ writers: JobWriters) {
        self.writers = writers
    }

    func write(_ batch: TableBatch) throws {
        try rethrow()
        waiting.wait()
        queue.async { [self] in
            defer { waiting.signal() }
            guard lock.withLock({ failure == nil }) else { return }
            do {
                try writers.write(batch)
            } catch {
                lock.withLock { failure = error }
            }
        }
    }

    func drain() throws {
        MemoryRelease.returnFreedMemory(on: queue)
        try rethrow()
    }

    private func rethrow() throws {
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
