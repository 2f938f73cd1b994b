import ArgumentParser
import Foundation
import HangarHTTP
import HangarViews

/// `hangar token show|rotate`: the bearer token of the HTTP API (`<home>/server/token`, owner-only).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Show or rotate the HTTP API's token.",
        discussion: """
        Every API request but /healthz needs the token (Authorization: Bearer TOKEN); the \
        dashboard asks for it once. It is made on the first `hangar serve` (or `hangar token \
        show`) and kept in <home>/server/token, readable by its owner only.
        """,
        subcommands: [Show.self, Rotate.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the API token (made now if there is none).",
            discussion: "--json prints {\"token\", \"file\"}."
        )

        @OptionGroup var options: FlightCommandOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let home = options.hangarHome
                let (token, created) = try ServerToken.ensure(in: home)
                let file = ServerToken.file(in: home).path
                if created { Console.note("Created the API token in \(file) (readable by you only).") }
                TokenCommand.print(token, file: file, json: options.json)
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Replace the API token with a new one and print it.",
            discussion: """
            A running server uses the new token from its next request; the old one stops working at \
            once and dashboard sessions must log in again. --json prints {"token", "file"}.
            """
        )

        @OptionGroup var options: FlightCommandOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let home = options.hangarHome
                let token = try ServerToken.rotate(in: home)
                let file = ServerToken.file(in: home).path
                Console.note("Replaced the API token in \(file); the old one no longer works, and dashboard sessions must log in again.")
                TokenCommand.print(token, file: file, json: options.json)
            }
        }
    }

    /// The token alone on standard output, so `$(hangar token show)` is the token.
    static func print(_ token: String, file: String, json: Bool) {
        if json {
            Console.out(.object([("token", .string(token)), ("file", .string(file))]))
        } else {
            Console.out(token + "\n")
        }
    }
}
