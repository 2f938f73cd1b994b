import ArgumentParser
import HangarFlights
import HangarRunner
import HangarViews

/// `hangar delete FLIGHT`: the flight goes with its versions, runs and logs; runs in progress
/// are stopped.
struct DeleteFlightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a flight with its versions, runs and logs, stopping runs in progress.",
        discussion: """
        --json prints {"deleted_count": 1, "flight_id", "flight_name", "cancelled_runs": [run numbers]}.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name or id.")
    var flight: String

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let deleted = try RunCanceller.deleteFlight(try options.openFlights(), FlightSelector(flight))
            let stopped = deleted.activeRuns.map(\.runNumber)
            if options.json {
                return Console.out(.object([
                    ("deleted_count", .int(1)),
                    ("flight_id", .string(deleted.flight.id.uuidString.lowercased())),
                    ("flight_name", .string(deleted.flight.name)),
                    ("cancelled_runs", .array(stopped.map { .int($0) })),
                ]))
            }
            var text = "Deleted flight \"\(deleted.flight.name)\" (\(deleted.flight.id.uuidString.lowercased())) with its versions, runs and logs.\n"
            if !stopped.isEmpty {
                text += "Stopped \(stopped.count == 1 ? "run" : "runs") in progress: \(stopped.map(String.init).joined(separator: ", ")).\n"
            }
            Console.out(text)
        }
    }
}
