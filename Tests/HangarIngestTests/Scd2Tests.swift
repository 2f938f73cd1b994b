import DuckDB
import Foundation
@testable import HangarIngest
import Testing

/// The scd2 merge strategy keeps history: rows carry validity timestamps, a changed row is a
/// new version, a row that left the source retires, an unchanged row is left alone.
struct Scd2Tests {
    static func repo(_ id: Int, _ name: String, topics: [String] = []) -> IngestValue {
        .object([(key: "id", value: .int(Int64(id))), (key: "name", value: .string(name)),
                 (key: "topics", value: .array(topics.map { .string($0) }))])
    }

    static func hints(mergeKey: [String] = []) -> TableHints {
        TableHints(table: "repos", writeDisposition: .merge, mergeKey: mergeKey, mergeStrategy: .scd2)
    }

    /// (id, name, retired?) of every version, oldest first per id.
    static func versions(_ sandbox: IngestSandbox) throws -> [[DuckDBValue]] {
        try sandbox.query("""
            SELECT id, name, _dlt_valid_to IS NOT NULL FROM github.repos ORDER BY id, _dlt_valid_from, _dlt_valid_to NULLS LAST
            """)
    }

    @Test func changedRowsGetANewVersionAndMissingRowsRetire() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let first = try await pipeline.run(Resource.rows("repos", [Self.repo(1, "a", topics: ["x", "y"]), Self.repo(2, "b"), Self.repo(3, "c")],
                                                         hints: Self.hints()))
        #expect(first.warnings.isEmpty, "scd2 needs no key: \(first.warnings)")
        #expect(try Self.versions(sandbox) == [[.bigint(1), .varchar("a"), .boolean(false)], [.bigint(2), .varchar("b"), .boolean(false)],
                                               [.bigint(3), .varchar("c"), .boolean(false)]])
        let validFrom = try sandbox.query("SELECT DISTINCT epoch(_dlt_valid_from) FROM github.repos")
        #expect(validFrom.count == 1)

        // 1 unchanged, 2 changed, 3 gone, 4 new; 1 comes twice (one row).
        _ = try await pipeline.run(Resource.rows("repos", [Self.repo(1, "a", topics: ["x", "y"]), Self.repo(2, "b2"), Self.repo(4, "d"),
                                                           Self.repo(1, "a", topics: ["x", "y"])], hints: Self.hints()))
        #expect(try Self.versions(sandbox) == [
            [.bigint(1), .varchar("a"), .boolean(false)],
            [.bigint(2), .varchar("b"), .boolean(true)], [.bigint(2), .varchar("b2"), .boolean(false)],
            [.bigint(3), .varchar("c"), .boolean(true)],
            [.bigint(4), .varchar("d"), .boolean(false)],
        ])
        // The unchanged row kept its first validity and its child rows were not copied again.
        #expect(try sandbox.query("SELECT epoch(_dlt_valid_from) FROM github.repos WHERE id = 1") == validFrom)
        #expect(try sandbox.count("github.repos__topics") == 2)
        // Retired rows end when the new versions begin.
        #expect(try sandbox.query("""
            SELECT count(*) FROM github.repos old JOIN github.repos new ON old.id = new.id
            WHERE old._dlt_valid_to IS NOT NULL AND new._dlt_valid_to IS NULL AND old._dlt_valid_to = new._dlt_valid_from
            """) == [[.bigint(1)]])
        #expect(try sandbox.query("SELECT count(DISTINCT _dlt_id) = count(*) FROM github.repos") == [[.boolean(true)]])
    }

    @Test func withAMergeKeyOnlyRowsWhoseKeyTheLoadHoldsRetire() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        _ = try await pipeline.run(Resource.rows("repos", [Self.repo(1, "a"), Self.repo(2, "b")], hints: Self.hints(mergeKey: ["id"])))
        // A partial load: only id 2, changed. Row 1 is absent but its key is not in the load.
        _ = try await pipeline.run(Resource.rows("repos", [Self.repo(2, "b2")], hints: Self.hints(mergeKey: ["id"])))
        #expect(try Self.versions(sandbox) == [
            [.bigint(1), .varchar("a"), .boolean(false)],
            [.bigint(2), .varchar("b"), .boolean(true)], [.bigint(2), .varchar("b2"), .boolean(false)],
        ])
    }

    @Test func aRowThatComesBackUnchangedIsNotDuplicated() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        for _ in 0..<3 {
            _ = try await pipeline.run(Resource.rows("repos", [Self.repo(1, "a", topics: ["x"])], hints: Self.hints()))
        }
        #expect(try sandbox.count("github.repos") == 1)
        #expect(try sandbox.count("github.repos__topics") == 1)
        #expect(try sandbox.count("github._dlt_loads") == 3)
    }

    @Test func hardDeleteIsRefusedWithScd2() async throws {
        let sandbox = try IngestSandbox()
        var hints = Self.hints()
        hints.hardDelete = "deleted"
        let error = await #expect(throws: IngestError.self) {
            try await sandbox.pipeline().run(Resource.rows("repos", [Self.repo(1, "a")], hints: hints))
        }
        #expect(error?.message.contains("scd2") == true)
    }
}
