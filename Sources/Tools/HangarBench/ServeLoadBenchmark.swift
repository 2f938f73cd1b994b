import AsyncHTTPClient
import Foundation
import HangarAccount
import HangarFlights
import NIOCore

/// `hangar serve` under load on loopback: `HANGAR_BENCH_LOAD_CLIENTS` (default 200) concurrent API
/// clients for `HANGAR_BENCH_LOAD_SECONDS` (default 30) while 20 flights run on schedules. The
/// flights fire every minute and have a fire missed just before the server starts, so each runs
/// at once (catch-up `latest`) and again at every minute boundary during the load. Each client
/// loops over what the dashboard asks for: the flights list, one flight, its runs, one run, its
/// logs, health. Reported: requests, throughput, latency percentiles, errors (any non-2xx or
/// failed request; the target is none), and the scheduled runs started and finished meanwhile.
struct ServeLoadBenchmark {
    let clients = Int(ProcessInfo.processInfo.environment["HANGAR_BENCH_LOAD_CLIENTS"] ?? "") ?? 200
    let seconds = Double(ProcessInfo.processInfo.environment["HANGAR_BENCH_LOAD_SECONDS"] ?? "") ?? 30
    static let flightCount = 20

    func run() async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let hangar = executable.deletingLastPathComponent().appendingPathComponent("hangar")
        guard FileManager.default.isExecutableFile(atPath: hangar.path) else {
            throw BenchFailure("no hangar binary next to HangarBench at \(hangar.path); build it: swift build -c release --product hangar")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-bench-serve-\(getpid())", isDirectory: true)
        try? FileManager.default.removeItem(at: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let home = HangarHome(root)

        // Flights whose every-minute schedule took effect two minutes ago: the latest missed fire
        // runs as soon as the scheduler starts.
        let twoMinutesAgo = Date().addingTimeInterval(-120)
        let past = try Flights(home: home, clock: { twoMinutesAgo })
        let names = (1...Self.flightCount).map { String(format: "scheduled_%02d", $0) }
        for name in names {
            _ = try past.create(NewFlight(name: name, sourceCode: "print('tick from \(name)')\n", scheduleCron: "* * * * *"))
        }
        let flights = try Flights(home: home)
        // A warm Python environment, so the runs measure the platform rather than one venv build.
        _ = try flights.create(NewFlight(name: "warm_up", sourceCode: "pass\n"))

        print("== hangar serve under load: \(clients) concurrent API clients for \(Int(seconds)) s on loopback, \(Self.flightCount) flights on every-minute schedules")
        let server = try ServeProcess.start(hangar: hangar, home: root)
        defer { server.stop() }
        let token = try String(contentsOf: root.appendingPathComponent("server/token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(30))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

        // One run to ask about, as the dashboard's run page does.
        let probe = try await Self.get(client, server.url + "/api/v1/flights/\(names[0])/runs?limit=1", token: token)
        let runID = (try? JSONSerialization.jsonObject(with: Data(probe.body)) as? [String: Any])
            .flatMap { ($0["items"] as? [[String: Any]])?.first?["run_id"] as? String }
        var paths = ["/api/v1/flights?limit=20", "/healthz"]
        for name in names.prefix(5) {
            paths += ["/api/v1/flights/\(name)", "/api/v1/flights/\(name)/runs?limit=10"]
        }
        if let runID { paths += ["/api/v1/runs/\(runID)", "/api/v1/runs/\(runID)/logs?limit=100"] }

        let endpoints = paths
        let base = server.url
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let started = ContinuousClock.now
        let results = await withTaskGroup(of: ClientResult.self) { group in
            for index in 0..<clients {
                group.addTask {
                    var result = ClientResult()
                    var next = index
                    while ContinuousClock.now < deadline {
                        let path = endpoints[next % endpoints.count]
                        next += 1
                        let begin = ContinuousClock.now
                        do {
                            let response = try await Self.get(client, base + path, token: token)
                            result.latencies.append((ContinuousClock.now - begin).milliseconds)
                            if !(200..<300).contains(response.status) {
                                result.errors.append("\(path) → \(response.status)")
                            }
                        } catch {
                            result.errors.append("\(path): \(error)")
                        }
                    }
                    return result
                }
            }
            var all = ClientResult()
            for await result in group {
                all.latencies += result.latencies
                all.errors += result.errors
            }
            return all
        }
        let elapsed = (ContinuousClock.now - started).milliseconds / 1000
        try await client.shutdown()

        // The runs the load overlapped are waited for (up to two minutes), so their outcome counts.
        let scheduledDuringLoad = Set(try flights.runsCreated(since: .distantPast).filter(\.isScheduled).map(\.id))
        let waitUntil = Date().addingTimeInterval(120)
        var runs = try flights.runsCreated(since: .distantPast).filter { scheduledDuringLoad.contains($0.id) }
        while runs.contains(where: { !$0.status.isFinished }), Date() < waitUntil {
            try await Task.sleep(for: .milliseconds(200))
            runs = try flights.runsCreated(since: .distantPast).filter { scheduledDuringLoad.contains($0.id) }
        }
        let finished = runs.filter { $0.status == .succeeded }.count
        let latencies = results.latencies.sorted()
        print(pad("requests", 12, right: true) + pad("req/s", 10, right: true) + pad("p50 ms", 10, right: true)
              + pad("p99 ms", 10, right: true) + pad("max ms", 10, right: true) + pad("errors", 9, right: true)
              + pad("scheduled runs", 17, right: true) + pad("succeeded", 11, right: true))
        print(pad(String(latencies.count), 12, right: true)
              + pad(String(format: "%.0f", Double(latencies.count) / elapsed), 10, right: true)
              + pad(String(format: "%.1f", Self.percentile(latencies, 0.50)), 10, right: true)
              + pad(String(format: "%.1f", Self.percentile(latencies, 0.99)), 10, right: true)
              + pad(String(format: "%.1f", latencies.last ?? 0), 10, right: true)
              + pad(String(results.errors.count), 9, right: true)
              + pad(String(runs.count), 17, right: true) + pad(String(finished), 11, right: true))
        if results.errors.isEmpty, finished == runs.count {
            print("no errors under load and every scheduled run succeeded; target (no errors): met")
        } else {
            print("target (no errors): MISSED — \(results.errors.count) request errors\(results.errors.isEmpty ? "" : ", e.g. " + results.errors.prefix(3).joined(separator: "; ")), \(runs.count - finished) scheduled runs did not succeed")
        }
    }

    struct ClientResult: Sendable {
        var latencies: [Double] = []
        var errors: [String] = []
    }

    static func get(_ client: HTTPClient, _ url: String, token: String) async throws -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), Array(body.readableBytesView))
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}

/// A `hangar serve` process on a free port, stopped (SIGTERM) at the end.
struct ServeProcess {
    let process: Process
    let url: String

    static func start(hangar: URL, home: URL) throws -> ServeProcess {
        let process = Process()
        process.executableURL = hangar
        process.arguments = ["serve", "--home", home.path, "--port", "0", "--poll-interval", "1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let handle = pipe.fileHandleForReading
        while let byte = try handle.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening on ") else {
            process.terminate()
            throw BenchFailure("hangar serve did not start: \(text)")
        }
        // The rest of its log is not needed; reading it keeps the pipe from filling up.
        DispatchQueue.global().async { while (try? handle.read(upToCount: 1 << 16))?.isEmpty == false {} }
        return ServeProcess(process: process, url: String(text.dropFirst("listening on ".count)))
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
