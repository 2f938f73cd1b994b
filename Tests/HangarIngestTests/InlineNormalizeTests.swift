import DuckDB
import Foundation
@testable import HangarIngest
import Testing

/// Rows normalized while they are extracted give exactly the tables the extracted-files path
/// gives, in the same row order, and leave no extracted package behind.
struct InlineNormalizeTests {
    static func options(inline: Bool) -> PipelineOptions {
        var options = PipelineOptions()
        options.normalizeWhileExtracting = inline
        options.batchRows = 50
        return options
    }

    /// Rows, then raw JSON with a repeated key, then rows again: the merge keeps the last of
    /// each key, so any reordering shows.
    static let resource = Resource("repos", hints: TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"])) { emit in
        for i in 0..<300 {
            try emit.row(.object([(key: "id", value: .int(Int64(i % 120))), (key: "name", value: .string("row \(i)")),
                                  (key: "topics", value: .array([.string("t\(i % 3)"), .string("u")]))]))
        }
        try emit.json(Data(#"[{"id": 5, "name": "from json", "stars": 1.5}, {"id": 6, "name": "also json"}]"#.utf8))
        try emit.row(.object([(key: "id", value: .int(6)), (key: "name", value: .string("last word"))]))
    }

    static let checksum = """
        SELECT count(*), string_agg(id::VARCHAR || '=' || name || ':' || coalesce(stars::VARCHAR, '-'), ',' ORDER BY id),
               (SELECT string_agg(r.id::VARCHAR || ':' || t.value, ',' ORDER BY r.id, t._dlt_list_idx)
                FROM github.repos__topics t JOIN github.repos r ON t._dlt_root_id = r._dlt_id)
        FROM github.repos
        """

    @Test func inlineGivesTheSameTablesAsExtractedFiles() async throws {
        let files = try IngestSandbox()
        let viaFiles = try await files.pipeline(options: Self.options(inline: false)).run(Self.resource)
        let inline = try IngestSandbox()
        let direct = try await inline.pipeline(options: Self.options(inline: true)).run(Self.resource)

        #expect(try inline.query(Self.checksum) == files.query(Self.checksum))
        #expect(try inline.query("SELECT name FROM github.repos WHERE id IN (5, 6) ORDER BY id") == [[.varchar("from json")], [.varchar("last word")]])
        #expect(direct.rowCounts == viaFiles.rowCounts)
        #expect(direct.normalizedWhileExtracting == true)
        #expect(viaFiles.normalizedWhileExtracting == nil)
        #expect(direct.description.contains("extract and normalize side by side"))
        let extracted = inline.pipelines.appendingPathComponent("repos_pipeline/normalize/extracted")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: extracted.path)) ?? []).isEmpty)
    }

    @Test func aRunThatStartsWithRawJSONExtractsFiles() async throws {
        let sandbox = try IngestSandbox()
        let resource = Resource.json("events", Data(#"[{"id": 1}, {"id": 2}]"#.utf8))
        let info = try await sandbox.pipeline(options: Self.options(inline: true)).run(resource)
        #expect(info.normalizedWhileExtracting == nil)
        #expect(try sandbox.count("github.events") == 2)
    }

    @Test func aFailureWhileNormalizingInlineLeavesNothingPending() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline(options: Self.options(inline: true))
        let frozen = SchemaContract(tables: .evolve, columns: .freeze, dataType: .evolve)
        _ = try await pipeline.run(Resource.rows("t", [IngestValue.object([(key: "id", value: .int(1))])], hints: TableHints(table: "t")))
        let breaking = Resource.rows("t", (0..<500).map { i in
            IngestValue.object([(key: "id", value: .int(Int64(i))), (key: "extra", value: .int(1))])
        }, hints: TableHints(table: "t", schemaContract: frozen))
        let error = await #expect(throws: IngestError.self) { try await pipeline.run(breaking) }
        #expect(error?.kind == .contractViolation)
        #expect(error?.message.contains("column extra") == true, "\(error?.message ?? "")")
        for stage in ["normalize/extracted", "load/normalized"] {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: sandbox.pipelines.appendingPathComponent("repos_pipeline/\(stage)").path)) ?? []
            #expect(left.filter { !$0.hasPrefix(".") }.isEmpty, "\(stage) holds \(left)")
        }
        #expect(try sandbox.count("github.t") == 1)
        let next = try await pipeline.run(Resource.rows("t", [IngestValue.object([(key: "id", value: .int(2))])], hints: TableHints(table: "t")))
        #expect(next.packages.count == 1)
        #expect(try sandbox.count("github.t") == 2)
    }

    struct SourceWentAway: Error {}

    @Test func aResourceFailingHalfwayLeavesNoFoldersBehind() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline(options: Self.options(inline: true))
        let failing = Resource("repos", hints: TableHints(table: "repos")) { emit in
            // Enough rows that loader files are being written when the resource fails.
            for i in 0..<5_000 { try emit.row(.object([(key: "id", value: .int(Int64(i))), (key: "name", value: .string("repo \(i)"))])) }
            throw SourceWentAway()
        }
        let error = await #expect(throws: IngestError.self) { try await pipeline.run(failing) }
        #expect(error?.message.contains("SourceWentAway") == true, "\(error?.message ?? "")")
        for stage in ["normalize/extracted", "load/normalized"] {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: sandbox.pipelines.appendingPathComponent("repos_pipeline/\(stage)").path)) ?? []
            #expect(left.isEmpty, "\(stage) holds \(left)")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.databasePath), "the destination was never touched")
    }
}
