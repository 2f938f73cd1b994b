import DuckDB
import Foundation
@testable import HangarIngest
import HangarTestSupport
import Testing

/// A DuckLake database on the test PostgreSQL (catalog) and a scratch folder (data), as a
/// destination of its own: one lake per test, in a fresh database.
struct LakeSandbox {
    let scratch: ScratchDirectory
    let location: DuckLakeLocation

    init(scratch: ScratchDirectory) throws {
        self.scratch = scratch
        let database = try PostgresTestServer.freshDatabase()
        location = DuckLakeLocation(catalog: try PostgresTestServer.controlURL(database: database),
                                    metadataSchema: "ducklake_lake", dataPath: scratch.path("lake-data") + "/")
    }

    var destination: Destination { .duckLake(name: "lake", location: location) }

    func pipeline(_ name: String, folder: String = "lake-pipelines", dataset: String = "github",
                  options: PipelineOptions = PipelineOptions()) throws -> Pipeline {
        try Pipeline(name: name, destination: destination, dataset: dataset,
                     pipelinesDirectory: scratch.url.appendingPathComponent(folder, isDirectory: true), options: options)
    }

    func connect() throws -> Connection {
        try DuckLake.connect(location)
    }
}

/// What a dataset's tables hold, compared across destinations: per table, its row count and a
/// checksum of its values. Columns that differ by nature between two runs (load ids, row ids,
/// scd2 validity times) are left out; child rows are checksummed with their parent's key
/// columns, so a child attached to the wrong parent changes the sum.
enum DatasetChecksum {
    static func tables(_ connection: Connection, dataset: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let tables = try connection.query("""
            SELECT table_name FROM duckdb_tables() WHERE schema_name = ? AND database_name = current_database()
              AND table_name NOT LIKE '\\_dlt\\_%' ESCAPE '\\' ORDER BY table_name
            """, [dataset]).all().map { try $0.get(0, as: String.self) }
        for table in tables {
            let columns = try connection.query("""
                SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? AND database_name = current_database()
                ORDER BY column_name
                """, [dataset, table]).all().map { try $0.get(0, as: String.self) }
            let kept = columns.filter { !$0.hasPrefix("_dlt_") || $0 == "_dlt_list_idx" }.map { "t." + quoteIdentifier($0) }
            let parent = table.range(of: "__", options: .backwards).map { String(table[..<$0.lowerBound]) }
            var from = "\(quoteIdentifier(dataset)).\(quoteIdentifier(table)) t"
            var values = kept
            if let parent, tables.contains(parent), columns.contains("_dlt_parent_id") {
                from += " LEFT JOIN \(quoteIdentifier(dataset)).\(quoteIdentifier(parent)) p ON p._dlt_id = t._dlt_parent_id"
                values.append("p.id")
            }
            let current = columns.contains("_dlt_valid_to") ? "count(*) FILTER (WHERE t._dlt_valid_to IS NULL)" : "0"
            let row = try connection.query("""
                SELECT count(*)::VARCHAR || ' rows, ' || \(current)::VARCHAR || ' current, sum ' ||
                  coalesce(sum(hash(\(values.joined(separator: ", ")))::HUGEINT), 0)::VARCHAR FROM \(from)
                """).all()
            result[table] = try row.first?.get(0, as: String.self)
        }
        return result
    }
}

/// The engine on a DuckLake database (catalog on PostgreSQL, data in a folder) gives the same
/// tables as on a DuckDB file, for every write disposition and merge strategy.
struct DuckLakeDestinationTests {
    func row(_ fields: KeyValuePairs<String, IngestValue>) -> IngestValue {
        .object(fields.map { (key: $0.key, value: $0.value) })
    }

    /// The loads, run the same into any destination: append, replace (both strategies) and
    /// every merge strategy, with child tables, duplicates, hard deletes and merge keys, on
    /// first loads (straight into an empty table), staged loads and loads merged from files.
    func loads(_ pipeline: (String, PipelineOptions) throws -> Pipeline) async throws {
        let plain = try pipeline("lake_equivalence", PipelineOptions())
        var stagingOptions = PipelineOptions()
        stagingOptions.replaceStrategy = .insertFromStaging
        let staged = try pipeline("lake_equivalence_staged", stagingOptions)

        // append
        _ = try await plain.run((0..<4).map { repoRow($0) }, table: "events")
        _ = try await plain.run((2..<6).map { repoRow($0, topics: ["a", "b"]) }, table: "events")
        // replace, truncate-and-insert and insert-from-staging
        for (target, table) in [(plain, "snapshot"), (staged, "snapshot_staged")] {
            _ = try await target.run((0..<5).map { repoRow($0) }, table: table, writeDisposition: .replace)
            _ = try await target.run((10..<13).map { repoRow($0, stars: $0 * 2, topics: ["x"]) }, table: table, writeDisposition: .replace)
        }
        // delete-insert: first load (direct), with duplicates (staged), unique keys (from files)
        let repos = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"])
        _ = try await plain.run(Resource.rows("repos", (0..<6).map { repoRow($0) } + [repoRow(1, stars: 99)], hints: repos))
        _ = try await plain.run(Resource.rows("repos", [repoRow(4, stars: 40, topics: []), repoRow(4, stars: 41, topics: ["z"]),
                                                        repoRow(7, stars: 70)], hints: repos))
        _ = try await plain.run(Resource.rows("repos", [repoRow(2, stars: 20, topics: ["q", "r"]), repoRow(8)], hints: repos))
        // delete-insert with dedup_sort and a hard delete column
        let deleted = TableHints(table: "repos_deleted", writeDisposition: .merge, primaryKey: ["id"],
                                 dedupSort: DedupSort(column: "stars", order: .ascending), hardDelete: "gone")
        _ = try await plain.run(Resource.rows("repos_deleted", (0..<4).map { row(["id": .int(Int64($0)), "stars": .int(Int64($0)), "gone": .bool(false)]) }, hints: deleted))
        _ = try await plain.run(Resource.rows("repos_deleted", [
            row(["id": .int(1), "stars": .int(30), "gone": .bool(false)]), row(["id": .int(1), "stars": .int(10), "gone": .bool(false)]),
            row(["id": .int(2), "stars": .int(0), "gone": .bool(true)]), row(["id": .int(5), "stars": .int(5), "gone": .bool(false)]),
        ], hints: deleted))
        // a merge key: a day's rows are replaced as a whole
        let daily = TableHints(table: "daily", writeDisposition: .merge, mergeKey: ["day"])
        _ = try await plain.run(Resource.rows("daily", (0..<6).map { row(["day": .int(Int64($0 % 3)), "n": .int(Int64($0))]) }, hints: daily))
        _ = try await plain.run(Resource.rows("daily", [row(["day": .int(1), "n": .int(100)])], hints: daily))
        // upsert and insert-only
        let users = TableHints(table: "users", writeDisposition: .merge, primaryKey: ["id"], mergeStrategy: .upsert)
        let firsts = TableHints(table: "firsts", writeDisposition: .merge, primaryKey: ["id"], mergeStrategy: .insertOnly)
        for round in 0..<2 {
            let rows = (round * 2..<round * 2 + 4).map { row(["id": .int(Int64($0)), "name": .string("user \($0) round \(round)"),
                                                             "tags": .array([.string("t\(round)")])]) }
            _ = try await plain.run(Resource.rows("users", rows, hints: users))
            _ = try await plain.run(Resource.rows("firsts", rows, hints: firsts))
        }
        // scd2: a changed row retires its old version, a missing one retires
        let dims = TableHints(table: "dims", writeDisposition: .merge, mergeStrategy: .scd2)
        _ = try await plain.run(Resource.rows("dims", (1...3).map { row(["id": .int(Int64($0)), "name": .string("v1")]) }, hints: dims))
        _ = try await plain.run(Resource.rows("dims", [row(["id": .int(1), "name": .string("v2")]), row(["id": .int(2), "name": .string("v1")])], hints: dims))
    }

    /// Small loads are inlined into the catalog by default, larger ones written as Parquet files:
    /// both ways, with inlining off for every load in the second case.
    @Test(.timeLimit(.minutes(5)), arguments: [true, false])
    func theSameLoadsGiveTheSameTablesAsOnADuckDBFile(inlined: Bool) async throws {
        let file = try IngestSandbox()
        try await loads { name, options in try file.pipeline(name, options: options) }
        let expected = try DatasetChecksum.tables(try Database(path: file.databasePath).connect(), dataset: "github")

        let lake = try LakeSandbox(scratch: try ScratchDirectory())
        if !inlined { try lake.connect().execute("CALL lake.set_option('data_inlining_row_limit', 0)") }
        try await loads { name, options in try lake.pipeline(name, options: options) }
        let connection = try lake.connect()
        let loaded = try DatasetChecksum.tables(connection, dataset: "github")

        #expect(expected.count >= 12, "\(expected.keys.sorted())")
        #expect(loaded == expected)
        // Every load is recorded, once.
        let loads = try connection.scalar("SELECT count(*) FROM github._dlt_loads WHERE status = 0", as: Int.self)
        let fileLoads = try Database(path: file.databasePath).connect().scalar("SELECT count(*) FROM github._dlt_loads WHERE status = 0", as: Int.self)
        #expect(loads == fileLoads)
        // Without inlining the rows went to the folder as Parquet files.
        let parquet = FileManager.default.enumerator(atPath: lake.location.dataPath)?.allObjects.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".parquet") } ?? []
        #expect(parquet.isEmpty == inlined, "\(parquet.count) Parquet files")
    }

    /// A load is one DuckLake snapshot: its tables, rows and `_dlt_loads` row appear together.
    @Test(.timeLimit(.minutes(3)))
    func aLoadIsOneSnapshot() async throws {
        let lake = try LakeSandbox(scratch: try ScratchDirectory())
        let pipeline = try lake.pipeline("one_snapshot")
        _ = try await pipeline.run((0..<3).map { repoRow($0) }, table: "repos")
        let connection = try lake.connect()
        let before = try connection.scalar("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')", as: Int.self) ?? -1
        let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"])
        _ = try await pipeline.run(Resource.rows("repos", [repoRow(1, stars: 5, topics: ["n"]), repoRow(1, stars: 6), repoRow(9)], hints: hints))
        let after = try lake.connect()
        #expect(try after.scalar("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')", as: Int.self) == before + 1)
        #expect(try after.scalar("SELECT count(*) FROM github.repos", as: Int.self) == 4)
    }

    /// A commit that keeps losing to concurrent writers fails after a bounded number of tries,
    /// with nothing written and the package still pending.
    @Test(.timeLimit(.minutes(3)))
    func aLoadThatCannotCommitFailsCleanly() async throws {
        let lake = try LakeSandbox(scratch: try ScratchDirectory())
        _ = try await lake.pipeline("conflicts").run((0..<3).map { repoRow($0) }, table: "repos")
        // Another writer's change to the table just before every commit of this load: each try
        // conflicts, whatever DuckLake's own retries do.
        var options = PipelineOptions()
        options.lakeCommitRetries = 2
        let location = lake.location
        options.beforeLoadCommit = {
            let other = try DuckLake.connect(location)
            try other.execute("ALTER TABLE github.repos ADD COLUMN c\(UUID().uuidString.prefix(8).lowercased()) INTEGER")
        }
        let pipeline = try lake.pipeline("conflicts", options: options)
        let error = await #expect(throws: IngestError.self) {
            try await pipeline.run(Resource.rows("repos", [repoRow(1, stars: 5)],
                                                 hints: TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"])))
        }
        #expect(error?.message.contains("lost to concurrent writers 3 times") == true, "\(error?.message ?? "")")
        let connection = try lake.connect()
        #expect(try connection.scalar("SELECT count(*) FROM github._dlt_loads", as: Int.self) == 1)
        #expect(try connection.scalar("SELECT sum(stars) FROM github.repos", as: Int.self) == 30)
        // The package stayed pending: the next run (without the other writer) loads it.
        _ = try await lake.pipeline("conflicts").run([repoRow(20)], table: "other")
        #expect(try lake.connect().scalar("SELECT stars FROM github.repos WHERE id = 1", as: Int.self) == 5)
    }
}
