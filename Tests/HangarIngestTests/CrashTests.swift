import DuckDB
import Foundation
import HangarTestSupport
import Testing

/// A real `hangar ingest` process is killed (SIGKILL, as by the OOM killer or a power cut) at
/// several points of a run; the next run must leave every table with exactly the expected rows.
@Suite(.fullRunOnly)
struct CrashTests {
    /// `rows` JSON lines of repositories with ids from `first`, each with two topics.
    static func file(_ folder: URL, _ name: String, first: Int, rows: Int, version: String = "v1") throws -> String {
        let lines = (first..<(first + rows)).map { #"{"id": \#($0), "name": "repo \#($0) \#(version)", "topics": ["a", "b"]}"# }
        let url = folder.appendingPathComponent(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url.path
    }

    /// Runs `hangar ingest`; returns its exit status and whether a signal ended it.
    static func ingest(_ file: String, sandbox: URL, crashAt: String? = nil, merge: Bool = false) throws -> (status: Int32, killed: Bool, output: String) {
        let process = Process()
        process.executableURL = try hangarExecutable()
        process.arguments = ["ingest", file, "--table", "repos", "--database", sandbox.appendingPathComponent("db.duckdb").path,
                             "--dataset", "crash", "--pipeline", "crashy", "--home", sandbox.path]
            + (merge ? ["--write-disposition", "merge", "--primary-key", "id"] : [])
        var environment = ProcessInfo.processInfo.environment
        environment["HANGAR_CRASH_AT"] = crashAt
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal, String(decoding: data, as: UTF8.self))
    }

    static func hangarExecutable() throws -> URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(), runner.deletingLastPathComponent()]
        guard let found = candidates.map({ $0.appendingPathComponent("hangar") }).first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "hangar next to \(candidates.map(\.path))"])
        }
        return found
    }

    @Test(arguments: [
        ("extract", false), ("normalize", true), ("between-jobs", true), ("load-transaction", true), ("after-commit", true),
    ])
    func aKilledRunIsFinishedByTheNextWithoutLossOrDuplicates(_ point: String, _ crashedDataSurvives: Bool) throws {
        let scratch = try ScratchDirectory(), sandbox = scratch.url

        let first = try Self.ingest(try Self.file(sandbox, "a.jsonl", first: 0, rows: 100), sandbox: sandbox)
        #expect(first.status == 0, "\(first.output)")
        let crashed = try Self.ingest(try Self.file(sandbox, "b.jsonl", first: 100, rows: 50), sandbox: sandbox, crashAt: point)
        #expect(crashed.killed && crashed.status == SIGKILL, "the run was meant to die at \(point): \(crashed.output)")
        let next = try Self.ingest(try Self.file(sandbox, "c.jsonl", first: 150, rows: 25), sandbox: sandbox)
        #expect(next.status == 0, "\(next.output)")

        let connection = try Database(path: sandbox.appendingPathComponent("db.duckdb").path).connect()
        let expectedIDs = Array(0..<100) + (crashedDataSurvives ? Array(100..<150) : []) + Array(150..<175)
        let ids = try connection.query("SELECT id FROM crash.repos ORDER BY id").all().map { try $0.get(0, as: Int.self) }
        #expect(ids == expectedIDs)
        #expect(try connection.scalar("SELECT count(*) FROM crash.repos__topics", as: Int.self) == expectedIDs.count * 2)
        #expect(try connection.scalar("SELECT count(*) - count(DISTINCT _dlt_id) FROM crash.repos", as: Int.self) == 0)
        #expect(try connection.scalar("""
            SELECT count(*) FROM crash.repos__topics t LEFT JOIN crash.repos r ON r._dlt_id = t._dlt_parent_id WHERE r._dlt_id IS NULL
            """, as: Int.self) == 0)
        #expect(try connection.scalar("SELECT count(*) FROM crash._dlt_loads WHERE status = 0", as: Int.self) == (crashedDataSurvives ? 3 : 2))
        let pipeline = sandbox.appendingPathComponent("pipelines/crashy")
        for stage in ["normalize/extracted", "load/new"] {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: pipeline.appendingPathComponent(stage).path)) ?? []
            #expect(left.isEmpty, "\(stage) still holds \(left)")
        }
    }

    @Test(arguments: [("extract", false), ("normalize", true), ("between-jobs", true), ("load-transaction", true), ("after-commit", true)])
    func aKilledMergeIsFinishedByTheNextWithExactlyOneRowPerKey(_ point: String, _ crashedDataSurvives: Bool) throws {
        let scratch = try ScratchDirectory(), sandbox = scratch.url

        #expect(try Self.ingest(try Self.file(sandbox, "a.jsonl", first: 0, rows: 100, version: "v1"), sandbox: sandbox, merge: true).status == 0)
        let crashed = try Self.ingest(try Self.file(sandbox, "b.jsonl", first: 50, rows: 100, version: "v2"), sandbox: sandbox, crashAt: point, merge: true)
        #expect(crashed.killed, "the merge was meant to die at \(point): \(crashed.output)")
        let next = try Self.ingest(try Self.file(sandbox, "c.jsonl", first: 140, rows: 35, version: "v3"), sandbox: sandbox, merge: true)
        #expect(next.status == 0, "\(next.output)")

        var expected: [Int: String] = [:]
        for id in 0..<100 { expected[id] = "repo \(id) v1" }
        if crashedDataSurvives { for id in 50..<150 { expected[id] = "repo \(id) v2" } }
        for id in 140..<175 { expected[id] = "repo \(id) v3" }
        let connection = try Database(path: sandbox.appendingPathComponent("db.duckdb").path).connect()
        let rows = try connection.query("SELECT id, name FROM crash.repos ORDER BY id").all()
        #expect(rows.map { try! $0.get(0, as: Int.self) } == expected.keys.sorted())
        #expect(rows.map { try! $0.get(1, as: String.self) } == expected.keys.sorted().map { expected[$0]! })
        #expect(try connection.scalar("SELECT count(*) FROM crash.repos__topics", as: Int.self) == expected.count * 2)
        #expect(try connection.scalar("""
            SELECT count(*) FROM crash.repos__topics t LEFT JOIN crash.repos r ON r._dlt_id = t._dlt_root_id WHERE r._dlt_id IS NULL
            """, as: Int.self) == 0)
    }
}
