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

    /// A JSON file, copied into the package in bounded memory. JSON lines are split into files of
    /// about `flushBytes` at line ends, so normalize never holds more than one of them; any other
    /// JSON document is copied whole.
    func appendJSONFile(_ url: URL, resource: Int) throws {
        try flush(resource)
        let input: FileHandle
        do {
            input = try FileHandle(forReadingFrom: url)
        } catch {
            throw IngestError(.invalidData, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        defer { try? input.close() }
        var pending = Data()
        var splitsLines: Bool?
        while true {
            let block = try input.read(upToCount: flushBytes) ?? Data()
            pending.append(block)
            if splitsLines == nil, !block.isEmpty || !pending.isEmpty {
                splitsLines = Self.looksLikeJSONLines(pending)
            }
            if block.isEmpty {
                if !pending.isEmpty { try write(pending, resource: resource, kind: splitsLines == true ? "jsonl" : "json") }
                return
            }
            guard splitsLines == true else { continue }
            if let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")), pending.distance(from: pending.startIndex, to: lastNewline) >= flushBytes / 2 {
                let cut = pending.index(after: lastNewline)
                try write(pending[pending.startIndex..<cut], resource: resource, kind: "jsonl")
                pending = Data(pending[cut...])
            }
        }
    }

    /// JSON lines: the first line is a whole object and something follows it.
    static func looksLikeJSONLines(_ data: Data) -> Bool {
        guard let start = data.firstIndex(where: { !(32 == $0 || 9 == $0 || 10 == $0 || 13 == $0 || 0xEF == $0 || 0xBB == $0 || 0xBF == $0) }),
              data[start] == UInt8(ascii: "{"),
              let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")),
              (try? JSONReader.value(from: Data(data[start..<newline]))) != nil else { return false }
        return data[newline...].contains { !(32 == $0 || 9 == $0 || 10 == $0 || 13 == $0) }
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

    /// The files of one resource in order, with how to read them.
    static func files(in folder: URL, resource: Int) -> [(url: URL, typed: Bool, layout: JSONLayout)] {
        let jobs = folder.appendingPathComponent("new_jobs", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: jobs.path)) ?? []
        return names.filter { $0.split(separator: ".").first == Substring(String(resource)) }
            .sorted()
            .map { name in
                let typed = name.hasSuffix(".typed-jsonl")
                return (jobs.appendingPathComponent(name), typed, typed || name.hasSuffix(".jsonl") ? .lines : .automatic)
            }
    }
}
