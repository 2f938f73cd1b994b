import Foundation
@testable import HangarIngest
import HangarTestSupport
import Testing

/// Input files reach the package in bounded memory: JSON lines in parts, other JSON whole.
struct ExtractFilesTests {
    /// A folder of the test's own (each test gets a value of the suite of its own).
    let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory()
    }

    func rows(in folder: URL) throws -> [IngestValue] {
        try ExtractFiles.files(in: folder, resource: 0).flatMap { try JSONReader.rows(from: Data(contentsOf: $0.url), layout: $0.layout) }
    }

    @Test func jsonLinesAreSplitAtLineEndsIntoParts() throws {
        let folder = scratch.url
        let lines = (0..<200).map { #"{"id": \#($0), "name": "row number \#($0)", "tags": [{"a": 1}]}"# }
        let input = folder.appendingPathComponent("input.jsonl")
        try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: input)
        let files = try ExtractFiles(folder: folder.appendingPathComponent("package"), flushBytes: 1000)
        try files.appendJSONFile(input, resource: 0)
        let parts = ExtractFiles.files(in: folder.appendingPathComponent("package"), resource: 0)
        #expect(parts.count > 5)
        #expect(parts.allSatisfy { $0.layout == .lines && !$0.typed })
        let read = try rows(in: folder.appendingPathComponent("package"))
        #expect(read.count == 200)
        #expect(read == lines.map { try! JSONReader.value(from: Data($0.utf8)) })
    }

    /// Normalize shares parts between its workers as contiguous runs by size: a file is cut into
    /// parts of about one size, as many as full ones and a remainder would make, rounded up to a
    /// multiple of the workers.
    @Test(arguments: [1_000, 1_300, 2_100, 5_000], [2, 3])
    func aFileIsCutIntoAMultipleOfTheWorkersInEqualParts(flushBytes: Int, workers: Int) throws {
        let folder = scratch.url
        let lines = (0..<100).map { #"{"id": \#(1000 + $0), "name": "row"}"# }
        let input = folder.appendingPathComponent("input.jsonl")
        let data = Data((lines.joined(separator: "\n") + "\n").utf8), line = lines[0].utf8.count + 1
        try data.write(to: input)
        let files = try ExtractFiles(folder: folder.appendingPathComponent("package"), flushBytes: flushBytes, normalizeWorkers: workers)
        try files.appendJSONFile(input, resource: 0)
        let sizes = try ExtractFiles.files(in: folder.appendingPathComponent("package"), resource: 0)
            .map { try #require(FileManager.default.attributesOfItem(atPath: $0.url.path)[.size] as? Int) }
        let full = (data.count + flushBytes - 1) / flushBytes
        let count = full > 1 && full % workers != 0 ? full + workers - full % workers : full
        #expect(sizes.count == count)
        #expect(sizes.reduce(0, +) == data.count)
        // One size, up to the line end that closes each part; the last takes what is left.
        let nominal = (data.count + count - 1) / count
        #expect(sizes.dropLast().allSatisfy { $0 >= nominal && $0 <= nominal + line }, "parts of \(sizes)")
        #expect(sizes.last! > 0 && sizes.last! <= nominal + line, "parts of \(sizes)")
        #expect(try rows(in: folder.appendingPathComponent("package")) == lines.map { try! JSONReader.value(from: Data($0.utf8)) })
    }

    @Test(arguments: [
        #"[{"id": 1}, {"id": 2}]"#,
        #"{"items": [{"id": 1}, {"id": 2}]}"#,
        "{\n  \"items\": [{\"id\": 1}, {\"id\": 2}]\n}\n",
    ])
    func otherDocumentsAreCopiedWhole(_ document: String) throws {
        let folder = scratch.url
        let input = folder.appendingPathComponent("input.json")
        try Data(document.utf8).write(to: input)
        let files = try ExtractFiles(folder: folder.appendingPathComponent("package"), flushBytes: 8)
        try files.appendJSONFile(input, resource: 0)
        let parts = ExtractFiles.files(in: folder.appendingPathComponent("package"), resource: 0)
        #expect(parts.map(\.layout) == [.automatic])
        #expect(try rows(in: folder.appendingPathComponent("package")).count == 2)
    }

    @Test func anEmptyFileAddsNoPart() throws {
        let folder = scratch.url
        let input = folder.appendingPathComponent("empty.jsonl")
        try Data().write(to: input)
        let files = try ExtractFiles(folder: folder.appendingPathComponent("package"))
        try files.appendJSONFile(input, resource: 0)
        #expect(ExtractFiles.files(in: folder.appendingPathComponent("package"), resource: 0).isEmpty)
    }

    @Test func aMissingFileIsNamed() throws {
        let folder = scratch.url
        let files = try ExtractFiles(folder: folder.appendingPathComponent("package"))
        let error = #expect(throws: IngestError.self) { try files.appendJSONFile(folder.appendingPathComponent("nope.jsonl"), resource: 0) }
        #expect(error?.message.contains("nope.jsonl: No such file or directory") == true)
    }
}
