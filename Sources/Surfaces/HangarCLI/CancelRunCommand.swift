import ArgumentParser
import HangarFlights
import HangarRunner
import HangarViews

/// `hangar cancel FLIGHT N`: stops a pending or running run; it finishes as CANCELLED.
struct CancelRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a pending or running run.",
        discussion: """
        A run no supervisor has taken yet is cancelled at once; otherwise its supervisor kills \
        the program's processes (TERM, then KILL) and records the run as CANCELLED, which --wait \
        waits for. --json prints the run object as it stands. Cancelling a finished run exits 5.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name or id.")
    var flight: String

    @Argument(help: "The run number (1, 2, …).")
    var runNumber: Int

    @Flag(help: "Wait until the run has stopped.")
    var wait = false

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let flights = try options.openFlights()
            var run = try RunCanceller.cancel(flights, FlightSelector(flight), runNumber: runNumber)
            if wait && !run.status.isFinished {
                run = try await RunWatcher(flights: flights).waitUntilFinished(run.id)
            }
            if options.json { return Console.out(run.json()) }
            let which = "run \(run.runNumber) of \"\(run.flightName)\""
            switch run.status {
            case .cancelled: Console.out("Cancelled \(which).\n")
            case .pending, .running:
                Console.out("Asked the supervisor to cancel \(which); it stops the program and records the run as CANCELLED (--wait waits for that).\n")
            case .succeeded, .failed: Console.out("\(which.prefix(1).uppercased() + which.dropFirst()) finished as \(run.outcomeText) before the cancel took effect.\n")
            }
        }
    }
}
