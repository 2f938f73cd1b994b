import ArgumentParser
import HangarFlights
import HangarViews

/// `hangar run-info FLIGHT N`: one run's status, timestamps, config and outcome.
struct ShowRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-info",
        abstract: "Show one run: status, failure reason, timestamps, config and exit code.",
        discussion: """
        --json prints the run object of 'hangar runs --json'. The exit status says whether the \
        run could be shown, not how it went.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name or id.")
    var flight: String

    @Argument(help: "The run number (1, 2, …).")
    var runNumber: Int

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let flights = try options.openFlights()
            try flights.reconcileOrphans()
            let run = try flights.run(FlightSelector(flight), number: runNumber)
            Console.out(options.json ? run.json().pretty + "\n" : run.details)
        }
    }
}
