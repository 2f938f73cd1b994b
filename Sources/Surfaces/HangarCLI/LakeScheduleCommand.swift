import ArgumentParser
import Foundation
import HangarAccount

/// `hangar lake schedule NAME CRON`: when `hangar serve` maintains a lake, and what it keeps.
struct LakeScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Set when hangar serve runs a DuckLake database's maintenance, and what it keeps.",
        discussion: """
        CRON is five fields in UTC, as for flights ('0 3 * * *': every day at 03:00). --off removes \
        the schedule (maintenance then runs only by hand, `hangar lake maintain`). Without CRON or \
        --off it prints the current settings. Hosts sharing the lake run each fire once: the first \
        records it in the lake's catalog.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The DuckLake database.")
    var name: String

    @Argument(help: "A five-field cron expression (UTC).")
    var cron: String?

    @Flag(help: "Remove the schedule.")
    var off = false

    @Option(name: .customLong("expire-older-than"), help: "Expire snapshots (time travel) older than this DuckDB interval.")
    var expireOlderThan: String?

    @Option(name: .customLong("delete-older-than"), help: "Delete unneeded files once older than this DuckDB interval.")
    var deleteOlderThan: String?

    @OptionGroup var options: FlightCommandOptions

    func validate() throws {
        if off, cron != nil { throw ValidationError("give CRON or --off, not both") }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            var settings = try LakeCommand.descriptor(name, options).maintenance ?? LakeMaintenanceSettings()
            let changes = cron != nil || off || expireOlderThan != nil || deleteOlderThan != nil
            if let cron { settings.schedule = cron }
            if off { settings.schedule = nil }
            if let expireOlderThan { settings.expireOlderThan = expireOlderThan }
            if let deleteOlderThan { settings.deleteOlderThan = deleteOlderThan }
            if changes {
                do {
                    try DuckLakeCreation(home: options.hangarHome).setMaintenance(name: name, settings)
                } catch let error as DuckLakeError {
                    throw CommandFailure(.invalidInput, error.message)
                }
            }
            let next = settings.nextFire(after: Date())
            if options.json {
                Console.out(.object([
                    ("lake", .string(name)), ("schedule", .string(settings.schedule)),
                    ("next_fire", .string(next.map { Timestamps.iso($0, fractional: false) })),
                    ("expire_older_than", .string(settings.expireOlderThan)), ("delete_older_than", .string(settings.deleteOlderThan)),
                ]))
                return
            }
            Console.out(TextTable.details([
                ("lake", name),
                ("schedule", settings.schedule.map { "\($0) (UTC)" } ?? "none: run by hand with hangar lake maintain \(name)"),
                ("next fire", next.map { Timestamps.human($0) } ?? "-"),
                ("expire snapshots older than", settings.expireOlderThan),
                ("delete files older than", settings.deleteOlderThan),
            ]))
        }
    }
}
