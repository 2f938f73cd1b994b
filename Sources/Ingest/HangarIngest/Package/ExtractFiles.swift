import Foundation

/// The files of a package being extracted: typed JSON lines per resource, rotated at a size,
/// and raw JSON documents copied as they came.
final class ExtractFiles {
    let folder: URL
    private var jobs: URL { folder.appendingPathComponent("new_jobs", isDirectory: true) }
    private var writers: [Int: TypedJSONLWriter] = [:]
    private var fileNumbers: [Int: Int] = [:]
    private let flushBytes: Int

    init(folder: URL, flushBytes: Int = 8 << 20) throws {
        self.folder = folder
        self.flushBytes = flushBytes
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("new_jobs"), withIntermediateDirectories: true)
    }

    func append(_ row: IngestValue, resource: Int) throws {
        var writer = writers[resource] ?? TypedJSONLWriter()
        writers[resource] = nil  // keep the buffer uniquely referenced while appending
        writer.write(row)
        if writer.bytes.count >= flushBytes {
            try write(writer.bytes, resource: resource, kind: "typed-jsonl")
            writer = TypedJSONLWriter()
        }
        writers[resource] = writer
    }

    func appendJSON(_ data: Data, resource: Int) throws {
        try flush(resource)
        try write(data, resource: resource, kind: "json")
    }

    /// Writes what is buffered; call before the package is published.
    func finish() throws {
        for resource in writers.keys.sorted() { try flush(resource) }
    }

    private func flush(_ resource: Int) throws {
        guard let writer = writers[resource], !writer.bytes.isEmpty else { return }
        try write(writer.bytes, resource: resource, kind: "typed-jsonl")
        writers[resource] = TypedJSONLWriter()
    }

    /// Files are `<resource index>.<number>.<kind>`, numbered in the order rows arrived.
    private func write<Bytes: DataProtocol>(_ bytes: Bytes, resource: Int, kind: String) throws {
        let number = fileNumbers[resource, default: 0]
        fileNumbers[resource] = number + 1
        let url = jobs.appendingPathComponent("\(resource).\(String(format: "%05d", number)).\(kind)")
        do {
            try Data(bytes).write(to: url)
            CrashPoint.duringExtract.reached()
        } catch {
            throw IngestError(.storage, message: "cannot write extracted rows to \(url.path): \(error.localizedDescription). Check free disk space and permissions")
        }
    }

    /// The files of one resource in order, with whether they hold typed JSON lines.
    static func files(in folder: URL, resource: Int) -> [(url: URL, typed: Bool)] {
        let jobs = folder.appendingPathComponent("new_jobs", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: jobs.path)) ?? []
        return names.filter { $0.split(separator: ".").first == Substring(String(resource)) }
            .sorted()
            .map { (jobs.appendingPathComponent($0), $0.hasSuffix(".typed-jsonl")) }
    }
}
