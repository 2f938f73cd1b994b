import ArgumentParser
import DuckDB
import Foundation
import HangarAccount
import HangarFlights
import HangarViews

/// `hangar motherduck login|logout|status`: the account's MotherDuck token. With one, runs get
/// `MOTHERDUCK_TOKEN` and their `md:` connections go to MotherDuck itself, and `hangar sql` can
/// `ATTACH 'md:'` next to the local account; without one, `md:` in Python flights is the local
/// account.
struct MotherDuckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motherduck",
        abstract: "Give Hangar a MotherDuck token, remove it, or see which is in use.",
        discussion: """
        The token is kept in the control store like secrets' values and is never printed. \
        MOTHERDUCK_TOKEN in the environment of `hangar serve` (or `hangar run`) is used when none \
        is stored.
        """,
        subcommands: [Login.self, Logout.self, Status.self]
    )

    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Store the account's MotherDuck token, read from MOTHERDUCK_TOKEN or standard input.",
            discussion: """
            The token never comes from the command line (it would stay in shell history and process \
            listings): `MOTHERDUCK_TOKEN=… hangar motherduck login`, or `hangar motherduck login --stdin \
            < token-file`. Runs that start afterwards get it; runs going on keep what they had.
            """
        )

        @Flag(help: "Read the token from standard input instead of MOTHERDUCK_TOKEN.")
        var stdin = false

        @OptionGroup var options: FlightCommandOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let token: String
                if stdin {
                    token = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                } else if let fromEnvironment = ProcessInfo.processInfo.environment["MOTHERDUCK_TOKEN"], !fromEnvironment.isEmpty {
                    token = fromEnvironment
                } else {
                    throw CommandFailure(.invalidInput, "no token given: set MOTHERDUCK_TOKEN (MOTHERDUCK_TOKEN=… hangar motherduck login) or pass --stdin and write it to standard input")
                }
                try options.openFlights().setMotherDuckToken(token)
                if options.json { return Console.out(MotherDuckCommand.status(try options.openFlights())) }
                Console.out("Stored the MotherDuck token; runs that start from now get MOTHERDUCK_TOKEN, and md: goes to MotherDuck.\n")
            }
        }
    }

    struct Logout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logout",
            abstract: "Remove the stored MotherDuck token: md: in Python flights is the local account again."
        )

        @OptionGroup var options: FlightCommandOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let flights = try options.openFlights()
                let removed = try flights.removeMotherDuckToken()
                if options.json { return Console.out(MotherDuckCommand.status(flights)) }
                if !removed { Console.note("No MotherDuck token was stored.") }
                if (try flights.motherDuckToken())?.source == .environment {
                    Console.out("Removed the stored token; MOTHERDUCK_TOKEN of this environment is still set, and processes started with it use MotherDuck.\n")
                } else {
                    Console.out("No MotherDuck token is configured: md: connections of Python flights use the local account.\n")
                }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Say whether a MotherDuck token is configured (never its value) and where md: goes.",
            discussion: "--json prints {\"configured\", \"source\", \"updated_at\", \"md_goes_to\", \"extension\"}."
        )

        @OptionGroup var options: FlightCommandOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let status = MotherDuckCommand.status(try options.openFlights())
                if options.json { return Console.out(status) }
                let token = try? options.openFlights().motherDuckToken()
                if let token {
                    let from = token.source == .account ? "stored with hangar motherduck login" : "MOTHERDUCK_TOKEN of this environment"
                    Console.out("A MotherDuck token is configured (\(from)): md: goes to MotherDuck.\n")
                } else {
                    Console.out("No MotherDuck token is configured: md: connections of Python flights use the local account.\n")
                }
                Console.out("DuckDB's motherduck extension: \((try? ProvisionedExtensions.file("motherduck").path) ?? "not provisioned (run make setup)")\n")
            }
        }
    }

    static func status(_ flights: Flights) -> JSONValue {
        let token = (try? flights.motherDuckToken()) ?? nil
        let extensionFile = try? ProvisionedExtensions.file("motherduck")
        return .object([
            ("configured", .bool(token != nil)),
            ("source", .string(token.map { $0.source == .account ? "hangar motherduck login" : "MOTHERDUCK_TOKEN" })),
            ("updated_at", .string(token?.updatedAt.map { Timestamps.iso($0, fractional: false) })),
            ("md_goes_to", .string(token != nil ? "MotherDuck" : "the local account")),
            ("extension", .string(extensionFile?.path ?? "not provisioned (make setup)")),
        ])
    }
}
