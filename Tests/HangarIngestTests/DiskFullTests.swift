import DuckDB
import Foundation
@testable import HangarIngest
import Testing

/// A full disk, for real: the pipelines directory is a 256 KB tmpfs mounted for the test (root
/// only, as CI runs; elsewhere the test is skipped).
struct DiskFullTests {
    static var isRoot: Bool { getuid() == 0 }

    static func run(_ command: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(.enabled(if: isRoot, "mounting a small tmpfs needs root"))
    func aFullDiskFailsWithTheReasonAndLeavesNothingBehind() async throws {
        let sandbox = try IngestSandbox()
        let small = sandbox.folder.appendingPathComponent("small", isDirectory: true)
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        guard try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", small.path]) == 0 else {
            Issue.record("could not mount a tmpfs at \(small.path)")
            return
        }
        defer { _ = try? Self.run("/bin/umount", [small.path]) }

        let input = sandbox.folder.appendingPathComponent("repos.jsonl")
        let lines = (0..<4000).map { #"{"id": \#($0), "name": "repository number \#($0) with a long enough name", "topics": ["a", "b"]}"# }
        try Data(lines.joined(separator: "\n").utf8).write(to: input)
        let pipeline = try Pipeline(name: "full", destination: .duckdb(path: sandbox.databasePath), dataset: "d",
                                    pipelinesDirectory: small.appendingPathComponent("pipelines"))
        let error = await #expect(throws: IngestError.self) {
            try await pipeline.run(Resource.jsonFiles("repos", [input]))
        }
        #expect(error?.kind == .storage)
        #expect(error?.message.contains("No space left on device") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("Check free disk space") == true)
        #expect(!FileManager.default.fileExists(atPath: sandbox.databasePath), "the destination was never touched")
        let extracted = small.appendingPathComponent("pipelines/full/normalize/extracted")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: extracted.path)) ?? []).isEmpty, "no partial package is left")
    }
}
