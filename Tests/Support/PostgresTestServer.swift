import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization
import Testing

/// One throwaway PostgreSQL server for this test process, started on first use by
/// `scripts/postgres-server` (socket only, no TCP), and a fresh database for every test.
///
/// The server goes when the process ends: an atexit handler stops it, and should the process be
/// killed instead, the script's watcher sees the pipe this process holds close and stops it then.
/// A child test process (the process claimers) reuses its parent's server through
/// ``socketVariable``.
///
/// Everything here is synchronous, like the control store: tests call it from plain threads.
public enum PostgresTestServer {
    public static let socketVariable = "HANGAR_POSTGRES_TEST_SOCKET_FOLDER"

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

    /// The folder holding the server's socket (`.s.PGSQL.5432`), starting the server on first use.
    public static func socketFolder() throws -> String {
        try started.get().socketFolder
    }

    private static let counter = Mutex(0)

    /// A new empty database on the shared server, for one test. CREATE DATABASE cannot run in a
    /// transaction, so it goes over a plain connection of its own rather than through a store.
    public static func freshDatabase() throws -> String {
        let name = "hangar_test_\(getpid())_\(counter.withLock { $0 += 1; return $0 })"
        let configuration = PostgresConnection.Configuration(
            unixSocketPath: try socketFolder() + "/.s.PGSQL.5432", username: "postgres", password: nil, database: "postgres")
        let connection = try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 0, logger: logger
        ).wait()
        defer { try? connection.close().wait() }
        _ = try connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger).wait()
        return name
    }

    /// The control store URL of `database` on the test server, as `--control` takes it.
    public static func controlURL(database: String) throws -> String {
        "postgres://postgres@/\(database)?host=\(try socketFolder())"
    }

    /// The key every store of a test process seals secrets with (fixed, so child processes of a
    /// test share it too).
    public static let sealer: SecretSealer = try! SecretSealer(key: Data((0..<32).map { UInt8($0) }))

    /// A store on `database` as another host would have it: its own connections, migrating on
    /// open, sealing with ``sealer`` unless told otherwise.
    public static func store(
        database: String, home: HangarHome, clock: (@Sendable () -> Date)? = nil, sealer: SecretSealer? = nil
    ) throws -> PostgresControlStore {
        try PostgresControlStore(
            url: PostgresControlURL(try controlURL(database: database)), home: home, sealer: sealer ?? Self.sealer,
            clock: clock, logger: logger)
    }

    /// A home for stores that need one but keep nothing in it (coordination tests): a scratch
    /// folder removed with the process.
    public static let home: HangarHome = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-postgres-home-\(getpid())")
        return HangarHome(folder)
    }()

    public static let logger: Logger = {
        var logger = Logger(label: "hangar.tests.postgres")
        logger.logLevel = .critical
        return logger
    }()
}

/// Which control store the flights tests run against: SQLite by default, PostgreSQL with
/// `HANGAR_TEST_CONTROL=postgres` (`make test` runs HangarFlightsTests both ways).
public enum TestControlStore {
    public static let variable = "HANGAR_TEST_CONTROL"

    public static var isPostgres: Bool { ProcessInfo.processInfo.environment[variable] == "postgres" }
}

extension Trait where Self == ConditionTrait {
    /// The test is about the SQLite store (its file, WAL, GRDB's migrator, processes sharing the
    /// file, local process ids): it is skipped when the flights tests run on PostgreSQL.
    public static func sqliteStoreOnly(
        _ reason: Comment = "about the SQLite store; skipped on PostgreSQL (HANGAR_TEST_CONTROL=postgres)"
    ) -> Self {
        .enabled(if: !TestControlStore.isPostgres, reason)
    }

    /// The test is about the PostgreSQL store: it runs only when the flights tests do.
    public static func postgresStoreOnly(
        _ reason: Comment = "runs when the flights tests run on PostgreSQL (HANGAR_TEST_CONTROL=postgres)"
    ) -> Self {
        .enabled(if: TestControlStore.isPostgres, reason)
    }
}
