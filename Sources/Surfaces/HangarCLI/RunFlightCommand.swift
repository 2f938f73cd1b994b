import ArgumentParser
import HangarFlights
import HangarRunner
import HangarViews

/// `hangar run FLIGHT`: starts a run under its own supervisor process, and with --wait or
/// --follow stays until it has finished, exiting with its outcome.
struct RunFlightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start a run of a flight's current version.",
        discussion: """
        The run goes on under its own supervisor even if this command ends; Ctrl-C stops \
        waiting, not the run ('hangar cancel' does that). Without --wait or --follow it prints \
        the run, PENDING, and exits 0. --wait prints the finished run; --follow streams its log \
        lines on standard output while it runs (with --json as JSON lines, the finished run \
        object last). Both exit with the run's outcome: 0 SUCCEEDED, 1 FAILED, 6 CANCELLED.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name or id.")
    var flight: String

    @Option(help: ArgumentHelp("Override a config entry the flight defines, for this run only; repeat for more.", valueName: "key=value"))
    var config: [String] = []

    @Flag(help: "Wait until the run has finished and exit with its outcome.")
    var wait = false

    @Flag(help: "Stream the run's log while it runs, then exit with its outcome.")
    var follow = false

    @OptionGroup var options: FlightCommandOptions

    func validate() throws {
        _ = try KeyValueArguments.parse(config, option: "--config")
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let flights = try options.openFlights()
            let launcher = RunLauncher(home: options.hangarHome, hangarExecutable: HangarExecutable.url)
            let started = try launcher.start(flights, FlightSelector(flight), config: try KeyValueArguments.parse(config, option: "--config"))
            let name = started.flightName, number = started.runNumber
            guard wait || follow else {
                if options.json { return Console.out(started.json()) }
                Console.out(started.details)
                return Console.note("Follow it with: hangar logs \(name) \(number) --follow")
            }
            Console.note("Started run \(number) of \"\(name)\" (version \(started.flightVersion)); Ctrl-C stops waiting, not the run: hangar cancel \(name) \(number)")
            let printer = LogPrinter(json: options.json, timestamps: false)
            let finished = try await RunWatcher(flights: flights).waitUntilFinished(started.id, onLines: follow ? printer.print : nil)
            if follow {
                if options.json { Console.out(finished.json().text + "\n") }
                let duration = finished.duration().map { " after \(Timestamps.duration($0))" } ?? ""
                Console.note("Run \(number) of \"\(name)\": \(finished.outcomeText)\(duration)")
            } else {
                Console.out(options.json ? finished.json().pretty + "\n" : finished.details)
            }
            let status = ExitStatus(outcomeOf: finished)
            if status != .success { throw status.exitCode }
        }
    }
}
