import ArgumentParser
import Foundation
import HangarFlights
import HangarViews

/// `hangar show FLIGHT`: one flight with its current version's settings and its next fire.
struct ShowFlightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a flight: its current version's settings, schedule, next fire and last run.",
        discussion: """
        --json prints the flight's summary fields with the current version (without its code) \
        under "version"; 'hangar version FLIGHT N' shows a version's code.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name or id.")
    var flight: String

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let flights = try options.openFlights()
            try Self.present(try flights.flight(FlightSelector(flight)), flights: flights, json: options.json)
        }
    }

    /// Prints a flight as `show`, `create` and `update` do.
    static func present(_ flight: Flight, flights: Flights, json: Bool) throws {
        let selector = FlightSelector.id(flight.id)
        let version = try flights.currentVersion(selector)
        try flights.reconcileOrphans()
        let lastRun = try flights.runs(selector, limit: 1).first
        if json { return Console.out(flight.detailJSON(version: version, lastRun: lastRun)) }
        Console.out(flight.details(version: version.version, lastRun: lastRun))
    }
}
