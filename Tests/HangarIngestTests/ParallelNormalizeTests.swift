import DuckDB
import Foundation
@testable import HangarIngest
import Testing

/// Several workers normalizing shares of a package give exactly what one worker gives.
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

    @Test(arguments: [2, 3, 5])
    func severalWorkersGiveTheSameTablesAsOne(workers: Int) async throws {
        let (sequential, one) = try await load(Self.rows, workers: 1)
        let (parallel, several) = try await load(Self.rows, workers: workers)
        #expect(try parallel.query(Self.checksum) == sequential.query(Self.checksum))
        #expect(several.rowCounts == one.rowCounts)
        let types = "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'github' ORDER BY table_name, column_name"
        #expect(try parallel.query(types) == sequential.query(types))
        // Job files of every worker were loaded, each worker's from its own share of file ids.
        let jobs = parallel.pipelines.appendingPathComponent("repos_pipeline/load/loaded/\(several.packages[0].loadID)/completed_jobs")
        let names = try FileManager.default.contentsOfDirectory(atPath: jobs.path).filter { $0.hasPrefix("repos.") }.sorted()
        for worker in 0..<workers {
            let first = "repos.\(String(format: "%05d", worker * (JobName.fileIDs / workers))).0."
            #expect(names.contains { $0.hasPrefix(first) }, "no \(first)* among \(names)")
        }
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
    /// still gives each of two workers half of the parts, and otherwise the halves nearest in size.
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
        #expect(Pipeline.contiguousRuns(sizes, count: 2) == [0..<split, split..<sizes.count])
    }

    /// More workers: each run comes nearest an equal share of what the runs before it left, and
    /// every worker gets at least one part.
    @Test(arguments: [
        ([1, 1, 1, 1, 1, 1], 3, [0..<2, 2..<4, 4..<6]),
        ([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 3, [0..<1, 1..<6, 6..<11]),
        ([1, 1, 1, 10], 3, [0..<2, 2..<3, 3..<4]),
        ([5, 5, 5], 3, [0..<1, 1..<2, 2..<3]),
        ([3, 3, 3, 3, 3, 3, 3, 3], 4, [0..<2, 2..<4, 4..<6, 6..<8]),
        ([8, 8, 8, 8, 8, 8, 8, 8, 8, 2], 5, [0..<2, 2..<4, 4..<6, 6..<8, 8..<10]),
    ])
    func partsAreCutIntoRunsNearestInSize(sizes: [Int], count: Int, runs: [Range<Int>]) {
        #expect(Pipeline.contiguousRuns(sizes, count: count) == runs)
    }

    @Test func aWorkerWhoseFilesRunPastItsFileIDsFailsRatherThanInterleave() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jobwriters-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writers = JobWriters(folder: folder, format: .jsonl, maxFileBytes: 1, fileIDs: 10..<12)
        let column = ColumnSchema(name: "id", dataType: .bigint)
        for id in 0..<3 { try writers.write(TableBatch(table: "t", columns: [column], buffers: [.bigint([Int64(id)])])) }
        let error = #expect(throws: IngestError.self) { try writers.finish() }
        #expect(error?.kind == .loaderFile)
    }
}
