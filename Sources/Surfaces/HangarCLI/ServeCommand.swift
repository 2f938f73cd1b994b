import ArgumentParser
import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights
import HangarHTTP
import HangarMetrics
import HangarRunner
import Logging
import ServiceLifecycle
import InstallLayout

/// `hangar serve`: the always-on part of Hangar, one process of swift-service-lifecycle
/// services: the HTTP API and dashboard, the scheduler, and the DuckLake maintenance schedules. SIGTERM or Ctrl-C stops it
/// gracefully (no new requests or fires; requests in flight finish); running flights go on under
/// their own supervisors unless `--cancel-runs-on-exit`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API and dashboard, and start scheduled runs when their cron fires (UTC).",
        discussion: """
        The first line printed is `listening on http://HOST:PORT`. Every endpoint but /healthz and \
        the dashboard's files needs the API token (`hangar token show`), made on the first start.
        """
    )

    @Option(help: "The Hangar home (default $HANGAR_HOME, else ~/.hangar).")
    var home: String?

    @Option(help: "The address to listen on. Anything but a loopback address (127.0.0.1, ::1, localhost) reaches other machines.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one (the first line printed says which).")
    var port = 8080

    @Option(name: .customLong("poll-interval"), help: "Seconds between looks at the schedules (changes take effect within this).")
    var pollInterval: Double = 5

    @Flag(inversion: .prefixedNo, help: "On a shared control store (--control postgres://…), also run work here as a worker would; --no-work only serves and schedules.")
    var work = true

    @Option(help: "With a shared control store and --work: how many runs this server runs at once.")
    var slots = max(1, ProcessInfo.processInfo.activeProcessorCount)

    @Flag(name: .customLong("cancel-runs-on-exit"), help: "On SIGTERM or Ctrl-C, cancel the runs in progress (by default they go on under their supervisors).")
    var cancelRunsOnExit = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port).") }
        guard pollInterval > 0 else { throw ValidationError("--poll-interval must be more than 0 seconds.") }
        guard slots >= 1 else { throw ValidationError("--slots must be at least 1, not \(slots).") }
    }

    func run() async throws {
        let hangarHome = HangarHome.resolve(explicit: home)
        // A service logs to standard output, where supervisors (systemd, containers) collect it.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "hangar.serve")
        let flights = try ControlStoreSelection.flights(home: hangarHome)

        // The token is made on the first start and never printed or logged.
        let tokenFile = ServerToken.file(in: hangarHome).path
        let madeToken: Bool
        do {
            madeToken = try ServerToken.ensure(in: hangarHome).created
        } catch {
            FileHandle.standardError.write(Data("hangar serve: \(error)\n".utf8))
            throw ExitCode.failure
        }
        if !HangarHTTPServer.isLoopback(host) {
            // Another machine may only ever reach an API that demands the token.
            guard (try? ServerToken.read(in: hangarHome)) != nil else {
                FileHandle.standardError.write(Data("hangar serve: refusing to listen on \(host) without an API token in \(tokenFile); run `hangar token rotate` to make one\n".utf8))
                throw ExitStatus.invalidInput.exitCode
            }
            FileHandle.standardError.write(Data("""
                warning: listening on \(host) reaches other machines. Every request but /healthz needs the API token, \
                but this is plain HTTP: anyone who can see the traffic can see the token. Put a TLS proxy in front on \
                networks you don't trust.\n
                """.utf8))
        }

        // Metrics: swift-metrics into a Prometheus registry, which `/metrics` renders; the runs
        // of every process are counted from the store.
        let metrics = MetricsExposition()
        metrics.bootstrap()
        let runMetrics = RunMetricsCollector(flights: flights, logger: Logger(label: "hangar.metrics"))

        let launcher = RunLauncher(home: hangarHome, hangarExecutable: HangarExecutable.url, sharedStore: flights.store.isShared)
        let scheduler = FlightScheduler(flights: flights, pollInterval: pollInterval, logger: Logger(label: "hangar.scheduler")) { run in
            try launcher.launchSupervisor(for: run)
        }
        let readiness = ServerReadiness()
        let schedulerWatch = ServiceWatch()
        let api = HangarAPI(home: hangarHome, flights: flights, hangarExecutable: HangarExecutable.url,
                            logger: Logger(label: "hangar.http")) {
            SchedulerStatus.observe(home: hangarHome, watch: schedulerWatch)
        }
        let server = HangarHTTPServer(
            host: host, port: port, api: api,
            authenticatedRoutes: [MetricsRoutes.registration(metrics)],
            readiness: readiness
        ) { url in
            // Straight to the descriptor, so a script reading the pipe sees it at once; nothing is
            // printed before it (the scheduler starts after), so it is the first line.
            FileHandle.standardOutput.write(Data("listening on \(url)\n".utf8))
        }
        let path = hangarHome.root.path
        let deferredScheduler = StartsAfterListening(scheduler, readiness: readiness, watch: schedulerWatch) {
            logger.info("hangar serve: scheduling the flights of \(path) (pid \(getpid())); stop with Ctrl-C or SIGTERM")
            if madeToken { logger.notice("created the API token in \(tokenFile) (owner-only); `hangar token show` prints it") }
            // A binary copied out of its tree still serves the API, but its Python runs and the
            // dashboard would each fail later: say so once, at the start.
            if InstallLayout.current() == nil {
                logger.warning("""
                    Hangar's parts (the Python side of runs, the dashboard, the demo's flights) are not beside \(HangarExecutable.url.path): \
                    Python runs and the dashboard will fail; reinstall Hangar (make install), or set HANGAR_PREFIX to its tree
                    """)
            }
        }

        var configuration = ServiceGroupConfiguration(
            services: [
                .init(service: server, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: deferredScheduler, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: runMetrics),
                .init(service: LakeMaintenanceScheduler(home: hangarHome)),
            ] + workerServices(flights, readiness: readiness),
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Requests in flight get this long to finish; then the group is cancelled.
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch {
            FileHandle.standardError.write(Data("hangar serve: cannot serve on \(host):\(port): \(error)\n".utf8))
            throw ExitCode.failure
        }

        guard cancelRunsOnExit, !flights.store.isShared else {
            logger.info("stopped; running flights continue under their supervisors")
            return
        }
        var cancelled = 0
        for run in (try? flights.runsInProgress()) ?? [] {
            do {
                _ = try RunCanceller.cancel(flights, .id(run.flightID), runNumber: run.runNumber)
                cancelled += 1
            } catch {
                // Finished (or deleted) since it was listed: nothing left to cancel.
            }
        }
        logger.info("stopped; cancelled \(cancelled) run\(cancelled == 1 ? "" : "s") in progress")
    }

    /// On a shared store, the worker this server runs unless --no-work; on the embedded store
    /// runs are started by whoever triggers them, as always.
    private func workerServices(_ flights: Flights, readiness: ServerReadiness) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard work, let store = flights.store as? PostgresControlStore else { return [] }
        let worker = RunWorker(store: store, name: "\(ProcessInfo.processInfo.hostName)-serve-\(getpid())", slots: slots,
                               hangarExecutable: HangarExecutable.url)
        // After listening, like the scheduler: the first line printed stays `listening on …`.
        return [.init(service: StartsAfterListening(worker, readiness: readiness), successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)]
    }
}
