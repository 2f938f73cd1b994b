import ArgumentParser
import Foundation
import HangarAccount

/// `hangar lake maintain NAME`: runs a lake's maintenance now.
struct LakeMaintainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintain",
        abstract: "Run a DuckLake database's maintenance now.",
        discussion: """
        Waits up to --wait seconds for the loads in the lake to finish (exit 5 when they keep it \
        busy: nothing is done). --json prints the report: {"lake", "outcome", "steps": [{"name", \
        "count", "seconds"}], "data_files", "snapshots", …}.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The DuckLake database.")
    var name: String

    @Option(help: "Seconds to wait for loads in the lake to finish before giving up.")
    var wait: Double = 600

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let descriptor = try LakeCommand.descriptor(name, options)
            let maintenance = LakeMaintenance(name: name, descriptor: descriptor)
            let report = try maintenance.run(waitingUntil: Date().addingTimeInterval(wait), progress: { step in
                if !options.json { Console.note(step) }
            })
            if options.json {
                Console.out(report.jsonText + "\n")
            } else {
                Console.out(Self.describe(report))
            }
            switch report.outcome {
            case .succeeded, .alreadyRun: return
            case .deferred: throw CommandFailure(.conflict, "loads kept \(name) busy for \(Int(wait)) s; nothing was done (try again, or give a longer --wait)")
            case .failed: throw CommandFailure(.failure, "the maintenance of \(name) failed: \(report.error ?? "unknown error"); the steps before it are done, the lake is consistent")
            }
        }
    }

    /// The report as the terminal shows it (also `hangar lake history`).
    static func describe(_ report: LakeMaintenance.Report) -> String {
        let seconds = String(format: "%.2f", report.finishedAt.timeIntervalSince(report.startedAt))
        var text = "\(report.lake): maintenance \(report.outcome.rawValue.replacingOccurrences(of: "_", with: " ")) in \(seconds) s on \(report.host)"
        if let scheduled = report.scheduledAt { text += " (scheduled for \(Timestamps.human(scheduled)))" }
        text += "\n"
        guard !report.steps.isEmpty else { return text }
        var table = TextTable([.left("step"), .right("count"), .right("seconds")])
        for step in report.steps { table.append([step.name, "\(step.count)", String(format: "%.2f", step.seconds)]) }
        text += table.rendered()
        if let files = report.dataFiles, let snapshots = report.snapshots {
            text += "now \(files) data files, \(snapshots) snapshots\n"
        }
        return text
    }
}
