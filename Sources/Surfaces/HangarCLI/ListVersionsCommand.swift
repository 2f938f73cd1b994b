import ArgumentParser
import HangarFlights
import HangarViews

/// `hangar versions FLIGHT`: a flight's versions, newest first.
struct ListVersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions",
        abstract: "List a flight's versions, newest first.",
        discussion: """
        --json prints an array of version objects (version_id, flight_id, flight_version, \
        created_at, access_token_name, flight_secret_names, config, max_runtime_sec, \
        instance_type, runtime).

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name or id.")
    var flight: String

    @Option(help: "Show at most this many versions.")
    var limit: Int = 50

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let versions = try options.openFlights().versions(FlightSelector(flight), limit: limit)
            if options.json { return Console.out(.array(versions.map(\.json))) }
            Console.out(FlightVersion.table(versions))
        }
    }
}
