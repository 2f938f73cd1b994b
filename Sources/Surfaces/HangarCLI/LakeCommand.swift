import ArgumentParser
import HangarAccount

/// `hangar lake maintain|schedule|history`: the maintenance of the account's DuckLake databases.
struct LakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lake",
        abstract: "Maintain the account's DuckLake databases: snapshot expiry, compaction, file cleanup.",
        discussion: """
        Maintenance flushes inlined rows to Parquet, expires snapshots older than EXPIRE_OLDER_THAN \
        (default \(LakeMaintenanceSettings.defaultExpireOlderThan)), merges small adjacent files, rewrites \
        files that are mostly deleted, and deletes files no snapshot needs once they are older than \
        DELETE_OLDER_THAN (default \(LakeMaintenanceSettings.defaultDeleteOlderThan)). It runs only \
        while no load is in the lake; loads that arrive meanwhile wait for it. `hangar serve` runs it \
        on the schedule `hangar lake schedule` sets; every run is recorded in the lake's catalog.
        """,
        subcommands: [LakeMaintainCommand.self, LakeScheduleCommand.self, LakeHistoryCommand.self]
    )

    /// The lake `name` of the home in `options`, or a not-found failure saying what exists.
    static func descriptor(_ name: String, _ options: FlightCommandOptions) throws -> DuckLakeDescriptor {
        do {
            return try DuckLakeCreation(home: options.hangarHome).descriptor(name: name)
        } catch let error as DuckLakeError {
            throw CommandFailure(.notFound, error.message)
        }
    }
}
