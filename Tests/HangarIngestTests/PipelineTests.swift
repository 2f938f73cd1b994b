import DuckDB
import Foundation
@testable import HangarIngest
import HangarTestSupport
import Testing

/// A temporary folder holding a destination database and the pipelines directory.
final class IngestSandbox {
    let scratch: ScratchDirectory
    var folder: URL { scratch.url }
    var databasePath: String { scratch.path("destination.duckdb") }
    var pipelines: URL { folder.appendingPathComponent("pipelines", isDirectory: true) }

    init() throws {
        scratch = try ScratchDirectory()
    }

    func pipeline(_ name: String = "repos_pipeline", dataset: String = "github", options: PipelineOptions = PipelineOptions()) throws -> Pipeline {
        try Pipeline(name: name, destination: .duckdb(path: databasePath), dataset: dataset, pipelinesDirectory: pipelines, options: options)
    }

    /// Runs `sql` on the destination and returns every row's values.
    func query(_ sql: String) throws -> [[DuckDBValue]] {
        try Database(path: databasePath).connect().query(sql).all().map(\.values)
    }

    func count(_ table: String) throws -> Int {
        guard case .bigint(let n)? = try query("SELECT count(*) FROM \(table)").first?.first else { return -1 }
        return Int(n)
    }
}

func repoRow(_ id: Int, stars: Int = 10, topics: [String] = ["sql"]) -> IngestValue {
    .object([
        (key: "id", value: .int(Int64(id))),
        (key: "fullName", value: .string("owner/repo-\(id)")),
        (key: "stars", value: .int(Int64(stars))),
        (key: "pushed_at", value: .string("2026-11-25T14:03:11Z")),
        (key: "owner", value: .object([(key: "login", value: .string("owner")), (key: "id", value: .int(1))])),
        (key: "topics", value: .array(topics.map(IngestValue.string))),
    ])
}

struct PipelineTests {
    @Test func appendTwiceThenReplace() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        _ = try await pipeline.run((0..<3).map { repoRow($0) }, table: "repos")
        _ = try await pipeline.run((3..<5).map { repoRow($0, topics: ["a", "b"]) }, table: "repos")
        #expect(try sandbox.count("github.repos") == 5)
        #expect(try sandbox.count("github.repos__topics") == 7)
        let info = try await pipeline.run([repoRow(9, topics: [])], table: "repos", writeDisposition: .replace)
        #expect(try sandbox.count("github.repos") == 1)
        #expect(try sandbox.count("github.repos__topics") == 0, "child tables are replaced with their root")
        #expect(info.rowCounts == ["repos": 1])
        #expect(try sandbox.count("github._dlt_loads WHERE status = 0") == 3)
    }

    @Test func tablesColumnsAndTypesAsTheReference() async throws {
        let sandbox = try IngestSandbox()
        _ = try await sandbox.pipeline().run([repoRow(1)], table: "repos")
        let columns = try sandbox.query("""
            SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'github' AND table_name = 'repos' ORDER BY ordinal_position
            """).map { "\($0[0]) \($0[1])" }
        #expect(columns == ["id BIGINT", "full_name VARCHAR", "stars BIGINT", "pushed_at TIMESTAMP WITH TIME ZONE", "owner__login VARCHAR",
                            "owner__id BIGINT", "_dlt_load_id VARCHAR", "_dlt_id VARCHAR"])
        let child = try sandbox.query("""
            SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'github' AND table_name = 'repos__topics' ORDER BY ordinal_position
            """).map { "\($0[0]) \($0[1])" }
        #expect(child == ["value VARCHAR", "_dlt_parent_id VARCHAR", "_dlt_list_idx BIGINT", "_dlt_id VARCHAR"])
        let linked = try sandbox.query("SELECT count(*) FROM github.repos r JOIN github.repos__topics t ON t._dlt_parent_id = r._dlt_id")
        #expect(linked == [[.bigint(1)]])
    }

    @Test(arguments: LoaderFileFormat.allCases)
    func everyLoaderFormatProducesTheSameTables(_ format: LoaderFileFormat) async throws {
        let sandbox = try IngestSandbox()
        let rows = (0..<50).map(Self.item)
        let hints = TableHints(table: "items", maxTableNesting: 1)
        _ = try await sandbox.pipeline().run(Resource.rows("items", rows, hints: hints), loaderFileFormat: format)
        let checksum = try sandbox.query("""
            SELECT count(*), sum(id), string_agg(name, '|' ORDER BY id), sum(score), count(*) FILTER (active), min(created), max(created),
                   sum(amount), min(day), string_agg(hex(raw), '' ORDER BY id), string_agg(meta__tags::VARCHAR, '|' ORDER BY id)
            FROM github.items
            """)
        let expected = try await Self.referenceChecksum()
        #expect(checksum == expected)
    }

    static func item(_ i: Int) -> IngestValue {
        let name: IngestValue = i % 7 == 0 ? .null : .string("repo \(i) with 'quotes' and \"doubles\"")
        let tags: IngestValue = .array([.string("x"), .int(Int64(i))])
        var fields: [(key: String, value: IngestValue)] = [(key: "id", value: .int(Int64(i))), (key: "name", value: name)]
        fields.append((key: "score", value: .double(Double(i) / 3)))
        fields.append((key: "active", value: .bool(i % 2 == 0)))
        fields.append((key: "created", value: .string("2026-01-0\(i % 9 + 1)T00:00:00.5Z")))
        fields.append((key: "amount", value: .decimal("\(i).125")))
        fields.append((key: "day", value: .date(Int32(20000 + i))))
        fields.append((key: "raw", value: .binary(Data([0, UInt8(i)]))))
        fields.append((key: "meta", value: .object([(key: "tags", value: tags)])))
        return .object(fields)
    }

    /// The same rows loaded as parquet, computed once for comparison.
    static func referenceChecksum() async throws -> [[DuckDBValue]] {
        let sandbox = try IngestSandbox()
        let rows = (0..<50).map(Self.item)
        _ = try await sandbox.pipeline().run(Resource.rows("items", rows, hints: TableHints(table: "items", maxTableNesting: 1)), loaderFileFormat: .parquet)
        return try sandbox.query("""
            SELECT count(*), sum(id), string_agg(name, '|' ORDER BY id), sum(score), count(*) FILTER (active), min(created), max(created),
                   sum(amount), min(day), string_agg(hex(raw), '' ORDER BY id), string_agg(meta__tags::VARCHAR, '|' ORDER BY id)
            FROM github.items
            """)
    }

    @Test func loadInfoPrintsLikeDlt() async throws {
        let sandbox = try IngestSandbox()
        let info = try await sandbox.pipeline().run([repoRow(1)], table: "repos")
        let lines = info.description.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("Pipeline repos_pipeline load step completed in "))
        #expect(lines[1] == "1 load package(s) were loaded to destination duckdb and into dataset github")
        #expect(lines[2] == "The duckdb destination used duckdb:///\(URL(fileURLWithPath: sandbox.databasePath).standardizedFileURL.path) location to store data")
        #expect(lines[3] == "Load package \(info.packages[0].loadID) is LOADED and contains no failed jobs")
        #expect(lines.contains("Rows: repos 1, repos__topics 1"))
        let json = try JSONSerialization.jsonObject(with: info.jsonData()) as? [String: Any]
        #expect(json?["dataset_name"] as? String == "github")
        #expect((json?["row_counts"] as? [String: Int])?["repos"] == 1)
    }

    @Test func systemTablesHoldLoadsSchemaVersionsAndState() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let resource = Resource("repos", hints: TableHints(table: "repos")) { emit in
            try emit.row(repoRow(1))
            emit.state["last_id"] = .int(1)
        }
        let info = try await pipeline.run(resource)
        let loadID = info.packages[0].loadID
        #expect(try sandbox.query("SELECT load_id, schema_name, status FROM github._dlt_loads") == [[.varchar(loadID), .varchar("repos_pipeline"), .bigint(0)]])
        let version = try sandbox.query("SELECT version, schema_name, version_hash FROM github._dlt_version")
        #expect(version.count == 1)
        #expect(version[0][1] == .varchar("repos_pipeline"))
        #expect(version[0][2] == .varchar(try await pipeline.currentSchema().versionHash))
        let state = try sandbox.query("SELECT pipeline_name, _dlt_load_id, json_extract(state, '$.sources.repos_pipeline.resources.repos.last_id') FROM github._dlt_pipeline_state")
        #expect(state == [[.varchar("repos_pipeline"), .varchar(loadID), .json("1")]])
    }

    @Test func stateRoundTripsAndIsRestoredFromTheDestination() async throws {
        let sandbox = try IngestSandbox()
        func counter() -> Resource {
            Resource("repos", hints: TableHints(table: "repos")) { emit in
                let runs = emit.state["runs"]?.int ?? 0
                try emit.row(repoRow(Int(runs)))
                emit.state["runs"] = .int(runs + 1)
            }
        }
        _ = try await sandbox.pipeline().run(counter())
        _ = try await sandbox.pipeline().run(counter())
        #expect(try await sandbox.pipeline().currentState().resource("repos", source: "repos_pipeline")["runs"] == .int(2))
        try FileManager.default.removeItem(at: sandbox.pipelines)
        let restored = try sandbox.pipeline()
        #expect(try await restored.currentState().resource("repos", source: "repos_pipeline")["runs"] == .int(2))
        _ = try await restored.run(counter())
        #expect(try sandbox.query("SELECT id FROM github.repos ORDER BY id") == [[.bigint(0)], [.bigint(1)], [.bigint(2)]])
    }

    @Test func badDataLeavesTheDestinationExactlyAsItWas() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        _ = try await pipeline.run([repoRow(1)], table: "repos")
        let before = try sandbox.query("SELECT * FROM github.repos")
        let error = await #expect(throws: IngestError.self) {
            try await pipeline.run(Resource.json("repos", Data(#"[{"id": 2}, {"id": 3,]"#.utf8), hints: TableHints(table: "repos")))
        }
        #expect(error?.kind == .malformedJSON)
        #expect(error?.message.contains("row 2") == true)
        #expect(try sandbox.query("SELECT * FROM github.repos") == before)
        #expect(try sandbox.count("github._dlt_loads") == 1)
    }

    @Test func severalResourcesLoadIntoTheirTablesInOnePackage() async throws {
        let sandbox = try IngestSandbox()
        let source = Source("github", resources: [
            .rows("repos", [repoRow(1), repoRow(2)]),
            .json("events", Data("{\"type\": \"push\", \"at\": \"2026-11-25T14:03:11Z\"}\n{\"type\": \"fork\"}\n".utf8), hints: TableHints(table: "Events")),
            .encodable("owners", [Owner(login: "duckdb", id: 1)]),
        ])
        let info = try await sandbox.pipeline().run(source)
        #expect(info.packages.count == 1)
        #expect(try sandbox.count("github.repos") == 2)
        #expect(try sandbox.query("SELECT type, \"at\" FROM github.events ORDER BY type") ==
                [[.varchar("fork"), .null], [.varchar("push"), .timestampTZ(DuckDBTimestamp(microseconds: 1_795_615_391_000_000))]])
        #expect(try sandbox.query("SELECT login, id FROM github.owners") == [[.varchar("duckdb"), .bigint(1)]])
    }

    struct Owner: Encodable, Sendable { let login: String; let id: Int }
}

struct PipelineFailureTests {
    @Test func aTerminalJobFailureAbortsThePackageAndKeepsTheError() async throws {
        let sandbox = try IngestSandbox()
        // A table someone created by hand, whose column cannot take the incoming text.
        let connection = try Database(path: sandbox.databasePath).connect()
        try connection.execute("CREATE SCHEMA github; CREATE TABLE github.repos (id BIGINT, full_name INTEGER)")
        let pipeline = try sandbox.pipeline()
        let error = await #expect(throws: IngestError.self) { try await pipeline.run([repoRow(1)], table: "repos") }
        #expect(error?.kind == .loadFailed)
        let info = try #require(error?.loadInfo)
        let failed = try #require(info.packages.first?.failedJobs.first)
        #expect(failed.table == "repos")
        #expect(failed.failedMessage?.contains("Could not convert string 'owner/repo-1' to INT32") == true)
        #expect(info.description.contains("is ABORTED and contains 1 FAILED job(s)!"))
        let aborted = sandbox.pipelines.appendingPathComponent("repos_pipeline/load/aborted/\(info.packages[0].loadID)/failed_jobs")
        let files = try FileManager.default.contentsOfDirectory(atPath: aborted.path)
        #expect(files.contains { $0.hasSuffix(".exception") })
        // Nothing of the package reached the destination.
        #expect(try sandbox.count("github.repos") == 0)
        #expect(try sandbox.query("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('_dlt_loads', 'repos__topics') AND table_schema = 'github'") == [[.bigint(0)]])
    }

    @Test func columnsWidenAndVariantsAppearInTheDestination() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        _ = try await pipeline.run([.object([(key: "id", value: .int(1)), (key: "ratio", value: .int(2))])], table: "t")
        _ = try await pipeline.run([.object([(key: "id", value: .int(2)), (key: "ratio", value: .double(2.5))])], table: "t")
        _ = try await pipeline.run([.object([(key: "id", value: .int(3)), (key: "ratio", value: .string("n/a")), (key: "note", value: .string("new"))])], table: "t")
        let types = try sandbox.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'github' AND table_name = 't' ORDER BY ordinal_position")
        #expect(types.map { "\($0[0]) \($0[1])" } == ["id BIGINT", "ratio DOUBLE", "_dlt_load_id VARCHAR", "_dlt_id VARCHAR", "ratio__v_text VARCHAR", "note VARCHAR"])
        #expect(try sandbox.query("SELECT id, ratio, ratio__v_text, note FROM github.t ORDER BY id") == [
            [.bigint(1), .double(2), .null, .null], [.bigint(2), .double(2.5), .null, .null], [.bigint(3), .null, .varchar("n/a"), .varchar("new")],
        ])
        #expect(try sandbox.count("github._dlt_version") == 3)
    }

    @Test func anUnwritablePipelinesDirectorySaysSoAndLoadsNothing() async throws {
        let sandbox = try IngestSandbox()
        let blocker = sandbox.folder.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        let pipeline = try Pipeline(name: "p", destination: .duckdb(path: sandbox.databasePath), dataset: "d", pipelinesDirectory: blocker)
        let error = await #expect(throws: IngestError.self) { try await pipeline.run([repoRow(1)], table: "repos") }
        #expect(error?.kind == .storage)
        #expect(error?.message.contains("cannot create the load package folder") == true)
        #expect(!FileManager.default.fileExists(atPath: sandbox.databasePath))
    }
}

struct PipelineProgressTests {
    final class Steps: @unchecked Sendable {
        private let lock = NSLock()
        private var steps: [PipelineProgress] = []
        func add(_ step: PipelineProgress) { lock.withLock { steps.append(step) } }
        var all: [PipelineProgress] { lock.withLock { steps } }
    }

    @Test func stagesAreReportedInOrderForEachPackage() async throws {
        let sandbox = try IngestSandbox()
        let steps = Steps()
        var options = PipelineOptions()
        options.progress = { steps.add($0) }
        let info = try await sandbox.pipeline(options: options).run([repoRow(1)], table: "repos")
        let loadID = info.packages[0].loadID
        #expect(steps.all == [.init(stage: .extract, loadID: loadID, rows: nil), .init(stage: .normalize, loadID: loadID, rows: nil),
                              .init(stage: .load, loadID: loadID, rows: nil)])
        #expect(steps.all.map(\.description) == ["extract \(loadID)", "normalize \(loadID)", "load \(loadID)"])
    }

    /// dlt's `delete_completed_jobs`: the loaded package keeps its record but not its files.
    @Test func deleteCompletedJobsKeepsThePackagesRecordButNotItsFiles() async throws {
        let sandbox = try IngestSandbox()
        var options = PipelineOptions()
        options.deleteCompletedJobs = true
        let pipeline = try sandbox.pipeline(options: options)
        let info = try await pipeline.run([repoRow(1, topics: ["a", "b"]), repoRow(2)], table: "repos")
        let loadID = try #require(info.packages.first?.loadID)
        #expect(info.packages.first?.jobs.map(\.table).sorted() == ["_dlt_pipeline_state", "repos", "repos__topics"])
        let package = sandbox.pipelines.appendingPathComponent("repos_pipeline/load/loaded/\(loadID)", isDirectory: true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: package.appendingPathComponent("completed_jobs").path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: package.appendingPathComponent("schema.json").path))
        #expect(try sandbox.count("github.repos") == 2)
        #expect(try sandbox.count("github.repos__topics") == 3)

        // Without the option the files stay, as in dlt.
        let kept = try await sandbox.pipeline().run([repoRow(3)], table: "repos")
        let keptPackage = sandbox.pipelines.appendingPathComponent("repos_pipeline/load/loaded/\(try #require(kept.packages.first?.loadID))/completed_jobs")
        #expect(try !FileManager.default.contentsOfDirectory(atPath: keptPackage.path).isEmpty)
    }

    /// The extracted package is removed off the run's path (renamed, then deleted on another
    /// thread), yet gone once the run returns; one a killed run left half-deleted goes next run.
    @Test func extractedPackagesAreGoneWhenTheRunReturns() async throws {
        let sandbox = try IngestSandbox()
        var options = PipelineOptions()
        options.normalizeWhileExtracting = false
        let extracted = sandbox.pipelines.appendingPathComponent("repos_pipeline/normalize/extracted", isDirectory: true)
        let first = try await sandbox.pipeline(options: options).run([repoRow(1), repoRow(2)], table: "repos")
        #expect(first.normalizedWhileExtracting != true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: extracted.path).isEmpty)

        let leftover = extracted.appendingPathComponent(".1700000000.5.removed.partial/resource_0", isDirectory: true)
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
        try Data("{}\n".utf8).write(to: leftover.appendingPathComponent("part.jsonl"))
        _ = try await sandbox.pipeline(options: options).run([repoRow(3)], table: "repos")
        #expect(try FileManager.default.contentsOfDirectory(atPath: extracted.path).isEmpty)
        #expect(try sandbox.count("github.repos") == 3)
    }
}
