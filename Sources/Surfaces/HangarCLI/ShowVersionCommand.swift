import ArgumentParser
import HangarFlights
import HangarViews

/// `hangar version FLIGHT N`: one version with its code.
struct ShowVersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Show one version of a flight with its source and requirements.",
        discussion: """
        --json prints the version object of 'hangar versions --json' plus source_code and \
        requirements_txt. --source prints the source alone, as it was given.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name or id.")
    var flight: String

    @Argument(help: "The version number (1, 2, …).")
    var number: Int

    @Flag(help: "Print only the source code.")
    var source = false

    @OptionGroup var options: FlightCommandOptions

    func validate() throws {
        if source && options.json { throw ValidationError("--source prints the code alone; it does not combine with --json.") }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let flights = try options.openFlights()
            let selector = FlightSelector(flight)
            let detail = try flights.version(selector, number: number)
            if options.json { return Console.out(detail.json) }
            if source { return Console.out(detail.sourceCode) }
            Console.out(detail.details(flightName: try flights.flight(selector).name))
        }
    }
}
