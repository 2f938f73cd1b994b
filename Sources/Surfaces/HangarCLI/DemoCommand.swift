import ArgumentParser
import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights
import InstallLayout
import HangarRunner

/// `hangar demo`: the guide's SQL cells in a `hangar sql` session on the account. The first cell
/// creates the guide's Python flight (Examples/Flights/docs_dlt_ingest: the guide's code with its
/// import lines restored and GitHub's address read from config), with the guide's requirements;
/// its dlt pipeline loads through `destination="motherduck"` and `duckdb.connect("md:")` into the
/// local account. `--swift` runs the same pipeline as a Swift flight (Examples/Flights/
/// github_repo_stats) instead. Offline it fetches from the GitHubReplay server's sample data;
/// `--live` from the real GitHub API. Running it again updates the flight and runs it again:
/// still one row per repository, one more load and ledger row.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create, run and schedule the guide's GitHub pipeline (its Python flight, or --swift), through the guide's SQL.",
        discussion: """
        Offline (the default) the flight reads sample data from the GitHubReplay server built beside \
        hangar. With --live it reads the real GitHub API: a GITHUB_TOKEN in the environment becomes \
        the flight's secret "github" (without one GitHub allows 60 requests an hour, and the first run \
        reads only the issues of the last week).
        """
    )

    @Option(help: "The Hangar home (default $HANGAR_HOME, else ~/.hangar).")
    var home: String?

    @Flag(help: "Fetch from the real GitHub API instead of the replay server's sample data.")
    var live = false

    @Flag(help: "Run the pipeline as a Swift flight (FlightKit) instead of the guide's Python flight.")
    var swift = false

    @Option(help: "The flight's source (default: the guide's main.py, or with --swift github_repo_stats/main.swift, under the installed Examples/Flights).")
    var source: String?

    @Option(help: "Seconds to wait for the run to finish (the first run also compiles the flight).")
    var timeout: Double = 900

    static let flightName = "docs_dlt_ingest"
    static let lookup = """
        SET VARIABLE dlt_flight_id = (
            SELECT flight_id
            FROM MD_LIST_FLIGHTS()
            WHERE flight_name = 'docs_dlt_ingest'
            ORDER BY created_at DESC
            LIMIT 1
        );
        """

    func run() async throws {
        try await CommandFailure.reporting { try demo() }
    }

    private func demo() throws {
        let output = OutputSink(FileHandle.standardOutput)
        let errors = OutputSink(FileHandle.standardError)
        defer {
            output.flush()
            errors.flush()
        }
        let account = HangarHome.resolve(explicit: home)
        guard let layout = InstallLayout.current() else {
            throw CommandFailure(.failure, "cannot find the demo's flights beside \(HangarExecutable.url.path): reinstall Hangar (make install), or set HANGAR_PREFIX to where it is installed")
        }
        let examples = layout.examples.appendingPathComponent("Flights")
        let sourceFile = source.map { URL(fileURLWithPath: $0) }
            ?? examples.appendingPathComponent(swift ? "github_repo_stats/main.swift" : "docs_dlt_ingest/main.py")
        guard let code = try? String(contentsOf: sourceFile, encoding: .utf8) else {
            throw CommandFailure(.invalidInput, "cannot read the flight's source \(sourceFile.path); give it with --source")
        }
        // The guide's requirements_txt, one requirement a line.
        let requirementsFile = examples.appendingPathComponent("docs_dlt_ingest/requirements.txt")
        let requirements = swift ? [] : try String(contentsOf: requirementsFile, encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let say = { (line: String) in
            output.write(line + "\n")
            output.flush()
        }
        say("== \(HangarCommand.configuration.version)")
        say("== home: \(account.root.path)")

        let flights = try ControlStoreSelection.flights(home: account)
        var replay: ReplayServer?
        defer { replay?.stop() }
        var config = ["GITHUB_API_URL": "https://api.github.com"]
        var secretNames: [String] = []
        if live {
            if let token = ProcessInfo.processInfo.environment["GITHUB_TOKEN"], !token.isEmpty {
                try flights.createSecret(name: "github", params: ["GITHUB_TOKEN": token], replace: true)
                secretNames = ["github"]
                say("== the real GitHub API, with the token of $GITHUB_TOKEN (secret \"github\")")
            } else {
                say("== the real GitHub API, without a token (60 requests an hour; set GITHUB_TOKEN for more)")
            }
            // Only a week of issues on the first run: the public API pages through thousands otherwise.
            let weekAgo = Date().addingTimeInterval(-7 * 86_400)
            config["ISSUES_SINCE"] = ISO8601DateFormatter().string(from: weekAgo)
        } else {
            let server = try ReplayServer.start(beside: HangarExecutable.url)
            replay = server
            config["GITHUB_API_URL"] = server.url
            say("== GitHub replay server (sample data) at \(server.url)")
        }

        let session = try SQLCommand.openSession(home: home, database: "docs_playground", format: .table,
                                                 output: output, errors: errors)
        func cell(_ shown: String, running sql: String? = nil) throws {
            say("\nhangar sql docs_playground> \(shown)")
            try session.runText(sql ?? shown)
            output.flush()
        }

        let configSQL = "MAP {" + config.keys.sorted().map { "'\($0)': '\(config[$0]!)'" }.joined(separator: ", ") + "}"
        let secretsSQL = "[" + secretNames.map { "'\($0)'" }.joined(separator: ", ") + "]"
        let quotedSource = "$flight$\(code)$flight$"
        let runtimeSQL = swift ? "runtime := 'swift'," : """
            runtime := 'python',
                requirements_txt := array_to_string([
            \(requirements.map { "        '\($0)'" }.joined(separator: ",\n"))
                ], chr(10)),
            """
        let existing = try? flights.flight(.name(Self.flightName))
        if existing != nil {
            say("== the flight exists (an earlier demo): updating its source and config; a new version only if they changed")
            let update = """
                \(Self.lookup)
                SELECT flight_id, flight_name, current_version
                FROM MD_UPDATE_FLIGHT(
                    flight_id := getvariable('dlt_flight_id'),
                    \(runtimeSQL)
                    config := \(configSQL),
                    flight_secret_names := \(secretsSQL),
                    source_code :=
                """
            try cell(update + " $flight$ …\(sourceFile.lastPathComponent)… $flight$\n);", running: update + " \(quotedSource)\n);")
        } else {
            let create = """
                SELECT flight_id, flight_name, current_version
                FROM MD_CREATE_FLIGHT(
                    name := 'docs_dlt_ingest',
                    \(runtimeSQL)
                    config := \(configSQL),
                    flight_secret_names := \(secretsSQL),
                    source_code :=
                """
            try cell(create + " $flight$ …\(sourceFile.lastPathComponent)… $flight$\n);", running: create + " \(quotedSource)\n);")
        }

        // The guide's cells, verbatim.
        try cell("""
            \(Self.lookup)
            SELECT run_number, status, flight_version, is_scheduled
            FROM MD_RUN_FLIGHT(
                flight_id := getvariable('dlt_flight_id')
            );
            """)

        say("\n== waiting for the run to finish (the first run \(swift ? "compiles the flight" : "installs the flight's requirements"))")
        let run = try waitForLatestRun(flights)
        try cell("""
            \(Self.lookup)
            SELECT run_number, status, flight_version, created_at
            FROM MD_LIST_FLIGHT_RUNS(
                flight_id := getvariable('dlt_flight_id')
            )
            ORDER BY run_number DESC
            LIMIT 5;
            """)
        guard run.status == .succeeded else {
            say("\ndemo: run \(run.runNumber) ended \(run.status.rawValue); its log:")
            for line in try flights.logLines(run.id) { say("  \(line.line)") }
            throw CommandFailure(.failure, "the demo's run did not succeed\(live ? " (is GitHub reachable from here?)" : "")")
        }

        try cell("""
            \(Self.lookup)
            CALL MD_UPDATE_FLIGHT(
                flight_id := getvariable('dlt_flight_id'),
                schedule_cron := '15 7 * * *'
            );
            """)
        try cell("""
            SELECT repo, stars, forks, open_issues, default_branch, pushed_at
            FROM docs_playground.flights_demo_dlt.github_repo_stats
            ORDER BY stars DESC;
            """)
        try cell("""
            SELECT run_at, pipeline_name, destination_dataset, load_summary
            FROM docs_playground.flights_demo.dlt_ingest_runs
            ORDER BY run_at DESC
            LIMIT 5;
            """)

        let flight = try flights.flight(.name(Self.flightName))
        // As the user called it (.build/debug/hangar), not the resolved build folder.
        let me = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : HangarExecutable.url.path
        let homeOption = "--home \(account.root.path)"
        say("""

            == next scheduled run: \(flight.nextFire.map { Timestamps.human($0) } ?? "-") (UTC)
            == explore further:
               \(me) logs \(Self.flightName) \(run.runNumber) \(homeOption)
               \(me) runs \(Self.flightName) \(homeOption)
               \(me) sql docs_playground \(homeOption)        # MD_* functions and the account's tables
               \(me) serve \(homeOption)                      # the scheduler (runs it daily at 07:15 UTC), the API and the dashboard
            """)
    }

    /// The newest run of the demo's flight, once it has finished; progress lines while it runs.
    private func waitForLatestRun(_ flights: Flights) throws -> FlightRun {
        let deadline = Date().addingTimeInterval(timeout)
        var lastStatus: RunStatus?
        while true {
            try flights.reconcileOrphans()
            guard let run = try flights.runs(.name(Self.flightName), limit: 1).first else {
                throw CommandFailure(.notFound, "the demo's flight has no run")
            }
            if run.status != lastStatus {
                Console.note("   run \(run.runNumber): \(run.status.rawValue)")
                lastStatus = run.status
            }
            if run.status.isFinished { return run }
            guard Date() < deadline else {
                throw CommandFailure(.failure, "run \(run.runNumber) did not finish within \(Int(timeout)) s; follow it with hangar logs \(Self.flightName) \(run.runNumber) --follow")
            }
            // The supervisor is another process: polling the store is how its progress is seen.
            Thread.sleep(forTimeInterval: 0.2)
        }
    }
}

/// The GitHubReplay server built beside `hangar`, on a free port, for the demo's offline run.
struct ReplayServer {
    let process: Process
    let url: String

    static func start(beside executable: URL) throws -> ReplayServer {
        let binary = executable.deletingLastPathComponent().appendingPathComponent("GitHubReplay")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CommandFailure(.invalidInput, "the replay server \(binary.path) is not built: run swift build (or make demo), or use --live")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--port", "0", "--quiet"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Its first line says where it listens.
        var line = Data()
        let handle = pipe.fileHandleForReading
        while let byte = try handle.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening on "), process.isRunning else {
            process.terminate()
            throw CommandFailure(.failure, "the replay server did not start: \(text)")
        }
        return ReplayServer(process: process, url: String(text.dropFirst("listening on ".count)))
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
