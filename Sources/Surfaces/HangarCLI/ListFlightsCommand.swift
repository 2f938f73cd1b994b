import ArgumentParser
import HangarFlights
import HangarViews

/// `hangar list`: every flight, oldest first, with its schedule's next fire.
struct ListFlightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List flights with their runtime, version, schedule and next fire.",
        discussion: """
        --json prints an array of flight objects (the fields of 'hangar show --json' without "version").

        \(ExitStatus.help)
        """
    )

    @Option(help: "Show at most this many flights.")
    var limit: Int?

    @Option(help: "Skip this many flights first.")
    var offset: Int?

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let flights = try options.openFlights().list(limit: limit, offset: offset)
            if options.json { return Console.out(.array(flights.map(\.summaryJSON))) }
            if flights.isEmpty { return Console.note("No flights yet; create one with: hangar create NAME --source FILE") }
            Console.out(Flight.table(flights))
        }
    }
}
