import ArgumentParser
import Foundation
import HangarAccount

/// `hangar lake history NAME`: the lake's maintenance runs, from every host.
struct LakeHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List a DuckLake database's maintenance runs (every host's), newest first.",
        discussion: """
        --json prints an array of the reports `hangar lake maintain --json` prints.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The DuckLake database.")
    var name: String

    @Option(help: "How many runs to list.")
    var limit = 20

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let descriptor = try LakeCommand.descriptor(name, options)
            let reports = try LakeMaintenanceHistory(location: descriptor.location).recent(limit: limit)
            if options.json {
                Console.out("[" + reports.map(\.jsonText).joined(separator: ",\n") + "]\n")
                return
            }
            if reports.isEmpty { return Console.note("No maintenance of \(name) yet; run it with: hangar lake maintain \(name)") }
            var table = TextTable([.left("started"), .left("outcome"), .left("host"), .right("seconds"), .left("did")])
            for report in reports {
                let did = report.steps.filter { $0.count > 0 }.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
                table.append([Timestamps.human(report.startedAt), report.outcome.rawValue, report.host,
                              String(format: "%.2f", report.finishedAt.timeIntervalSince(report.startedAt)),
                              report.error ?? (did.isEmpty ? "-" : did)])
            }
            Console.out(table.rendered())
        }
    }
}
