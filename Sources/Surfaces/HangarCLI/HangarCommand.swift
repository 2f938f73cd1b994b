import ArgumentParser
import DuckDB

/// The `hangar` command; `Sources/Surfaces/HangarMain` runs it.
public struct HangarCommand: AsyncParsableCommand {
    public init() {}

    // Computed rather than stored: the DuckDB version comes from the loaded library at run
    // time, so a binary linked against a newer DuckDB reports the one it really uses.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "hangar",
            abstract: "Hangar: run data-ingest flights on demand and on a schedule, loading into DuckDB.",
            discussion: """
            Flights are named by name or id everywhere. Every flights command takes --home (default \
            $HANGAR_HOME, else ~/.hangar) and --json.

            The control store is the home's SQLite file unless --control postgres://… (or \
            $HANGAR_CONTROL) names a PostgreSQL database that several machines share; runs are \
            then started by `hangar worker`s (see the README's "Scaling out").

            \(ExitStatus.help)
            """,
            version: "hangar \(HangarVersion.current) (DuckDB \(Database.libraryVersion))",
            subcommands: [
                CreateFlightCommand.self, UpdateFlightCommand.self, DeleteFlightCommand.self, ListFlightsCommand.self,
                ShowFlightCommand.self, ListVersionsCommand.self, ShowVersionCommand.self, RunFlightCommand.self,
                ListRunsCommand.self, ShowRunCommand.self, LogsCommand.self, CancelRunCommand.self, SecretCommand.self,
                ServeCommand.self, WorkerCommand.self, TokenCommand.self, MotherDuckCommand.self, SQLCommand.self, IngestCommand.self, LakeCommand.self, DemoCommand.self, SuperviseCommand.self,
            ]
        )
    }
}
