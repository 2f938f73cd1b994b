import Foundation
import HangarAccount
import HangarFlights
import HangarRunner
import Logging

/// Everything the API's handlers share: the account's home, the platform API (every rule goes
/// through `Flights`, `RunLauncher` and `RunCanceller`), authentication, threads for blocking
/// work, and the server's state (shutting down, the scheduler's state).
public final class HangarAPI: Sendable {
    /// Knobs the tests turn; the defaults are the server's.
    public struct Options: Sendable {
        /// Between looks at the store while streaming a run's log.
        public var streamPollInterval: Duration = .milliseconds(100)
        /// A comment line this often keeps idle streams (and proxies) open.
        public var streamKeepAlive: Duration = .seconds(15)
        /// Threads for store, DuckDB and lease work.
        public var blockingThreads = 16

        public init() {}
    }

    public let home: HangarHome
    public let flights: Flights
    let launcher: RunLauncher
    let authenticator: Authenticator
    let sessions: SessionStore
    let work: BlockingWork
    let shutdown = ShutdownSignal()
    let schedulerStatus: @Sendable () -> SchedulerStatus
    let options: Options
    let logger: Logger

    /// - hangarExecutable: the `hangar` binary whose `supervise` command supervises the runs the
    ///   API starts.
    /// - schedulerStatus: the scheduler's state, for `/healthz`.
    public init(home: HangarHome, flights: Flights, hangarExecutable: URL, options: Options = Options(),
                logger: Logger = Logger(label: "hangar.http"),
                schedulerStatus: @escaping @Sendable () -> SchedulerStatus = { SchedulerStatus(state: .stopped, holder: nil) }) {
        self.home = home
        self.flights = flights
        launcher = RunLauncher(home: home, hangarExecutable: hangarExecutable)
        let sessions = SessionStore()
        self.sessions = sessions
        authenticator = Authenticator(tokens: TokenVerifier(home: home), sessions: sessions)
        work = BlockingWork(threads: options.blockingThreads)
        self.schedulerStatus = schedulerStatus
        self.options = options
        self.logger = logger
    }

    /// Runs platform work off the cooperative pool.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await work.run(body)
    }

    /// Ends open log streams and stops the worker threads; the server calls this as it stops
    /// (an API only used to build a router calls it itself).
    public func close() async {
        shutdown.trigger()
        await work.shutdown()
    }
}

/// Set once the server begins a graceful shutdown: open log streams end, so the server is not
/// kept waiting for streams that would never finish.
final class ShutdownSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var triggered = false

    var isTriggered: Bool { lock.withLock { triggered } }

    func trigger() {
        lock.withLock { triggered = true }
    }
}
