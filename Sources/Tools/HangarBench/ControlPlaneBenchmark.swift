import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights
import HangarRunner

/// The control plane on PostgreSQL next to SQLite, in the same run: trigger-to-start latency of
/// a no-op Python flight (p50/p99 of created_at → started_at, one run at a time), and runs
/// dispatched per second when `HANGAR_BENCH_CONTROL_RUNS` (default 60) no-op runs are triggered
/// at once, with one `hangar worker` and with three (4 slots each), next to SQLite, where each
/// trigger starts its own supervisor. A throwaway PostgreSQL (scripts/postgres-server, on
/// 127.0.0.1) is started for the benchmark and stopped after it.
struct ControlPlaneBenchmark {
    let latencyRuns = Int(ProcessInfo.processInfo.environment["HANGAR_BENCH_CONTROL_LATENCY_RUNS"] ?? "") ?? 30
    let batch = Int(ProcessInfo.processInfo.environment["HANGAR_BENCH_CONTROL_RUNS"] ?? "") ?? 60

    func run() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let hangar = executable.deletingLastPathComponent().appendingPathComponent("hangar")
        guard FileManager.default.isExecutableFile(atPath: hangar.path) else {
            throw BenchFailure("no hangar binary next to HangarBench at \(hangar.path); build it: swift build -c release --product hangar")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-bench-control-\(getpid())", isDirectory: true)
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try BenchPostgres(folder: root.appendingPathComponent("postgres"))
        defer { server.stop() }

        print("== Control plane: PostgreSQL next to SQLite (no-op Python flight, warm environments)")
        // SQLite: whoever triggers starts the supervisor.
        let sqliteHome = HangarHome(root.appendingPathComponent("sqlite"))
        let sqlite = try Flights(home: sqliteHome)
        let launcher = RunLauncher(home: sqliteHome, hangarExecutable: hangar)
        _ = try sqlite.create(NewFlight(name: "noop", sourceCode: "pass\n"))
        _ = try waitAll([try launcher.start(sqlite, .name("noop"))], flights: sqlite)
        let sqliteLatency = try (0..<latencyRuns).map { _ in
            try toStarted(try waitAll([try launcher.start(sqlite, .name("noop"))], flights: sqlite)[0])
        }
        let sqliteRate = try rate(flights: sqlite) { try launcher.start(sqlite, .name("noop")) }

        // PostgreSQL: runs wait for a worker to claim them.
        let keyFile = root.appendingPathComponent("control.key")
        FileManager.default.createFile(atPath: keyFile.path, contents: SecretSealer.newKey(), attributes: [.posixPermissions: 0o600])
        let environment = ["HANGAR_CONTROL": server.url, "HANGAR_CONTROL_KEY_FILE": keyFile.path]
        let store = try ControlStoreSelection.open(home: HangarHome(root.appendingPathComponent("cli")), environment: environment)
        let postgres = Flights(store: store)
        _ = try postgres.create(NewFlight(name: "noop", sourceCode: "pass\n"))
        var workers = [try BenchWorker(hangar: hangar, home: root.appendingPathComponent("worker1"), environment: environment)]
        _ = try waitAll([try postgres.triggerRun(.name("noop"))], flights: postgres)
        let postgresLatency = try (0..<latencyRuns).map { _ in
            try toStarted(try waitAll([try postgres.triggerRun(.name("noop"))], flights: postgres)[0])
        }
        let oneWorker = try rate(flights: postgres) { try postgres.triggerRun(.name("noop")) }
        for index in 2...3 {
            let worker = try BenchWorker(hangar: hangar, home: root.appendingPathComponent("worker\(index)"), environment: environment)
            workers.append(worker)
            // Its Python environment, made once per machine, is not what this measures.
            _ = try waitAll((0..<8).map { _ in try postgres.triggerRun(.name("noop")) }, flights: postgres)
        }
        let threeWorkers = try rate(flights: postgres) { try postgres.triggerRun(.name("noop")) }
        for worker in workers { worker.stop() }

        print(pad("trigger → started", 44) + pad("p50", 10, right: true) + pad("p99", 10, right: true))
        for (label, samples) in [("SQLite (supervisor started by the trigger)", sqliteLatency),
                                 ("PostgreSQL (claimed by a woken worker)", postgresLatency)] {
            print(pad(label, 44) + pad(FlightsBenchmark.ms(FlightsBenchmark.percentile(samples, 0.5)), 10, right: true)
                  + pad(FlightsBenchmark.ms(FlightsBenchmark.percentile(samples, 0.99)), 10, right: true))
        }
        print(pad("\(batch) runs triggered at once", 44) + pad("runs/s", 10, right: true))
        for (label, value) in [("SQLite (one supervisor per trigger)", sqliteRate), ("PostgreSQL, 1 worker × 4 slots", oneWorker),
                               ("PostgreSQL, 3 workers × 4 slots", threeWorkers)] {
            print(pad(label, 44) + pad(String(format: "%.1f", value), 10, right: true))
        }
        print("runs/s: first trigger to last run finished. Workers wake on PostgreSQL's NOTIFY of a new run; on \(ProcessInfo.processInfo.activeProcessorCount) cores the workers share the CPU the runs need.")
    }

    private func toStarted(_ run: FlightRun) throws -> Double {
        guard let started = run.startedAt else { throw BenchFailure("run \(run.runNumber) never started") }
        return started.timeIntervalSince(run.createdAt) * 1000
    }

    /// Triggers `batch` runs at once and returns how many finished per second.
    private func rate(flights: Flights, trigger: () throws -> FlightRun) throws -> Double {
        let start = ContinuousClock.now
        let runs = try (0..<batch).map { _ in try trigger() }
        _ = try waitAll(runs, flights: flights)
        return Double(batch) / (FlightsBenchmark.milliseconds(ContinuousClock.now - start) / 1000)
    }

    /// Waits until every run has finished; a run that did not succeed fails the benchmark.
    private func waitAll(_ runs: [FlightRun], flights: Flights) throws -> [FlightRun] {
        try runs.map { run in
            let finished = try benchBlocking { try await RunWatcher(flights: flights).waitUntilFinished(run.id) }
            guard finished.status == .succeeded else {
                throw BenchFailure("run \(finished.runNumber) ended \(finished.status.rawValue) \(finished.failure.map { "(\($0))" } ?? "")")
            }
            return finished
        }
    }
}

/// A `hangar worker --slots 4` process, registered once the constructor returns.
private final class BenchWorker {
    let process = Process()

    init(hangar: URL, home: URL, environment: [String: String]) throws {
        process.executableURL = hangar
        process.arguments = ["worker", "--home", home.path, "--slots", "4"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line says it registered.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        guard String(decoding: line, as: UTF8.self).contains("registered") else { throw BenchFailure("hangar worker did not start") }
        // Keep draining its log so it never blocks on a full pipe.
        let reader = output.fileHandleForReading
        Thread.detachNewThread { while let chunk = try? reader.read(upToCount: 65_536), !chunk.isEmpty {} }
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
