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
            // API's pages on (`emit.page`). The file is read page by page, never whole.
            try forEachPage(of: file, lines: pageRows) { page in try emit.json(page) }
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

    /// The file's lines that hold something, as `bench/dlt_workload.py` counts them before its
    /// resource pages the file. Read through one buffer, counted with memchr: the Data chunks
    /// this used (a copy of each, then of the carried remainder) took 0.2-0.3 s of the Hangar
    /// side's time for 132 MB, where Python's C-level line loop takes about 0.1 s.
    private static func countLines(_ file: String) throws -> Int {
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else { throw BenchFailure("cannot read \(file)") }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkBytes, alignment: 64)
        defer { buffer.deallocate() }
        // A line holds something when a byte other than white space comes before its newline.
        var lines = 0, lineHasContent = false
        while true {
            let got = read(descriptor, buffer, chunkBytes)
            guard got >= 0 else { throw BenchFailure("cannot read \(file): \(String(cString: strerror(errno)))") }
            if got == 0 { break }
            let bytes = buffer.assumingMemoryBound(to: UInt8.self)
            var offset = 0
            while offset < got {
                let newline = memchr(bytes + offset, 0x0A, got - offset).map { buffer.distance(to: $0) } ?? got
                if !lineHasContent {
                    lineHasContent = (offset..<newline).contains { bytes[$0] != 0x20 && bytes[$0] != 0x09 && bytes[$0] != 0x0D }
                }
                if newline < got {
                    if lineHasContent { lines += 1 }
                    lineHasContent = false
                }
                offset = newline + 1
            }
        }
        return lineHasContent ? lines + 1 : lines
    }

    /// Calls `body` with pages of `pageRows` lines of the file (the last with what is left). Each
    /// page is read into a buffer of its own, as an HTTP client reads a response body, and the
    /// page owns it: the bytes are copied once, from the file; only those read past a page's end
    /// move to the next page's buffer.
    private static func forEachPage(of file: String, lines pageRows: Int, _ body: (Data) throws -> Void) throws {
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else { throw BenchFailure("cannot read \(file)") }
        defer { close(descriptor) }
        var capacity = chunkBytes * 4
        var buffer = malloc(capacity)?.assumingMemoryBound(to: UInt8.self)
        defer { free(buffer) }
        // `counted` bytes of the `filled` hold `lines` whole lines.
        var filled = 0, counted = 0, lines = 0, atEnd = false
        while let current = buffer {
            while lines < pageRows, let newline = memchr(current + counted, 0x0A, filled - counted) {
                counted = UnsafeRawPointer(current).distance(to: UnsafeRawPointer(newline)) + 1
                lines += 1
            }
            if lines == pageRows || atEnd && filled > 0 {
                // A page: it takes the buffer; what follows it moves to a new one.
                let pageBytes = lines == pageRows ? counted : filled
                guard let next = malloc(capacity)?.assumingMemoryBound(to: UInt8.self) else { throw BenchFailure("out of memory reading \(file)") }
                buffer = next
                memcpy(next, current + pageBytes, filled - pageBytes)
                filled -= pageBytes
                counted = 0
                lines = 0
                try body(Data(bytesNoCopy: current, count: pageBytes, deallocator: .free))
                continue
            }
            if atEnd { break }
            if filled + chunkBytes > capacity {
                guard let grown = realloc(current, capacity * 2) else { throw BenchFailure("out of memory reading \(file)") }
                capacity *= 2
                buffer = grown.assumingMemoryBound(to: UInt8.self)
                continue
            }
            let got = read(descriptor, current + filled, chunkBytes)
            guard got >= 0 else { throw BenchFailure("cannot read \(file): \(String(cString: strerror(errno)))") }
            atEnd = got == 0
            filled += got
        }
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
