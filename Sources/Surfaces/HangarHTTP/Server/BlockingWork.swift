import NIOPosix

/// Threads for the work handlers must not do on Swift's cooperative pool (two threads on a
/// two-core machine): SQLite calls that may wait on another process's write, DuckDB statements
/// that run for seconds, and waits for a database lease. Handlers `await` it, so a slow query
/// never stalls other requests.
final class BlockingWork: Sendable {
    private let pool: NIOThreadPool

    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
