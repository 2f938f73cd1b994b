import ArgumentParser
import DuckDB

@main
struct HangarCommand: AsyncParsableCommand {
    // Computed rather than stored: the DuckDB version comes from the loaded library at run
    // time, so a binary linked against a newer DuckDB reports the one it really uses.
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "hangar",
            abstract: "Hangar: run data-ingest flights on demand and on a schedule, loading into DuckDB.",
            version: "hangar \(HangarVersion.current) (DuckDB \(Database.libraryVersion))",
            subcommands: [SQLCommand.self, IngestCommand.self]
        )
    }
}
