import DuckDB
import Foundation
@testable import HangarIngest
import Testing

/// Two workers normalizing halves of a package give exactly what one worker gives.
struct ParallelNormalizeTests {
    static func options(workers: Int) -> PipelineOptions {
        var options = PipelineOptions()
        options.normalizeWorkers = workers
        options.parallelNormalizeBytes = 0
        options.extractPartBytes = 2_000
        // Rows go through extracted files, whose parts the workers share.
        options.normalizeWhileExtracting = false
        return options
    }

    static let rows: [IngestValue] = (0..<400).map { i in
        var fields: [(key: String, value: IngestValue)] = [(key: "id", value: .int(Int64(i))), (key: "name", value: .string("repo \(i)"))]
        fields.append((key: "owner", value: .object([(key: "login", value: .string("o\(i % 7)"))])))
        fields.append((key: "topics", value: .array((0..<(i % 3)).map { .string("t\($0)") })))
        // The second half brings a new column and widens a bigint column to double.
        if i >= 200 { fields.append((key: "license", value: .string("MIT"))) }
        fields.append((key: "ratio", value: i >= 300 ? .double(Double(i) + 0.5) : .int(Int64(i))))
        return .object(fields)
    }

    func load(_ rows: [IngestValue], workers: Int, hints: TableHints = TableHints(table: "repos")) async throws -> (IngestSandbox, LoadInfo) {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline(options: Self.options(workers: workers))
        let info = try await pipeline.run(Resource.rows("repos", rows, hints: hints))
        return (sandbox, info)
    }

    static let checksum = """
        SELECT count(*), sum(id), string_agg(name || coalesce(license, '-') || ratio::VARCHAR || owner__login, ',' ORDER BY id),
               (SELECT string_agg(r.id::VARCHAR || ':' || t.value || ':' || t._dlt_list_idx::VARCHAR, ',' ORDER BY r.id, t._dlt_list_idx)
                FROM github.repos__topics t JOIN github.repos r ON t._dlt_parent_id = r._dlt_id)
        FROM github.repos
        """

    @Test func twoWorkersGiveTheSameTablesAsOne() async throws {
        let (sequential, one) = try await load(Self.rows, workers: 1)
        let (parallel, two) = try await load(Self.rows, workers: 2)
        #expect(try parallel.query(Self.checksum) == sequential.query(Self.checksum))
        #expect(two.rowCounts == one.rowCounts)
        let types = "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'github' ORDER BY table_name, column_name"
        #expect(try parallel.query(types) == sequential.query(types))
        // Job files of both workers were loaded, in order.
        let jobs = parallel.pipelines.appendingPathComponent("repos_pipeline/load/loaded/\(two.packages[0].loadID)/completed_jobs")
        let names = try FileManager.default.contentsOfDirectory(atPath: jobs.path).filter { $0.hasPrefix("repos.") }.sorted()
        #expect(names.contains { $0.hasPrefix("repos.5") } && names.contains { $0.hasPrefix("repos.0") })
    }

    @Test func halvesThatDisagreeOnATypeFallBackToOneWorker() async throws {
        // The first half sees only numbers in "score", the second only text: one worker would
        // keep bigint and put the text into a variant column.
        let rows: [IngestValue] = (0..<400).map { i in
            .object([(key: "id", value: .int(Int64(i))), (key: "score", value: i < 200 ? .int(Int64(i)) : .string("s\(i)"))])
        }
        let (sequential, _) = try await load(rows, workers: 1)
        let (parallel, _) = try await load(rows, workers: 2)
        let query = "SELECT count(score), count(score__v_text), max(score__v_text) FROM github.repos"
        #expect(try parallel.query(query) == sequential.query(query))
        #expect(try parallel.query(query) == [[.bigint(200), .bigint(200), .varchar("s399")]])
    }

    @Test func errorsNameTheSameRowAsInOneWorker() async throws {
        var rows = Self.rows
        rows[350] = .object([(key: "name", value: .string("no id"))])
        let hints = TableHints(table: "repos", primaryKey: ["id"])
        let sequential = await #expect(throws: IngestError.self) { try await load(rows, workers: 1, hints: hints) }
        let parallel = await #expect(throws: IngestError.self) { try await load(rows, workers: 2, hints: hints) }
        #expect(parallel?.message.contains("row 351: the primary key column id is missing") == true)
        #expect(parallel?.message.components(separatedBy: " (the extracted package").first == sequential?.message.components(separatedBy: " (the extracted package").first)
    }

    /// Extracted parts each run a line past their nominal size and the last is short: the cut
    /// still gives each worker half of the parts, and otherwise the halves nearest in size.
    @Test(arguments: [
        ([7_350_300, 7_350_250, 7_350_410, 7_350_280, 7_350_330, 7_350_390, 7_350_200, 7_350_310, 7_350_270,
          7_350_330, 7_350_300, 7_350_250, 7_350_410, 7_350_280, 7_350_330, 7_350_390, 7_350_200, 7_344_000], 9),
        ([7_000_400, 6_999_600], 1),
        ([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 1),
        ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 10], 10),
        ([1, 1, 1, 10], 3),
        ([3, 3, 3], 1),
        ([2, 2, 5, 3], 2),
    ])
    func partsAreCutIntoTheHalvesNearestInSize(sizes: [Int], split: Int) {
        #expect(Pipeline.halfway(sizes) == split)
    }
}
