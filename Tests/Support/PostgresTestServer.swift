import Foundation
import HangarTestSupport
import HangarControlPostgres
import Logging
import PostgresNIO
import Synchronization

/// One throwaway PostgreSQL server for this test process, started on first use by
/// `scripts/postgres-server` (socket only, no TCP), and a fresh database for every test.
///
/// The server goes when the process ends: an atexit handler stops it, and should the process be
/// killed instead, the script's watcher sees the pipe this process holds close and stops it then.
/// A child test process (the process claimers) reuses its parent's server through
/// ``socketVariable``.
enum PostgresTestServer {
    static let socketVariable = "HANGAR_POSTGRES_TEST_SOCKET_FOLDER"

    private struct Started: @unchecked Sendable {
        let socketFolder: String
        /// The write end of the watcher's standard input; open while this process lives.
        let watcherInput: FileHandle?
    }

    private static let started: Result<Started, any Error> = Result {
        if let inherited = ProcessInfo.processInfo.environment[socketVariable] {
            return Started(socketFolder: inherited, watcherInput: nil)
        }
        return try start()
    }

    nonisolated(unsafe) private static var folderToStop: UnsafeMutablePointer<CChar>?

    static let script = Checkout.file("scripts/postgres-server").path

    private static func start() throws -> Started {
        // The server runs as the `postgres` user, which must reach the socket folder's parent.
        let parent = FileManager.default.temporaryDirectory
            .appendingPathComponent("hangar-postgres-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let folder = parent.appendingPathComponent("server").path
        let output = parent.appendingPathComponent("start.log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let log = try FileHandle(forWritingTo: output)
        defer { try? log.close() }
        let input = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["start", folder, "--until-stdin-closes"]
        process.standardInput = input
        process.standardOutput = log
        process.standardError = log
        try process.run()
        // The script returns once the server accepts connections (pg_ctl -w, then pg_isready).
        process.waitUntilExit()
        try? input.fileHandleForReading.close()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            throw TestFailure("scripts/postgres-server start failed (\(process.terminationStatus)):\n\(text)")
        }
        folderToStop = strdup(parent.path)
        atexit {
            guard let folder = PostgresTestServer.folderToStop else { return }
            let parent = String(cString: folder)
            _ = system("'\(PostgresTestServer.script)' stop '\(parent)/server' >/dev/null 2>&1; rm -rf '\(parent)'")
        }
        return Started(socketFolder: folder, watcherInput: input.fileHandleForWriting)
    }

    static func socketFolder() throws -> String {
        try started.get().socketFolder
    }

    static func configuration(database: String) throws -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            unixSocketPath: try socketFolder() + "/.s.PGSQL.5432", username: "postgres", password: nil, database: database)
        configuration.options.maximumConnections = 8
        return configuration
    }

    private static let counter = Mutex(0)

    /// A new empty database on the shared server, for one test.
    static func freshDatabase() async throws -> String {
        let name = "hangar_test_\(getpid())_\(counter.withLock { $0 += 1; return $0 })"
        _ = try await withClient(database: "postgres") { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        return name
    }

    /// Runs `body` with a client whose `run()` goes on in a task group beside it, then ends it.
    static func withClient<Result: Sendable>(
        database: String, _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: try configuration(database: database), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// A store on a fresh, migrated database.
    static func withFreshStore<Result: Sendable>(
        clock: (@Sendable () -> Date)? = nil, _ body: @Sendable (PostgresControlStore, String) async throws -> Result
    ) async throws -> Result {
        let database = try await freshDatabase()
        return try await PostgresControlStore.withStore(try configuration(database: database), logger: logger, clock: clock) { store in
            try await body(store, database)
        }
    }

    /// Another store (its own client and connections, like another host) on `database`.
    static func withStore<Result: Sendable>(
        database: String, clock: (@Sendable () -> Date)? = nil, _ body: @Sendable (PostgresControlStore) async throws -> Result
    ) async throws -> Result {
        try await PostgresControlStore.withStore(try configuration(database: database), logger: logger, clock: clock, migrate: false, body)
    }

    static let logger: Logger = {
        var logger = Logger(label: "hangar.tests.postgres")
        logger.logLevel = .critical
        return logger
    }()
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
