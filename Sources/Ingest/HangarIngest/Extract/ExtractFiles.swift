import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#endif

/// The files of a package being extracted: typed JSON lines per resource, rotated at a size,
/// and raw JSON documents copied as they came — or, when the run's first data are rows and an
/// `InlineNormalizer` is given, the rows normalized straight into loader files instead.
///
/// Rows are handed to a background queue a batch at a time, so that writing (or normalizing)
/// them overlaps with the resource producing the next ones. Everything that touches the files
/// runs on that queue, in call order; a failure there is thrown by the next call, or by `finish`.
final class ExtractFiles: @unchecked Sendable {
    let folder: URL
    private var jobs: URL { folder.appendingPathComponent("new_jobs", isDirectory: true) }
    // Used on `queue` only.
    private var writers: [Int: TypedJSONLWriter] = [:]
    private var fileNumbers: [Int: Int] = [:]
    /// The size at which extracted rows are cut into a new part file.
    let flushBytes: Int
    /// The workers that will normalize the parts: a large JSON lines file is cut into a multiple
    /// of this many parts.
    let normalizeWorkers: Int
    // Used by the caller's thread only.
    private var batch: [IngestValue] = []
    private var batchResource = 0
    private static let batchRows = 1_000

    /// Set when rows may be normalized as they come (see `InlineNormalizer`); the run's first
    /// data decide whether they are.
    private let inline: InlineNormalizer?
    private enum Mode { case undecided, inline, files }
    private var mode = Mode.undecided
    /// Whether the rows went to the inline normalizer: the package is normalized already.
    var normalizedInline: Bool { mode == .inline }

    private let queue = DispatchQueue(label: "hangar.extract-files")
    /// Bounds the batches handed over but not yet written, and so the memory they hold: enough
    /// for the normalizer to keep going while a resource builds its next page, and no more.
    private let inFlight = DispatchSemaphore(value: 16)
    /// Documents (API pages, say) can be large: one waits while the resource makes the next.
    private let documentsInFlight = DispatchSemaphore(value: 1)
    private let failureLock = NSLock()
    private var failure: (any Error)?

    init(folder: URL, flushBytes: Int = 8 << 20, normalizeWorkers: Int = 2, inline: InlineNormalizer? = nil) throws {
        self.folder = folder
        self.flushBytes = flushBytes
        self.normalizeWorkers = max(normalizeWorkers, 1)
        self.inline = inline
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("new_jobs"), withIntermediateDirectories: true)
    }

    /// Tells the inline normalizer about a resource before its rows come.
    func register(_ entry: PackageManifest.ResourceEntry) throws {
        guard let inline else { return }
        try inOrder { inline.register(entry) }
    }

    func append(_ row: IngestValue, resource: Int) throws {
        if mode == .undecided { mode = inline == nil ? .files : .inline }
        if resource != batchResource {
            try handOverBatch()
            batchResource = resource
        }
        batch.append(row)
        if batch.count >= Self.batchRows { try handOverBatch() }
    }

    private func handOverBatch() throws {
        try rethrowFailure()
        guard !batch.isEmpty else { return }
        let rows = batch, resource = batchResource, inline = mode == .inline ? inline : nil
        batch = []
        batch.reserveCapacity(Self.batchRows)
        enqueue(bounded: inFlight) { [self] in
            if let inline {
                try inline.normalize(rows, resource: resource)
            } else {
                try writeRows(rows, resource: resource)
            }
        }
    }

    /// Runs `work` on the queue once `bounded` lets it; the failure, if any, is kept for the next call.
    private func enqueue(bounded: DispatchSemaphore, _ work: @escaping @Sendable () throws -> Void) {
        bounded.wait()
        queue.async { [self] in
            defer { bounded.signal() }
            guard !hasFailed else { return }
            do {
                try work()
            } catch {
                record(error)
            }
        }
    }

    private func writeRows(_ rows: [IngestValue], resource: Int) throws {
        var writer = writers[resource] ?? TypedJSONLWriter()
        writers[resource] = nil  // keep the buffer uniquely referenced while appending
        for row in rows {
            writer.write(row)
            if writer.bytes.count >= flushBytes {
                try writer.bytes.withUnsafeBytes { try write($0, resource: resource, kind: "typed-jsonl") }
                // The buffer is reused: a fresh one would fault in its pages again.
                writer.emptyKeepingCapacity()
            }
        }
        writers[resource] = writer
    }

    /// Runs `body` on the queue after every batch handed over so far, and rethrows any failure.
    private func inOrder<T>(_ body: () throws -> T) throws -> T {
        try handOverBatch()
        let result = try queue.sync { try body() }
        try rethrowFailure()
        return result
    }

    private var hasFailed: Bool { failureLock.withLock { failure != nil } }

    private func record(_ error: any Error) {
        failureLock.withLock { if failure == nil { failure = error } }
    }

    private func rethrowFailure() throws {
        if let failure = failureLock.withLock({ failure }) { throw failure }
    }

    /// A JSON document of rows; `layout` `.lines` when it is known to be JSON lines. Written (or
    /// normalized) on the queue while the resource goes on to its next document.
    func appendJSON(_ data: Data, resource: Int, layout: JSONLayout = .automatic) throws {
        if mode == .undecided { mode = .files }
        try handOverBatch()
        let inline = mode == .inline ? inline : nil
        enqueue(bounded: documentsInFlight) { [self] in
            if let inline {
                try inline.normalizeJSON(data, layout: layout, resource: resource)
            } else {
                try flush(resource)
                try write(data, resource: resource, kind: layout == .lines ? "jsonl" : "json")
            }
        }
    }

    /// A JSON file, copied into the package by the kernel (no pass through this process's
    /// memory). JSON lines are split into parts of about `flushBytes` at line ends, so normalize
    /// never holds more than one of them; any other JSON document is copied whole.
    func appendJSONFile(_ url: URL, resource: Int) throws {
        if mode == .undecided { mode = .files }
        if mode == .inline, let inline {
            let data: Data
            do {
                data = try Data(contentsOf: url, options: .alwaysMapped)
            } catch {
                throw IngestError(.invalidData, message: "cannot read \(url.path): \(error.localizedDescription)")
            }
            let layout: JSONLayout = Self.looksLikeJSONLines(data.prefix(1 << 20)) ? .lines : .automatic
            return try inOrder { try inline.normalizeJSON(data, layout: layout, resource: resource) }
        }
        try inOrder { try copyJSONFile(url, resource: resource) }
    }

    private func copyJSONFile(_ url: URL, resource: Int) throws {
        try flush(resource)
        let input = open(url.path, O_RDONLY)
        guard input >= 0 else {
            throw IngestError(.invalidData, message: "cannot read \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(input) }
        var status = stat()
        guard fstat(input, &status) == 0 else {
            throw IngestError(.invalidData, message: "cannot read \(url.path): \(String(cString: strerror(errno)))")
        }
        let size = Int(status.st_size)
        guard size > 0 else { return }  // an empty file holds no rows
        guard Self.looksLikeJSONLines(try Self.read(input, at: 0, count: min(size, 1 << 20), url: url)) else {
            try copy(input, range: 0..<size, from: url, resource: resource, kind: "json")
            return
        }
        // Parts of one size, as many as a multiple of the workers, rather than full parts and a
        // remainder: normalize gives each worker a contiguous run by size, and parts of unequal
        // size, or a count the workers do not divide, leave one worker waiting for the others.
        var parts = (size + flushBytes - 1) / flushBytes
        if parts > 1, parts % normalizeWorkers != 0 { parts += normalizeWorkers - parts % normalizeWorkers }
        let partBytes = (size + parts - 1) / parts
        var start = 0
        while start < size {
            var end = min(start + partBytes, size)
            while end < size {
                // The part ends after the first line end at or past its nominal size.
                let window = try Self.read(input, at: end, count: min(64 << 10, size - end), url: url)
                if let newline = window.firstIndex(of: UInt8(ascii: "\n")) {
                    end += window.distance(from: window.startIndex, to: newline) + 1
                    break
                }
                end += window.count
            }
            let part = try copy(input, range: start..<end, from: url, resource: resource, kind: "jsonl")
            // Where the part starts in the user's file, so an error in it names the file's line.
            try PartOrigin(source: url.path, byte: start).write(besides: part)
            start = end
        }
    }

    private static func read(_ descriptor: Int32, at offset: Int, count: Int, url: URL) throws -> Data {
        var data = Data(count: count)
        let got = data.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        guard got >= 0 else { throw IngestError(.invalidData, message: "cannot read \(url.path): \(String(cString: strerror(errno)))") }
        return data.prefix(got)
    }

    /// Copies a byte range of `input` into the next part file with `sendfile`.
    @discardableResult
    private func copy(_ input: Int32, range: Range<Int>, from url: URL, resource: Int, kind: String) throws -> URL {
        let target = nextPart(resource: resource, kind: kind)
        let output = open(target.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard output >= 0 else { throw storageError(target, String(cString: strerror(errno))) }
        defer { close(output) }
        var offset = off_t(range.lowerBound)
        var remaining = range.count
        while remaining > 0 {
            let sent = sendfile(output, input, &offset, min(remaining, 1 << 30))
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw storageError(target, sent < 0 ? String(cString: strerror(errno)) : "\(url.path) ended early") }
            remaining -= sent
        }
        CrashPoint.duringExtract.reached()
        return target
    }

    private func storageError(_ url: URL, _ reason: String) -> IngestError {
        IngestError(.storage, message: "cannot write extracted rows to \(url.path): \(reason). Check free disk space and permissions")
    }

    /// JSON lines: the first line is a whole object and something follows it.
    static func looksLikeJSONLines(_ data: Data) -> Bool {
        guard let start = data.firstIndex(where: { !(32 == $0 || 9 == $0 || 10 == $0 || 13 == $0 || 0xEF == $0 || 0xBB == $0 || 0xBF == $0) }),
              data[start] == UInt8(ascii: "{"),
              let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")),
              (try? JSONReader.value(from: Data(data[start..<newline]))) != nil else { return false }
        return data[newline...].contains { !(32 == $0 || 9 == $0 || 10 == $0 || 13 == $0) }
    }

    /// Stops writing and waits for the queue, so the folder can be removed after a failed extract.
    func abandon() {
        record(CancellationError())
        queue.sync {}
    }

    /// Waits until every row handed over so far is written (or normalized).
    func waitUntilWritten() throws {
        try inOrder {}
    }

    /// Writes what is buffered; call before the package is published.
    func finish() throws {
        try inOrder {
            for resource in writers.keys.sorted() { try flush(resource) }
        }
        MemoryRelease.returnFreedMemory(on: queue)
    }

    private func flush(_ resource: Int) throws {
        guard var writer = writers[resource], !writer.bytes.isEmpty else { return }
        writers[resource] = nil
        try writer.bytes.withUnsafeBytes { try write($0, resource: resource, kind: "typed-jsonl") }
        writer.emptyKeepingCapacity()
        writers[resource] = writer
    }

    /// Files are `<resource index>.<number>.<kind>`, numbered in the order rows arrived.
    private func nextPart(resource: Int, kind: String) -> URL {
        let number = fileNumbers[resource, default: 0]
        fileNumbers[resource] = number + 1
        return jobs.appendingPathComponent("\(resource).\(String(format: "%05d", number)).\(kind)")
    }

    private func write(_ data: Data, resource: Int, kind: String) throws {
        try data.withUnsafeBytes { try write($0, resource: resource, kind: kind) }
    }

    private func write(_ bytes: UnsafeRawBufferPointer, resource: Int, kind: String) throws {
        let url = nextPart(resource: resource, kind: kind)
        let output = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard output >= 0 else { throw storageError(url, String(cString: strerror(errno))) }
        defer { close(output) }
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(output, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw storageError(url, written < 0 ? String(cString: strerror(errno)) : "nothing was written") }
            offset += written
        }
        CrashPoint.duringExtract.reached()
    }


    /// The files of one resource in order, with how to read them.
    static func files(in folder: URL, resource: Int) -> [(url: URL, typed: Bool, layout: JSONLayout)] {
        let jobs = folder.appendingPathComponent("new_jobs", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: jobs.path)) ?? []
        return names.filter { $0.split(separator: ".").first == Substring(String(resource)) && !$0.hasSuffix(PartOrigin.suffix) }
            .sorted()
            .map { name in
                let typed = name.hasSuffix(".typed-jsonl")
                return (jobs.appendingPathComponent(name), typed, typed || name.hasSuffix(".jsonl") ? .lines : .automatic)
            }
    }
}
