import ArgumentParser
import HangarFlights
import HangarViews

/// `hangar runs FLIGHT`: a flight's runs, newest first.
struct ListRunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List a flight's runs, newest first.",
        discussion: """
        --json prints an array of run objects: run_id, flight_id, flight_name, flight_version, \
        config, run_number, is_scheduled, status (RUN_STATUS_PENDING, _RUNNING, _SUCCEEDED, \
        _FAILED, _CANCELLED), created_at, started_at, ended_at, scheduled_at, cancelled_at, \
        exit_code, cancel_requested_at, failure_reason, failure_detail. Times are UTC ISO-8601.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name or id.")
    var flight: String

    @Option(help: "Show at most this many runs.")
    var limit: Int?

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let flights = try options.openFlights()
            // Runs whose supervisor died show as FAILED instead of running forever.
            try flights.reconcileOrphans()
            let runs = try flights.runs(FlightSelector(flight), limit: limit)
            if options.json { return Console.out(.array(runs.map { $0.json() })) }
            if runs.isEmpty { return Console.note("Flight \(flight) has no runs yet; start one with: hangar run \(flight)") }
            Console.out(FlightRun.table(runs))
        }
    }
}
