import DuckDB
import Foundation
import HangarAccount
import HangarFlights
import HangarRunner
import HangarRuntime
import InstallLayout

/// The guide's own Python flight (Examples/Flights/docs_dlt_ingest: dlt's motherduck destination
/// and `duckdb.connect("md:")` on the local account) against the GitHubReplay server, its
/// environment warm: trigger to SUCCEEDED through Hangar (`RunLauncher.start` + `RunWatcher`), next
/// to the same `main.py` run directly by that environment's python with the same local account
/// (PYTHONPATH and `HANGAR_LOCAL_ACCOUNT`), alternating, `HANGAR_BENCH_GUIDE_RUNS` times each
/// (default 5). Hangar's overhead is the ratio of the medians (target under 1.3×) and their
/// difference in milliseconds.
struct GuideFlightBenchmark {
    static let targetRatio = 1.3
    let runs = Int(ProcessInfo.processInfo.environment["HANGAR_BENCH_GUIDE_RUNS"] ?? "") ?? 5

    func run() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let folder = executable.deletingLastPathComponent()
        let hangar = folder.appendingPathComponent("hangar")
        let replayBinary = folder.appendingPathComponent("GitHubReplay")
        for binary in [hangar, replayBinary] where !FileManager.default.isExecutableFile(atPath: binary.path) {
            throw BenchFailure("no \(binary.lastPathComponent) next to HangarBench; build it: swift build -c release --product \(binary.lastPathComponent)")
        }
        guard let layout = InstallLayout.locate(executableDirectory: folder, environment: ProcessInfo.processInfo.environment) else {
            throw BenchFailure("HangarBench runs from a checkout's build folder; the guide's flight is not beside \(folder.path)")
        }
        let examples = layout.examples.appendingPathComponent("Flights/docs_dlt_ingest")
        let source = try String(contentsOf: examples.appendingPathComponent("main.py"), encoding: .utf8)
        let requirements = try String(contentsOf: examples.appendingPathComponent("requirements.txt"), encoding: .utf8)

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-bench-guide-\(getpid())", isDirectory: true)
        try? FileManager.default.removeItem(at: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let home = HangarHome(root.appendingPathComponent("home"))
        let replay = try Replay(binary: replayBinary)
        defer { replay.stop() }
        let flights = try Flights(home: home)
        let launcher = RunLauncher(home: home, hangarExecutable: hangar)
        _ = try flights.create(NewFlight(name: "docs_dlt_ingest", sourceCode: source, runtime: .python,
                                         requirementsTxt: requirements, config: ["GITHUB_API_URL": replay.url]))

        print("== The guide's Python flight (dlt → md:, against the replay server): trigger to SUCCEEDED, warm environment, \(runs) runs each")
        // The first run makes the environment; it is not measured.
        _ = try hangarRun(flights, launcher)
        let environment = try PythonEnvironments(home: home.root, python: try PythonInterpreter.find()).environment(for: requirements)
        let script = root.appendingPathComponent("direct/main.py")
        try FileManager.default.createDirectory(at: script.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(source.utf8).write(to: script)
        let sdk = try PythonSDK.install(in: home)

        var viaHangar: [Double] = [], direct: [Double] = []
        for round in 0..<runs {
            viaHangar.append(try hangarRun(flights, launcher))
            direct.append(try directRun(environment.interpreter, script: script, sdk: sdk, home: home, replay: replay.url,
                                        scratch: root.appendingPathComponent("direct/home-\(round)")))
        }
        let hangarMedian = FlightsBenchmark.percentile(viaHangar, 0.5), directMedian = FlightsBenchmark.percentile(direct, 0.5)
        let ratio = hangarMedian / directMedian
        print(pad("", 44) + pad("median", 10, right: true) + pad("min", 10, right: true) + pad("max", 10, right: true))
        for (label, samples) in [("through Hangar (trigger → SUCCEEDED)", viaHangar), ("main.py run directly, same environment", direct)] {
            print(pad(label, 44) + pad(FlightsBenchmark.ms(FlightsBenchmark.percentile(samples, 0.5)), 10, right: true)
                  + pad(FlightsBenchmark.ms(samples.min() ?? .nan), 10, right: true) + pad(FlightsBenchmark.ms(samples.max() ?? .nan), 10, right: true))
        }
        print("Hangar's overhead: \(String(format: "%.2f", ratio))× (target < \(Self.targetRatio)×), \(FlightsBenchmark.ms(hangarMedian - directMedian)) per run  "
              + (ratio < Self.targetRatio ? "met" : "MISSED"))
        let rows = try HangarAccountCheck.rows(home)
        print("check: \(rows.repos) repositories, \(rows.ledger) ledger rows after \(runs * 2 + 1) runs")
    }

    private func hangarRun(_ flights: Flights, _ launcher: RunLauncher) throws -> Double {
        let start = ContinuousClock.now
        let finished = try benchBlocking {
            let started = try launcher.start(flights, FlightSelector("docs_dlt_ingest"))
            return try await RunWatcher(flights: flights).waitUntilFinished(started.id)
        }
        guard finished.status == .succeeded else {
            let log = (try? flights.logLines(finished.id))?.map(\.line).joined(separator: "\n") ?? ""
            throw BenchFailure("the guide's flight ended \(finished.status.rawValue):\n\(log)")
        }
        return FlightsBenchmark.milliseconds(ContinuousClock.now - start)
    }

    /// The program as a run starts it (a HOME of its own, so dlt restores its state from the
    /// account each time, as runs do), without Hangar around it.
    private func directRun(_ python: URL, script: URL, sdk: URL, home: HangarHome, replay: String, scratch: URL) throws -> Double {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path]
        process.currentDirectoryURL = script.deletingLastPathComponent()
        var environment = ProcessInfo.processInfo.environment.filter { RunEnvironment.isInherited($0.key) }
        environment["HOME"] = scratch.path
        environment["DLT_DATA_DIR"] = scratch.appendingPathComponent(".dlt").path
        environment["HANGAR_HOME"] = home.root.path
        environment[PythonSDK.localAccountVariable] = "1"
        environment["PYTHONPATH"] = sdk.path
        environment["PYTHONUNBUFFERED"] = "1"
        environment["GITHUB_API_URL"] = replay
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        let start = ContinuousClock.now
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = FlightsBenchmark.milliseconds(ContinuousClock.now - start)
        guard process.terminationStatus == 0 else {
            throw BenchFailure("main.py run directly failed:\n\(String(decoding: stderr, as: UTF8.self))")
        }
        return elapsed
    }

    /// The GitHubReplay server on a free port.
    final class Replay {
        let process = Process()
        let url: String

        init(binary: URL) throws {
            process.executableURL = binary
            process.arguments = ["--port", "0", "--quiet"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = Data()
            while let byte = try pipe.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) { line.append(byte) }
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix("listening on ") else { throw BenchFailure("GitHubReplay did not start: \(text)") }
            url = String(text.dropFirst("listening on ".count))
        }

        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// What the runs left in the account: one row per repository, one ledger row per run.
enum HangarAccountCheck {
    static func rows(_ home: HangarHome) throws -> (repos: Int, ledger: Int) {
        let database = try Database(path: try home.database("docs_playground").path)
        let connection = try database.connect()
        let repos = try connection.scalar("SELECT count(*) FROM flights_demo_dlt.github_repo_stats", as: Int.self) ?? 0
        let ledger = try connection.scalar("SELECT count(*) FROM flights_demo.dlt_ingest_runs", as: Int.self) ?? 0
        return (repos, ledger)
    }
}
