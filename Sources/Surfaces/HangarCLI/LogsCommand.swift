import ArgumentParser
import HangarFlights
import HangarRunner

/// `hangar logs FLIGHT N`: a run's captured output, whole, its tail, or followed live.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a run's log: standard output and error interleaved as captured.",
        discussion: """
        Secret values were masked when the lines were captured. --json prints one JSON object \
        per line (line_number, reported_at, line, stream, and message, the API contract's name for line). --follow keeps printing new lines \
        until the run has finished, then exits 0 whatever its outcome.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name or id.")
    var flight: String

    @Argument(help: "The run number (1, 2, …).")
    var runNumber: Int

    @Flag(help: "Keep printing lines as they come until the run has finished.")
    var follow = false

    @Option(help: ArgumentHelp("Start with the last N lines only.", valueName: "n"))
    var tail: Int?

    @Flag(help: "Put the time each line was captured (UTC) before it.")
    var timestamps = false

    @OptionGroup var options: FlightCommandOptions

    func validate() throws {
        if let tail, tail < 0 { throw ValidationError("--tail takes 0 or more lines, not \(tail).") }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let flights = try options.openFlights()
            let selector = FlightSelector(flight)
            try flights.reconcileOrphans()
            let run = try flights.run(selector, number: runNumber)
            let printer = LogPrinter(json: options.json, timestamps: timestamps)
            let watcher = RunWatcher(flights: flights)
            var last = 0
            if let tail {
                // The newest lines first, turned around; with --tail 0 only the position is needed.
                let newest = try flights.logs(selector, runNumber: runNumber, limit: max(tail, 1), order: .descending)
                last = newest.first?.lineNumber ?? 0
                if tail > 0 { printer.print(newest.reversed()) }
            } else {
                last = try watcher.readLines(run.id, after: 0, printer.print)
            }
            if follow && !run.status.isFinished {
                _ = try await watcher.waitUntilFinished(run.id, after: last, onLines: printer.print)
            } else if last == 0 && !options.json {
                Console.note("Run \(run.runNumber) of \"\(run.flightName)\" has no log lines (\(run.status.rawValue)).")
            }
        }
    }
}
