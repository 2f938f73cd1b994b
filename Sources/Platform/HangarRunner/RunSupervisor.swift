import Foundation
import DuckDB
import HangarAccount
import HangarFlights
import HangarRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Supervises one run from PENDING to its end, in a process of its own (`hangar supervise`):
/// claims the run, prepares the runtime (the Python environment, or the Swift build), starts the
/// program in its own process group with the run's environment, streams its masked output into
/// the run's log, enforces `max_runtime_sec`, reacts to cancellation, and records the outcome.
public struct RunSupervisor: Sendable {
    public let flights: Flights
    public let home: HangarHome
    /// Finds (or builds) the FlightKit SDK Swift flights compile against.
    public let swiftSDK: @Sendable (_ log: @escaping LogSink) throws -> SwiftSDK
    /// Seconds between checks of the store for a cancel request or a deleted run (SIGUSR1 from
    /// `RunCanceller` makes it check at once).
    public var cancelPollInterval: TimeInterval = 0.5
    /// Seconds between SIGTERM and SIGKILL when a run is timed out or cancelled.
    public var terminationGrace: TimeInterval = RunLimits.defaultTerminationGrace
    /// True when this process exists for the run alone (`hangar supervise`): it then adopts the
    /// run's orphans, and every child it has left when the program ends is the run's.
    public var ownsTheProcess = false
    /// The worker that started this supervisor (`--worker-pid`): should it die (kill -9, its
    /// machine's OOM killer), this supervisor ends the run's processes and exits without
    /// recording anything; the lost-worker sweep records the run as FAILED, naming the worker.
    public var worker: pid_t?

    public init(flights: Flights, home: HangarHome, swiftSDK: @escaping @Sendable (_ log: @escaping LogSink) throws -> SwiftSDK) {
        self.flights = flights
        self.home = home
        self.swiftSDK = swiftSDK
    }

    /// Runs the run to its end and returns it as recorded.
    @discardableResult
    public func supervise(runID: UUID) throws -> FlightRun {
        if ownsTheProcess { RunDescendants.adoptOrphans() }
        if let worker { Self.dieWith(worker: worker, runID: runID.uuidString.lowercased()) }
        let claimed = try flights.claimRun(runID, supervisor: SupervisorIdentity.current())
        let version = try flights.version(FlightSelector(claimed.flightID.uuidString), number: claimed.flightVersion)
        let runFolder = home.root.appendingPathComponent("runs/\(claimed.flightID.uuidString.lowercased())", isDirectory: true)

        // Secrets first: their values are masked in every line from here on.
        let secrets: [RunEnvironment.Secret]
        do {
            secrets = try flights.revealSecrets(named: version.version.secretNames)
                .map { RunEnvironment.Secret(name: $0.name, parameters: $0.params) }
        } catch {
            let log = RunLog(flights: flights, runID: runID, masker: .none)
            log.note("cannot start: \(error.message)")
            log.close()
            return try flights.markFinished(runID, .failed(RunFailure(.launchFailure, error.message), exitCode: nil))
        }
        let directory = try RunDirectory.create(in: runFolder, named: String(claimed.runNumber))
        let environment = RunEnvironment(
            flightID: claimed.flightID.uuidString, flightName: claimed.flightName, runID: claimed.id.uuidString,
            runNumber: claimed.runNumber, isScheduled: claimed.isScheduled, config: claimed.config, secrets: secrets,
            motherDuckToken: (try? flights.motherDuckToken())?.value, hangarHome: home.root, defaultHome: directory.home)
        let log = RunLog(flights: flights, runID: runID, masker: environment.masker)
        defer { log.close() }

        let cancellation = CancellationWatch(flights: flights, runID: runID, pollInterval: cancelPollInterval)
        do {
            var variables = try environment.variables()
            let keys = claimed.config.keys.sorted()
            variables["HANGAR_CONFIG_KEYS"] = String(decoding: try JSONEncoder().encode(keys), as: UTF8.self)
            // Where the SDK (or the Python helper) reports what each pipeline run loaded.
            let loadReports = directory.root.appendingPathComponent("load_info.jsonl")
            variables["HANGAR_LOAD_INFO_FILE"] = loadReports.path
            log.note("run \(claimed.runNumber) of \(claimed.flightName), version \(claimed.flightVersion) (\(version.version.runtime.rawValue))"
                     + (claimed.isScheduled ? ", scheduled" : ""))
            let command = try prepare(version, directory: directory, variables: variables, log: log)
            if cancellation.isRequested() { return try finish(runID, .cancelled(exitCode: nil), log: log, note: "cancelled before it started") }
            _ = try flights.markRunning(runID)
            let maxRuntime = version.version.maxRuntimeSec.flatMap { $0 > 0 ? TimeInterval($0) : nil }
            let process = try RunProcess.start(command, limits: RunLimits(maxRuntime: maxRuntime, terminationGrace: terminationGrace),
                                               masker: environment.masker, sink: { log.append($0) })
            // So that whoever finds this run orphaned (this process killed) can stop its processes.
            if let program = SupervisorIdentity.of(pid: process.processID) { _ = try? flights.recordProgram(runID, program) }
            cancellation.watch { _ = process.cancel() }
            let outcome = process.waitUntilExit()
            cancellation.stop()
            // A run's processes never outlive it, even one that left its process group.
            let leftovers = RunDescendants.endLeftovers(runID: claimed.id.uuidString.lowercased(), includingChildren: ownsTheProcess)
            if !leftovers.isEmpty {
                log.note("ended \(leftovers.count) process\(leftovers.count == 1 ? "" : "es") the flight left running: \(leftovers.joined(separator: ", "))")
            }
            log.flush()
            if log.runWasDeleted || cancellation.runWasDeleted { return claimed }
            if let summary = RunLoadSummary.read(from: loadReports) {
                _ = try? flights.recordLoadSummary(runID, summary)
                log.note("loaded \(summary.rowsLoaded) rows into \(summary.tables.count) table\(summary.tables.count == 1 ? "" : "s")")
            }
            return try finish(runID, record(outcome, version: version, log: log), log: log, note: describe(outcome))
        } catch let error as RuntimeError {
            cancellation.stop()
            let kind: RunFailureKind = switch error.kind {
            case .installFailed: .installFailure
            case .buildFailed: .buildFailure
            default: .launchFailure
            }
            // The compiler's messages are in the log already, streamed as it printed them.
            let explanation = error.kind == .buildFailed ? error.message : error.description
            for line in explanation.split(separator: "\n", omittingEmptySubsequences: false) { log.note(String(line)) }
            return try finish(runID, .failed(RunFailure(kind, error.message), exitCode: nil), log: log, note: nil)
        } catch let error as FlightsError where error.kind == .notFound {
            // The run or its flight was deleted meanwhile: nothing is left to record.
            cancellation.stop()
            return claimed
        } catch {
            cancellation.stop()
            log.note("cannot start: \(error)")
            return try finish(runID, .failed(RunFailure(.launchFailure, "\(error)"), exitCode: nil), log: log, note: nil)
        }
    }

    /// The command that runs the flight: its Python environment made (or reused) and the script
    /// written, or its Swift build compiled (or reused).
    private func prepare(_ version: FlightVersionDetail, directory: RunDirectory, variables: [String: String],
                         log: RunLog) throws -> RunCommand {
        switch version.version.runtime {
        case .python:
            let environments = PythonEnvironments(home: home.root, python: try PythonInterpreter.find())
            let environment = try environments.environment(for: version.requirementsTxt ?? "", log: { log.append($0) })
            log.note(environment.wasCreated ? "Python environment ready (\(environment.installer.rawValue))"
                     : "reusing the Python environment for these requirements")
            try PythonScript.write(version.sourceCode, into: directory)
            var variables = variables
            let sdk = try PythonSDK.install(in: home)
            variables["PYTHONPATH"] = [sdk.path, variables["PYTHONPATH"]].compactMap { $0 }.joined(separator: ":")
            // md: connections attach the account's DuckLake databases with the provisioned
            // ducklake and postgres_scanner extensions, from where this process found them.
            if let file = try? ProvisionedExtensions.file("ducklake"), variables["HANGAR_DUCKDB_EXTENSIONS"] == nil {
                variables["HANGAR_DUCKDB_EXTENSIONS"] = file.deletingLastPathComponent().path
            }
            // Without a MotherDuck token, md: connections and dlt's motherduck destination use
            // the local account; with one they go to MotherDuck untouched.
            if variables["MOTHERDUCK_TOKEN"] == nil {
                variables[PythonSDK.localAccountVariable] = "1"
                log.note("md: connections use the local account (no MotherDuck token is configured)")
            } else {
                PythonSDK.provideMotherDuckExtension(home: directory.home)
                log.note("md: connections go to MotherDuck (a MotherDuck token is configured)")
            }
            return PythonScript.command(in: directory, environment: environment, variables: variables)
        case .swift:
            var variables = variables
            // FlightKit's md: destination loads the motherduck extension from where this
            // process found it (the run's HOME is its own).
            if let file = try? ProvisionedExtensions.file("motherduck"), variables["HANGAR_DUCKDB_EXTENSIONS"] == nil {
                variables["HANGAR_DUCKDB_EXTENSIONS"] = file.deletingLastPathComponent().path
            }
            let sdk = try swiftSDK({ log.append($0) })
            let build = try SwiftFlightBuilds(home: home.root, sdk: sdk).executable(for: version.sourceCode, log: { log.append($0) })
            if !build.wasBuilt { log.note("reusing the build of this version") }
            return RunCommand(executable: build.executable.path, environment: variables, workingDirectory: directory.work)
        }
    }

    /// The run's recorded outcome for how its program ended, with a hint for Python's
    /// `NameError` on a module the script forgot to import.
    private func record(_ outcome: HangarRuntime.RunOutcome, version: FlightVersionDetail, log: RunLog) -> HangarFlights.RunOutcome {
        switch outcome.reason {
        case .cancelled:
            return .cancelled(exitCode: outcome.exitCode)
        case .timedOut:
            let limit = version.version.maxRuntimeSec ?? 0
            return .failed(RunFailure(.timeout, "ran longer than max_runtime_sec (\(limit) s) and was stopped"), exitCode: outcome.exitCode)
        case .completed:
            if outcome.succeeded { return .succeeded }
            if version.version.runtime == .python {
                for hint in [PythonHints.missingImport(in: log.recentStderr), PythonHints.motherDuckUnreachable(in: log.recentStderr)] {
                    if let hint { log.note(hint) }
                }
            }
            switch outcome.termination {
            case .exited(let code): return .failed(RunFailure(.exitCode, "exited with code \(code)"), exitCode: code)
            case .signalled(let signal): return .failed(RunFailure(.signal, "killed by signal \(signal) (\(signalName(signal)))"), exitCode: nil)
            case .unknown: return .failed(RunFailure(.exitCode, "ended; its exit status was lost"), exitCode: nil)
            }
        }
    }

    private func describe(_ outcome: HangarRuntime.RunOutcome) -> String { "program ended: \(outcome)" }

    /// Days a finished run's log is kept (`HANGAR_RUN_LOG_RETENTION_DAYS`, default 90); the
    /// run's record stays.
    static func logRetentionDays(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        environment["HANGAR_RUN_LOG_RETENTION_DAYS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? 90
    }

    private func finish(_ runID: UUID, _ outcome: HangarFlights.RunOutcome, log: RunLog, note: String?) throws -> FlightRun {
        if let note { log.note(note) }
        log.close()
        // Each run that ends clears the logs past retention, so the store never grows without bound.
        _ = try? flights.pruneLogs(ofRunsEndedBefore: Date().addingTimeInterval(-Double(Self.logRetentionDays()) * 86_400))
        do {
            return try flights.markFinished(runID, outcome)
        } catch where error.kind == .conflict {
            // Finished meanwhile (cancelled while still unclaimed, say): the record stands.
            return try flights.run(id: runID)
        }
    }

    /// Watches the parent: once it is no longer `worker`, the worker died.
    private static func dieWith(worker: pid_t, runID: String) {
        if getppid() != worker { _exit(137) }
        Thread.detachNewThread {
            while getppid() == worker { usleep(100_000) }
            _ = RunDescendants.endLeftovers(runID: runID, includingChildren: true)
            _exit(137)
        }
    }

    private func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: "SIGKILL"
        case SIGTERM: "SIGTERM"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGINT: "SIGINT"
        case SIGILL: "SIGILL"
        case SIGBUS: "SIGBUS"
        default: "signal \(signal)"
        }
    }
}
