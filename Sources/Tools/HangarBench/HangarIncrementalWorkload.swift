#if canImport(HangarIngest)
import Foundation
import HangarIngest

/// Workload 3's Hangar side, run by `HangarBench dlt` as its own process so it is measured like
/// every other run:
///
///     HangarBench hangar-incremental FILE.jsonl DATABASE.duckdb HOME [PAGES]
///
/// The file's records are passed on as JSON text in PAGES pages (default 10), as a REST resource
/// passes an API's pages, by a resource with an incremental cursor on `pushed_at`
/// (`Incremental(cursorPath: "pushed_at")`, last value `max`, no primary key: boundary rows are
/// remembered by a digest of the row), appended to
/// `bench.github_repo_stats` — what `bench/dlt_workload.py incremental` does with
/// `dlt.sources.incremental("pushed_at")`. Prints the LoadInfo as JSON.
enum HangarIncrementalWorkload {
    static let unavailable: String? = nil

    static func main(_ arguments: [String]) throws {
        guard arguments.count >= 3, let file = arguments.first else {
            throw BenchFailure("usage: HangarBench hangar-incremental FILE.jsonl DATABASE.duckdb HOME [PAGES]")
        }
        let database = arguments[1], home = URL(fileURLWithPath: arguments[2], isDirectory: true)
        let pages = arguments.count > 3 ? max(1, Int(arguments[3]) ?? 10) : 10
        let records = try countLines(file)
        let pageRows = max(1, (records + pages - 1) / pages)

        let resource = Resource(DltComparison.table, hints: TableHints(table: DltComparison.table),
                                incremental: Incremental(cursorPath: "pushed_at")) { emit in
            // Each page goes to the pipeline as the JSON text it is, as a REST resource passes an
            // API's pages on (`emit.page`); the file is read in chunks of whole lines, as dlt's
            // side reads it line by line, so it is never in memory whole.
            var page = Data()
            var pageLines = 0
            try forEachChunkOfLines(file) { chunk in
                try chunk.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                    guard let base = bytes.baseAddress else { return }
                    var start = 0
                    while start < bytes.count {
                        // The chunk's lines up to the page's end, or up to the chunk's.
                        var end = start
                        while pageLines < pageRows, end < bytes.count {
                            let newline = memchr(base + end, 0x0A, bytes.count - end)
                            end = newline.map { base.distance(to: $0) + 1 } ?? bytes.count
                            pageLines += 1
                        }
                        page.append(contentsOf: bytes[start..<end])
                        start = end
                        if pageLines == pageRows {
                            try emit.json(page)
                            page.removeAll(keepingCapacity: true)
                            pageLines = 0
                        }
                    }
                }
            }
            if !page.isEmpty { try emit.json(page) }
        }
        let output = try blocking {
            let pipeline = try Pipeline(name: "bench", destination: .duckdb(path: database), dataset: DltComparison.dataset,
                                        pipelinesDirectory: home.appendingPathComponent("pipelines", isDirectory: true))
            let info = try await pipeline.run(resource, loaderFileFormat: .parquet)
            return String(decoding: try info.jsonData(), as: UTF8.self)
        }
        print(output)
    }

    private static let chunkBytes = 4 << 20

    private static func countLines(_ file: String) throws -> Int {
        var lines = 0
        try forEachChunkOfLines(file) { chunk in
            chunk.withUnsafeBytes { bytes in
                guard let base = bytes.baseAddress else { return }
                var offset = 0
                while offset < bytes.count, let newline = memchr(base + offset, 0x0A, bytes.count - offset) {
                    lines += 1
                    offset = base.distance(to: newline) + 1
                }
            }
        }
        return lines
    }

    /// Calls `body` with successive pieces of the file that end at a line end (the last piece
    /// with whatever follows the last line end).
    private static func forEachChunkOfLines(_ file: String, _ body: (Data) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw BenchFailure("cannot read \(file)") }
        defer { try? handle.close() }
        var carry = Data()
        while let chunk = try handle.read(upToCount: chunkBytes), !chunk.isEmpty {
            carry.append(chunk)
            guard let lastNewline = carry.lastIndex(of: 0x0A) else { continue }
            try body(carry[carry.startIndex...lastNewline])
            carry = Data(carry[(lastNewline + 1)...])
        }
        if !carry.isEmpty { try body(carry) }
    }

    /// Runs `body` on the concurrency runtime and waits for it; HangarBench's top level is synchronous.
    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

/// Carries a result from the task to the waiting thread; the semaphore orders the accesses.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
#else
/// Without the ingest engine linked into HangarBench, workload 3 reports why it did not run.
enum HangarIncrementalWorkload {
    static let unavailable: String? = """
        HangarBench is not linked with HangarIngest (add "HangarIngest" to HangarBench's dependencies in Package.swift), \
        so the Hangar side of the incremental workload cannot run
        """

    static func main(_ arguments: [String]) throws {
        throw BenchFailure(unavailable!)
    }
}
#endif
