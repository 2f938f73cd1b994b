import ArgumentParser
import HangarFlights
import HangarViews

/// `hangar secret create NAME KEY=VALUE…`: stores a secret; its values never come out again.
struct CreateSecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a secret from KEY=VALUE params.",
        discussion: """
        A param given as KEY alone takes its value from the environment variable KEY, which keeps \
        the value out of shell history and process listings. Names are lower-cased. --json \
        prints {"name", "keys", "created_at", "updated_at"}, never values.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The secret's name: letters, digits and '_'.")
    var name: String

    @Argument(help: ArgumentHelp("The params: KEY=VALUE, or KEY to read the environment variable KEY.", valueName: "key=value"))
    var params: [String]

    @Flag(help: "Replace the secret if it exists.")
    var replace = false

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let secret = try options.openFlights().createSecret(
                name: name, params: try KeyValueArguments.secretParams(params), replace: replace)
            if options.json { return Console.out(secret.json) }
            Console.out("Created secret \"\(secret.name)\" with \(secret.keys.count == 1 ? "key" : "keys") \(secret.keys.joined(separator: ", ")); flights use it with --secret \(secret.name).\n")
        }
    }
}
