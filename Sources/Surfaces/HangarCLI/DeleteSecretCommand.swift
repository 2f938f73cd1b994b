import ArgumentParser
import HangarFlights
import HangarViews

/// `hangar secret delete NAME`.
struct DeleteSecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a secret.",
        discussion: """
        Flights that name it keep the name; their runs fail at launch until it exists again. \
        --json prints {"name", "deleted_count": 1}.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The secret's name.")
    var name: String

    @OptionGroup var options: FlightCommandOptions

    func run() async throws {
        try await CommandFailure.reporting {
            try options.openFlights().deleteSecret(name: name)
            let lowered = name.lowercased()
            if options.json { return Console.out(.object([("name", .string(lowered)), ("deleted_count", .int(1))])) }
            Console.out("Deleted secret \"\(lowered)\".\n")
        }
    }
}
