import DuckDB
import Foundation
@testable import HangarIngest
import Testing

struct MergeTests {
    func row(_ fields: KeyValuePairs<String, IngestValue>) -> IngestValue {
        .object(fields.map { (key: $0.key, value: $0.value) })
    }

    func merge(_ pipeline: Pipeline, _ rows: [IngestValue], hints: TableHints) async throws -> LoadInfo {
        try await pipeline.run(Resource.rows(hints.table, rows, hints: hints))
    }

    @Test func deleteInsertKeepsOneRowPerKeyAndTheLastDuplicate() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"])
        _ = try await merge(pipeline, [row(["id": .int(1), "stars": .int(1)]), row(["id": .int(2), "stars": .int(2)])], hints: hints)
        _ = try await merge(pipeline, [row(["id": .int(2), "stars": .int(20)]), row(["id": .int(2), "stars": .int(21)]),
                                       row(["id": .int(3), "stars": .int(3)])], hints: hints)
        #expect(try sandbox.query("SELECT id, stars FROM github.repos ORDER BY id") ==
                [[.bigint(1), .bigint(1)], [.bigint(2), .bigint(21)], [.bigint(3), .bigint(3)]])
    }

    @Test(arguments: [(DedupSort.Order.descending, Int64(30)), (.ascending, 10)])
    func dedupSortPicksTheSurvivor(_ order: DedupSort.Order, _ survivor: Int64) async throws {
        let sandbox = try IngestSandbox()
        let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"], dedupSort: DedupSort(column: "stars", order: order))
        _ = try await merge(try sandbox.pipeline(), [10, 30, 20].map { row(["id": .int(1), "stars": .int($0)]) }, hints: hints)
        #expect(try sandbox.query("SELECT stars FROM github.repos") == [[.bigint(survivor)]])
    }

    @Test func compositeKeysMatchOnEveryColumn() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "stats", writeDisposition: .merge, primaryKey: ["repo", "day"])
        _ = try await merge(pipeline, [row(["repo": .string("a"), "day": .int(1), "n": .int(1)]), row(["repo": .string("a"), "day": .int(2), "n": .int(2)]),
                                       row(["repo": .string("b"), "day": .int(1), "n": .int(3)])], hints: hints)
        _ = try await merge(pipeline, [row(["repo": .string("a"), "day": .int(2), "n": .int(20)]), row(["repo": .string("b"), "day": .int(2), "n": .int(4)])], hints: hints)
        #expect(try sandbox.query("SELECT repo, day, n FROM github.stats ORDER BY repo, day") == [
            [.varchar("a"), .bigint(1), .bigint(1)], [.varchar("a"), .bigint(2), .bigint(20)],
            [.varchar("b"), .bigint(1), .bigint(3)], [.varchar("b"), .bigint(2), .bigint(4)],
        ])
        let key = try await pipeline.currentSchema().table(named: "stats")?.primaryKey
        #expect(key == ["repo", "day"])
    }

    @Test func hardDeleteRemovesTheKey() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"], hardDelete: "deleted")
        _ = try await merge(pipeline, [row(["id": .int(1), "topics": .array([.string("x")])]), row(["id": .int(2), "topics": .array([.string("y")])])], hints: hints)
        _ = try await merge(pipeline, [row(["id": .int(1), "deleted": .bool(true)]), row(["id": .int(2), "deleted": .bool(false)])], hints: hints)
        #expect(try sandbox.query("SELECT id, deleted FROM github.repos ORDER BY id") == [[.bigint(2), .boolean(false)]])
        #expect(try sandbox.count("github.repos__topics") == 0, "row 2's new version has no topics, row 1 is gone")
    }

    /// A first load into an empty table skips staging; it must behave exactly the same.
    @Test func aFirstLoadDeduplicatesHardDeletesAndRefusesDuplicateUpsertsInPlace() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"], hardDelete: "deleted")
        _ = try await merge(pipeline, [
            row(["id": .int(1), "topics": .array([.string("old")])]), row(["id": .int(1), "topics": .array([.string("new")])]),
            row(["id": .int(2), "deleted": .bool(true), "topics": .array([.string("gone")])]), row(["id": .int(3), "topics": .array([.string("kept")])]),
        ], hints: hints)
        #expect(try sandbox.query("SELECT id FROM github.repos ORDER BY id") == [[.bigint(1)], [.bigint(3)]])
        #expect(try sandbox.query("SELECT value FROM github.repos__topics ORDER BY value") == [[.varchar("kept")], [.varchar("new")]])

        let upsert = TableHints(table: "events", writeDisposition: .merge, primaryKey: ["id"], mergeStrategy: .upsert)
        let error = await #expect(throws: IngestError.self) { try await merge(pipeline, [row(["id": .int(1)]), row(["id": .int(1)])], hints: upsert) }
        #expect(error?.message.contains("needs unique primary keys") == true)
        #expect(try sandbox.query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'events'") == [[.bigint(0)]])
    }

    @Test func childTablesAreReplacedWithTheirRoot() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"])
        _ = try await merge(pipeline, [repoRow(1, topics: ["a", "b", "c"]), repoRow(2, topics: ["d"])], hints: hints)
        _ = try await merge(pipeline, [repoRow(1, topics: ["z"])], hints: hints)
        #expect(try sandbox.query("""
            SELECT r.id, string_agg(t.value, ',' ORDER BY t._dlt_list_idx) FROM github.repos r JOIN github.repos__topics t ON t._dlt_root_id = r._dlt_id
            GROUP BY r.id ORDER BY r.id
            """) == [[.bigint(1), .varchar("z")], [.bigint(2), .varchar("d")]])
        #expect(try sandbox.count("github.repos__topics") == 2)
    }

    /// A table merged once and appended to later: its child rows still get their root's id (the
    /// column is NOT NULL in the destination), as dlt keeps propagating it.
    @Test func aMergedTableAppendedLaterKeepsRootIDs() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        _ = try await merge(pipeline, [repoRow(1, topics: ["a", "b"])], hints: TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"]))
        _ = try await merge(pipeline, [repoRow(2, topics: ["c"])], hints: TableHints(table: "repos", writeDisposition: .append))
        #expect(try sandbox.query("""
            SELECT r.id, string_agg(t.value, ',' ORDER BY t._dlt_list_idx) FROM github.repos r JOIN github.repos__topics t ON t._dlt_root_id = r._dlt_id
            GROUP BY r.id ORDER BY r.id
            """) == [[.bigint(1), .varchar("a,b")], [.bigint(2), .varchar("c")]])
    }

    @Test func aLaterRunAddsAColumn() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"])
        _ = try await merge(pipeline, [row(["id": .int(1), "stars": .int(1)]), row(["id": .int(2), "stars": .int(2)])], hints: hints)
        _ = try await merge(pipeline, [row(["id": .int(2), "stars": .int(5), "license": .string("MIT")])], hints: hints)
        #expect(try sandbox.query("SELECT id, stars, license FROM github.repos ORDER BY id") ==
                [[.bigint(1), .bigint(1), .null], [.bigint(2), .bigint(5), .varchar("MIT")]])
    }

    @Test func upsertKeepsKeyDerivedIdsAndRefusesDuplicateKeys() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"], mergeStrategy: .upsert)
        _ = try await merge(pipeline, [repoRow(1, stars: 1), repoRow(2, stars: 2)], hints: hints)
        let before = try sandbox.query("SELECT id, _dlt_id FROM github.repos ORDER BY id")
        _ = try await merge(pipeline, [repoRow(2, stars: 20, topics: ["new"])], hints: hints)
        #expect(try sandbox.query("SELECT id, _dlt_id FROM github.repos ORDER BY id") == before)
        #expect(try sandbox.query("SELECT stars FROM github.repos WHERE id = 2") == [[.bigint(20)]])
        #expect(try sandbox.query("SELECT t.value FROM github.repos__topics t JOIN github.repos r ON t._dlt_root_id = r._dlt_id WHERE r.id = 2") == [[.varchar("new")]])
        let error = await #expect(throws: IngestError.self) { try await merge(pipeline, [repoRow(3), repoRow(3)], hints: hints) }
        #expect(error?.message.contains("needs unique primary keys id within one load, but 1 rows repeat a key") == true)
        #expect(try sandbox.count("github.repos") == 2)
    }

    @Test func insertOnlySkipsExistingKeys() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"], mergeStrategy: .insertOnly)
        _ = try await merge(pipeline, [repoRow(1, stars: 1)], hints: hints)
        _ = try await merge(pipeline, [repoRow(1, stars: 100), repoRow(2, stars: 2)], hints: hints)
        #expect(try sandbox.query("SELECT id, stars FROM github.repos ORDER BY id") == [[.bigint(1), .bigint(1)], [.bigint(2), .bigint(2)]])
        #expect(try sandbox.count("github.repos__topics") == 2)
    }

    @Test func aMergeKeyReplacesWholePartitions() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "events", writeDisposition: .merge, mergeKey: ["day"])
        _ = try await merge(pipeline, [row(["day": .int(1), "n": .int(1)]), row(["day": .int(1), "n": .int(2)]), row(["day": .int(2), "n": .int(3)])], hints: hints)
        _ = try await merge(pipeline, [row(["day": .int(1), "n": .int(9)])], hints: hints)
        #expect(try sandbox.query("SELECT day, n FROM github.events ORDER BY day, n") == [[.bigint(1), .bigint(9)], [.bigint(2), .bigint(3)]])
    }

    @Test func mergeWithoutAnyKeyAppendsWithAWarning() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "events", writeDisposition: .merge)
        _ = try await merge(pipeline, [row(["n": .int(1)])], hints: hints)
        let info = try await merge(pipeline, [row(["n": .int(1)])], hints: hints)
        #expect(info.warnings == ["resource events: merge without a primary or merge key appends instead"])
        #expect(info.description.contains("Warning: resource events: merge without a primary or merge key appends instead"))
        #expect(try sandbox.count("github.events") == 2)
    }

    /// The guide's flight: merge on `repo`, parquet files, run three times.
    @Test func theGuidesScenarioLeavesOneRowPerRepository() async throws {
        let sandbox = try IngestSandbox()
        let repos = ["duckdb/duckdb", "motherduckdb/motherduck-docs", "dlt-hub/dlt"]
        for run in 1...3 {
            let pipeline = try Pipeline(name: "flights_github_repo_stats", destination: .duckdb(path: sandbox.databasePath),
                                        dataset: "flights_demo_dlt", pipelinesDirectory: sandbox.pipelines)
            let rows: [IngestValue] = repos.enumerated().map { index, repo in
                row(["repo": .string(repo), "stars": .int(Int64(1000 * (index + 1) + run)), "forks": .int(Int64(run)),
                     "open_issues": .int(7), "default_branch": .string("main"), "pushed_at": .string("2026-11-2\(run)T10:00:00Z"),
                     "loaded_at": .string("2026-11-2\(run)T10:00:00Z")])
            }
            let info = try await pipeline.run(rows, table: "github_repo_stats", writeDisposition: .merge, primaryKey: ["repo"], loaderFileFormat: .parquet)
            #expect(info.packages.map(\.state) == ["loaded"])
        }
        #expect(try sandbox.query("SELECT repo, stars, forks FROM flights_demo_dlt.github_repo_stats ORDER BY repo") == [
            [.varchar("dlt-hub/dlt"), .bigint(3003), .bigint(3)],
            [.varchar("duckdb/duckdb"), .bigint(1003), .bigint(3)],
            [.varchar("motherduckdb/motherduck-docs"), .bigint(2003), .bigint(3)],
        ])
        #expect(try sandbox.count("flights_demo_dlt._dlt_loads WHERE status = 0") == 3)
    }

    /// A load without repeated keys or hard deletes merges from its parquet files, with no
    /// staging copy; one with a repeated key is staged to be deduplicated. Both replace child rows.
    @Test func aLoadWithoutRepeatedKeysMergesFromItsFilesAndOneWithThemIsStaged() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"])
        let stagingSchemas = "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'github_staging'"
        _ = try await merge(pipeline, [repoRow(1, topics: ["a", "b"]), repoRow(2, topics: ["c"]), repoRow(3, topics: [])], hints: hints)
        _ = try await merge(pipeline, [repoRow(2, topics: ["x", "y"]), repoRow(4, topics: ["d"])], hints: hints)
        #expect(try sandbox.query(stagingSchemas) == [[.bigint(0)]], "nothing was staged")
        let topics = """
            SELECT r.id, string_agg(t.value, ',' ORDER BY t._dlt_list_idx) FROM github.repos r LEFT JOIN github.repos__topics t ON t._dlt_root_id = r._dlt_id
            GROUP BY r.id ORDER BY r.id
            """
        #expect(try sandbox.query(topics) == [[.bigint(1), .varchar("a,b")], [.bigint(2), .varchar("x,y")], [.bigint(3), .null], [.bigint(4), .varchar("d")]])

        _ = try await merge(pipeline, [repoRow(1, topics: ["p"]), repoRow(1, topics: ["q"])], hints: hints)
        #expect(try sandbox.query(stagingSchemas) == [[.bigint(1)]], "a repeated key is deduplicated in staging")
        #expect(try sandbox.query(topics) == [[.bigint(1), .varchar("q")], [.bigint(2), .varchar("x,y")], [.bigint(3), .null], [.bigint(4), .varchar("d")]])
        #expect(try sandbox.count("github.repos__topics") == 4)
    }
}
