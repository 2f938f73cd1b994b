import ArgumentParser

/// `hangar secret create|list|delete`: secrets flights name with --secret. Values go in and
/// never come out: listings show names and keys only.
struct SecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret",
        abstract: "Create, list and delete the secrets flights use.",
        discussion: """
        A run of a flight naming secret NAME gets each KEY as the environment variables \
        <name>_<KEY> and KEY; its values are masked in the run's log.
        """,
        subcommands: [CreateSecretCommand.self, ListSecretsCommand.self, DeleteSecretCommand.self]
    )
}
