import ArgumentParser
import HangarFlights
import HangarViews

/// `hangar secret list`: names and keys, never values.
struct ListSecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List secrets with their keys (never their values).",
        discussion: """
        --json prints an array of {"name", "keys", "created_at", "updated_at"}.

        \(ExitStatus.help)
        """
    )

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let secrets = try options.openFlights().secrets()
            if options.json { return Console.out(.array(secrets.map(\.json))) }
            if secrets.isEmpty { return Console.note("No secrets yet; create one with: hangar secret create NAME KEY=VALUE") }
            Console.out(SecretSummary.table(secrets))
        }
    }
}
