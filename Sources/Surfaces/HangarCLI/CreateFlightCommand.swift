import ArgumentParser
import HangarFlights

/// `hangar create NAME --source FILE …`: a new flight and its version 1.
struct CreateFlightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a flight from a source file.",
        discussion: """
        The source, runtime, requirements, config, secrets and max runtime make version 1; later \
        changes through 'hangar update' make new versions. Prints the flight as 'hangar show' does.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name: letters, digits, '_', '-' and '.'; unique ignoring case.")
    var name: String

    @Option(help: ArgumentHelp("The program: a Python script or a Swift main file; - reads standard input.", valueName: "file"))
    var source: String

    @Option(help: "The language (default: swift for a .swift source file, else python).")
    var runtime: FlightRuntime?

    @Option(help: ArgumentHelp("A requirements.txt for a Python flight.", valueName: "file"))
    var requirements: String?

    @Option(help: ArgumentHelp("A 5-field cron expression in UTC, like '0 6 * * *'; omit for a flight run on demand.", valueName: "cron"))
    var schedule: String?

    @Option(name: .customLong("catch-up"), help: "Fires missed while no scheduler ran: one run for the latest (the default), none, or one run each.")
    var catchUp: CatchUpPolicy?

    @Option(help: ArgumentHelp("A config entry, which runs see as an environment variable; repeat for more.", valueName: "key=value"))
    var config: [String] = []

    @Option(help: ArgumentHelp("A secret runs get (see 'hangar secret'); repeat for more, the last wins on clashing keys.", valueName: "name"))
    var secret: [String] = []

    @Option(name: .customLong("max-runtime"), help: ArgumentHelp("Seconds a run may take before it is killed and failed; 0 for no limit.", valueName: "seconds"))
    var maxRuntime: Int?

    @OptionGroup var options: FlightCommandOptions

    func validate() throws {
        _ = try KeyValueArguments.parse(config, option: "--config")
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let flights = try options.openFlights()
            let new = NewFlight(
                name: name, sourceCode: try TextFileArgument.read(source, option: "--source"),
                runtime: runtime ?? .inferred(fromSourcePath: source),
                requirementsTxt: try requirements.map { try TextFileArgument.read($0, option: "--requirements") },
                scheduleCron: schedule, catchUp: catchUp ?? .latest,
                config: try KeyValueArguments.parse(config, option: "--config"), secretNames: secret, maxRuntimeSec: maxRuntime)
            let flight = try flights.create(new)
            if !options.json { Console.note("Created flight \"\(flight.name)\"; start a run with: hangar run \(flight.name) --follow") }
            Console.warnAboutYankedReleases(new.runtime == .python ? new.requirementsTxt : nil)
            try ShowFlightCommand.present(flight, flights: flights, json: options.json)
        }
    }
}
