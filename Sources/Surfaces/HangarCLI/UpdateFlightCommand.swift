import ArgumentParser
import HangarFlights

/// `hangar update FLIGHT …`: a PATCH. Only what is passed changes; content changes make a new
/// version, name and schedule changes don't.
struct UpdateFlightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a flight: only the options given change.",
        discussion: """
        A new source, runtime, requirements, config, secrets or max runtime makes a new version \
        (what is not given carries forward; --config and --secret replace the whole map or list). \
        --name, --schedule, --schedule-status and --catch-up change the flight without a new \
        version. Runs already started keep the version they started with.

        \(ExitStatus.help)
        """
    )

    @Argument(help: "The flight's name or id.")
    var flight: String

    @Option(name: .customLong("name"), help: ArgumentHelp("A new name.", valueName: "name"))
    var newName: String?

    @Option(help: ArgumentHelp("A new program; - reads standard input.", valueName: "file"))
    var source: String?

    @Option(help: "The language.")
    var runtime: FlightRuntime?

    @Option(help: ArgumentHelp("A new requirements.txt.", valueName: "file"))
    var requirements: String?

    @Flag(name: .customLong("no-requirements"), help: "Remove the requirements.")
    var noRequirements = false

    @Option(help: ArgumentHelp("A new 5-field cron expression in UTC; '' removes the schedule.", valueName: "cron"))
    var schedule: String?

    @Option(name: .customLong("schedule-status"), help: "Pause (disabled) or resume (active) the schedule, keeping its expression.")
    var scheduleStatus: ScheduleStatus?

    @Option(name: .customLong("catch-up"), help: "Fires missed while no scheduler ran: one run for the latest, none, or one run each.")
    var catchUp: CatchUpPolicy?

    @Option(help: ArgumentHelp("The whole new config, one entry each; keys not given are removed.", valueName: "key=value"))
    var config: [String] = []

    @Flag(name: .customLong("clear-config"), help: "Remove every config entry.")
    var clearConfig = false

    @Option(help: ArgumentHelp("The whole new list of secrets, one each.", valueName: "name"))
    var secret: [String] = []

    @Flag(name: .customLong("no-secrets"), help: "Give runs no secrets.")
    var noSecrets = false

    @Option(name: .customLong("max-runtime"), help: ArgumentHelp("Seconds a run may take; 0 for no limit.", valueName: "seconds"))
    var maxRuntime: Int?

    @Flag(name: .customLong("no-max-runtime"), help: "Remove the max runtime.")
    var noMaxRuntime = false

    @OptionGroup var options: FlightCommandOptions

    func validate() throws {
        for (set, clear, names) in [
            (requirements != nil, noRequirements, "--requirements and --no-requirements"),
            (!config.isEmpty, clearConfig, "--config and --clear-config"),
            (!secret.isEmpty, noSecrets, "--secret and --no-secrets"),
            (maxRuntime != nil, noMaxRuntime, "--max-runtime and --no-max-runtime"),
        ] where set && clear {
            throw ValidationError("\(names) contradict each other; give one.")
        }
        _ = try KeyValueArguments.parse(config, option: "--config")
        let changesSomething = newName != nil || source != nil || runtime != nil || requirements != nil || noRequirements
            || schedule != nil || scheduleStatus != nil || catchUp != nil || !config.isEmpty || clearConfig
            || !secret.isEmpty || noSecrets || maxRuntime != nil || noMaxRuntime
        guard changesSomething else {
            throw ValidationError("Nothing to update: give at least one option, such as --source FILE or --schedule CRON.")
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let flights = try options.openFlights()
            let selector = FlightSelector(flight)
            let before = try flights.flight(selector)
            let update = try patch()
            let after = try flights.update(.id(before.id), update)
            if !options.json { Console.note(Self.summary(before: before, after: after)) }
            if case .set(let requirements) = update.requirementsTxt, after.runtime == .python {
                Console.warnAboutYankedReleases(requirements)
            }
            try ShowFlightCommand.present(after, flights: flights, json: options.json)
        }
    }

    private func patch() throws -> FlightUpdate {
        var update = FlightUpdate()
        if let newName { update.name = .set(newName) }
        if let source { update.sourceCode = .set(try TextFileArgument.read(source, option: "--source")) }
        if let runtime { update.runtime = .set(runtime) }
        if let requirements { update.requirementsTxt = .set(try TextFileArgument.read(requirements, option: "--requirements")) }
        if noRequirements { update.requirementsTxt = .null }
        if let schedule { update.scheduleCron = .set(schedule) }
        if let scheduleStatus { update.scheduleStatus = .set(scheduleStatus) }
        if let catchUp { update.catchUp = .set(catchUp) }
        if !config.isEmpty { update.config = .set(try KeyValueArguments.parse(config, option: "--config")) }
        if clearConfig { update.config = .null }
        if !secret.isEmpty { update.secretNames = .set(secret) }
        if noSecrets { update.secretNames = .null }
        if let maxRuntime { update.maxRuntimeSec = .set(maxRuntime) }
        if noMaxRuntime { update.maxRuntimeSec = .null }
        return update
    }

    private static func summary(before: Flight, after: Flight) -> String {
        if after.currentVersion != before.currentVersion {
            return "Updated flight \"\(after.name)\": version \(after.currentVersion) (was \(before.currentVersion)); new runs use it"
        }
        if after.updatedAt != before.updatedAt {
            return "Updated flight \"\(after.name)\": still version \(after.currentVersion) (name and schedule make no version)"
        }
        return "Flight \"\(after.name)\" already had these settings; nothing changed"
    }
}
