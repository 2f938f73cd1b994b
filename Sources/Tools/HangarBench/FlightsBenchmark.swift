import Foundation
import HangarAccount
import HangarFlights
import HangarRunner

/// Trigger-to-finished latency of runs, the way `hangar run --wait` sees it: a no-op Swift flight
/// already built and a no-op Python flight whose environment exists, each run
/// `HANGAR_BENCH_FLIGHT_RUNS` times (default 20) one after another through `RunLauncher.start`
/// (the run recorded, its supervisor `hangar supervise` started detached) and `RunWatcher` until
/// the run has finished. Reported: the run's own record (created_at → ended_at) and the wall
/// time the caller saw, with the phases of the record (created → started: the supervisor's
/// start and the runtime's preparation; started → ended: the program and the final log flush).
struct FlightsBenchmark {
    static let swiftTargetMs = 150.0
    static let pythonTargetMs = 600.0

    let runs = Int(ProcessInfo.processInfo.environment["HANGAR_BENCH_FLIGHT_RUNS"] ?? "") ?? 20

    struct Sample {
        let recorded: Double  // created_at → ended_at, ms
        let wall: Double  // before start → after the wait returned, ms
        let toStarted: Double  // created_at → started_at, ms
        let program: Double  // started_at → ended_at, ms
    }

    func run() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let hangar = executable.deletingLastPathComponent().appendingPathComponent("hangar")
        guard FileManager.default.isExecutableFile(atPath: hangar.path) else {
            throw BenchFailure("no hangar binary next to HangarBench at \(hangar.path); build it: swift build -c release --product hangar")
        }
        let sdk = executable.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: sdk.appendingPathComponent("libFlightKit.so").path),
              FileManager.default.fileExists(atPath: sdk.appendingPathComponent("Modules/FlightKit.swiftmodule").path) else {
            throw BenchFailure("no FlightKit SDK next to HangarBench in \(sdk.path); build it: swift build -c release --product FlightKit")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-bench-flights-\(getpid())", isDirectory: true)
        try? FileManager.default.removeItem(at: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let home = HangarHome(root)
        let flights = try Flights(home: home)
        let launcher = RunLauncher(home: home, hangarExecutable: hangar)
        _ = try flights.create(NewFlight(name: "noop_swift", sourceCode: "import FlightKit\n\n_ = FlightContext.current\n", runtime: .swift))
        _ = try flights.create(NewFlight(name: "noop_python", sourceCode: "pass\n", runtime: .python))

        print("== Flights: trigger-to-finished latency, \(runs) sequential runs each (RunLauncher.start, RunWatcher until finished)")
        var rows: [(label: String, first: Double, samples: [Sample], target: Double)] = []
        for (name, label, target) in [("noop_swift", "no-op Swift flight, built", Self.swiftTargetMs),
                                      ("noop_python", "no-op Python flight, warm environment", Self.pythonTargetMs)] {
            // The first run builds the flight, or makes its Python environment.
            let first = try measureRun(name, flights: flights, launcher: launcher)
            let samples = try (0..<runs).map { _ in try measureRun(name, flights: flights, launcher: launcher) }
            rows.append((label, first.wall, samples, target))
        }

        print(pad("flight", 40) + pad("first run", 11, right: true) + pad("p50", 9, right: true) + pad("p95", 9, right: true)
              + pad("caller p50", 12, right: true) + pad("p95", 9, right: true) + pad("target", 10, right: true) + "  ")
        for row in rows {
            let recorded = row.samples.map(\.recorded), wall = row.samples.map(\.wall)
            let met = Self.percentile(recorded, 0.95) < row.target && Self.percentile(wall, 0.95) < row.target
            print(pad(row.label, 40) + pad(Self.ms(row.first), 11, right: true)
                  + pad(Self.ms(Self.percentile(recorded, 0.5)), 9, right: true) + pad(Self.ms(Self.percentile(recorded, 0.95)), 9, right: true)
                  + pad(Self.ms(Self.percentile(wall, 0.5)), 12, right: true) + pad(Self.ms(Self.percentile(wall, 0.95)), 9, right: true)
                  + pad("< " + Self.ms(row.target), 10, right: true) + "  " + (met ? "met" : "MISSED"))
        }
        print("p50/p95: created_at → ended_at as recorded; caller: wall time from start() until the wait returned.")
        for row in rows {
            print("  \(row.label): created → started p50 \(Self.ms(Self.percentile(row.samples.map(\.toStarted), 0.5))), "
                  + "started → ended p50 \(Self.ms(Self.percentile(row.samples.map(\.program), 0.5)))")
        }
    }

    /// One run, triggered and waited for as `hangar run --wait` does.
    private func measureRun(_ name: String, flights: Flights, launcher: RunLauncher) throws -> Sample {
        let start = ContinuousClock.now
        let finished = try benchBlocking {
            let started = try launcher.start(flights, FlightSelector(name))
            return try await RunWatcher(flights: flights).waitUntilFinished(started.id)
        }
        let wall = Self.milliseconds(ContinuousClock.now - start)
        guard finished.status == .succeeded, let startedAt = finished.startedAt, let endedAt = finished.endedAt else {
            let log = (try? flights.logLines(finished.id))?.map(\.line).joined(separator: "\n") ?? ""
            throw BenchFailure("run \(finished.runNumber) of \(name) ended \(finished.status.rawValue) \(finished.failure.map { "(\($0))" } ?? ""):\n\(log)")
        }
        return Sample(recorded: endedAt.timeIntervalSince(finished.createdAt) * 1000, wall: wall,
                      toStarted: startedAt.timeIntervalSince(finished.createdAt) * 1000,
                      program: endedAt.timeIntervalSince(startedAt) * 1000)
    }

    /// Nearest rank: the smallest value with at least `fraction` of the values at or below it.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func ms(_ value: Double) -> String {
        value >= 10_000 ? String(format: "%.1f s", value / 1000) : String(format: "%.0f ms", value)
    }
}

/// Runs async work to its end from synchronous code (the benchmark's top level is synchronous).
func benchBlocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
