import ArgumentParser
import Foundation
import HangarAccount
import HangarFlights
import HangarRunner
import Logging
import ServiceLifecycle

/// `hangar serve`: the always-on part of Hangar. For now it runs the scheduler (the HTTP API and
/// dashboard come later); SIGTERM or Ctrl-C stops it gracefully, and running flights go on under
/// their own supervisors.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the scheduler: start scheduled runs when their cron fires (UTC)."
    )

    @Option(help: "The Hangar home (default $HANGAR_HOME, else ~/.hangar).")
    var home: String?

    @Option(name: .customLong("poll-interval"), help: "Seconds between looks at the schedules (changes take effect within this).")
    var pollInterval: Double = 5

    func run() async throws {
        let hangarHome = HangarHome.resolve(explicit: home)
        // A service logs to standard output, where supervisors (systemd, containers) collect it.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "hangar.serve")
        let flights = try Flights(home: hangarHome)
        let launcher = RunLauncher(home: hangarHome, hangarExecutable: HangarExecutable.url)
        let scheduler = FlightScheduler(flights: flights, pollInterval: pollInterval, logger: Logger(label: "hangar.scheduler")) { run in
            try launcher.launchSupervisor(for: run)
        }
        logger.info("hangar serve: scheduling the flights of \(hangarHome.root.path) (pid \(getpid())); stop with Ctrl-C or SIGTERM")
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: scheduler)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped; running flights continue under their supervisors")
    }
}
