import Foundation
import HangarAccount
import HangarFlights
import HangarTestSupport
import Testing

/// `hangar serve` as a process: what it prints first, how it stops, and what happens to runs
/// and open log streams when it does.
struct ServeLifecycleTests {
    @Test(.timeLimit(.minutes(5)))
    func theFirstLineNamesTheAddressAndSignalsStopItGracefully() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let pattern = try Regex("^listening on http://127\\.0\\.0\\.1:[0-9]+$")
        #expect(server.firstLine.wholeMatch(of: pattern) != nil, "\(server.firstLine)")
        let port = Int(server.url.split(separator: ":").last ?? "") ?? 0
        #expect(port > 0 && port != 8080)
        // One log line per request, with method, path (query names only), status and duration.
        _ = try await server.client().get("/api/v1/schedule?cron=@daily&count=2")
        #expect(try await server.client().withoutToken().get("/api/v1/flights").status == 401)
        try await eventually("the request log lines") {
            server.stdout.contains("GET /api/v1/schedule?cron&count 200") && server.stdout.contains("GET /api/v1/flights 401")
        }
        #expect(server.stdout.range(of: "GET /api/v1/flights 401 [0-9.]+ ms", options: .regularExpression) != nil)
        #expect(!server.stdout.contains("@daily"))

        #expect(await server.stop(SIGTERM) == 0)
        #expect(server.stdout.contains("stopped; running flights continue under their supervisors"))

        let again = try await test.serve()
        #expect(await again.stop(SIGINT) == 0)
    }

    @Test(.timeLimit(.minutes(5)))
    func aPortInUseIsAClearFailure() async throws {
        let test = try FlightsTestHome()
        let first = try await test.serve()
        let port = String(first.url.split(separator: ":").last ?? "")
        let second = try test.hangar("serve", "--port", port)
        #expect(second.status == 1)
        #expect(second.stderr.contains("hangar serve: cannot serve on 127.0.0.1:\(port)"))
        #expect(!second.stdout.contains("listening on"))
        #expect(try test.hangar("serve", "--port", "70000").status == 64)
    }

    @Test(.timeLimit(.minutes(5)))
    func stoppingTheServerEndsLogStreamsWhileRunsGoOn() async throws {
        let test = try FlightsTestHome.shared("api-runs")
        let server = try await test.serve()
        let api = try server.client()
        let name = uniqueName("outlives")
        let gate = try FlightGate.make(in: test.scratch, "\(name).gate")
        #expect(try await api.post("/api/v1/flights", ["name": name, "source_code": FlightGate.source(gate: gate), "max_runtime_sec": 120]).status == 201)
        let runID = try #require(try await api.post("/api/v1/flights/\(name)/runs").json["run_id"] as? String)

        // While the stream is open and the flight waits at its gate, the server is told to stop.
        var sawEnd = false
        let outcome = try await api.stream("/api/v1/runs/\(runID)/logs/stream") { event in
            if event.name == "line", event.json["message"] as? String == "one" { kill(server.process.processIdentifier, SIGTERM) }
            if event.name == "end" { sawEnd = true }
            return true
        }
        #expect(outcome.closedByServer)
        #expect(!sawEnd)
        #expect(await server.stop() == 0)

        // The run goes on under its supervisor, and finishes once let through.
        let flights = try Flights(home: HangarHome(URL(fileURLWithPath: test.home)))
        let id = try #require(UUID(uuidString: runID))
        #expect(try flights.run(id: id).status == .running)
        try FlightGate.release(gate)
        let finished = try await eventually("the run to finish without a server") { () -> FlightRun? in
            let run = try flights.run(id: id)
            return run.status.isFinished ? run : nil
        }
        #expect(finished.status == .succeeded)
    }

    @Test(.timeLimit(.minutes(5)))
    func cancelRunsOnExitCancelsTheRunsInProgress() async throws {
        // A home of its own: the flag cancels every run in progress on the home.
        let test = try FlightsTestHome()
        let server = try await test.serve("--cancel-runs-on-exit")
        let api = try server.client()
        let gate = try FlightGate.make(in: test.scratch, "gate")
        #expect(try await api.post("/api/v1/flights", ["name": "waits", "source_code": FlightGate.source(gate: gate), "max_runtime_sec": 120]).status == 201)
        let runID = try #require(try await api.post("/api/v1/flights/waits/runs").json["run_id"] as? String)
        try await eventually("the flight to wait at its gate") {
            try await api.get("/api/v1/runs/\(runID)/logs").items.contains { $0["message"] as? String == "one" }
        }

        #expect(await server.stop() == 0)
        #expect(server.stdout.contains("stopped; cancelled 1 run in progress"))
        let flights = try Flights(home: HangarHome(URL(fileURLWithPath: test.home)))
        let id = try #require(UUID(uuidString: runID))
        let run = try await eventually("the run to be cancelled") { () -> FlightRun? in
            let run = try flights.run(id: id)
            return run.status.isFinished ? run : nil
        }
        #expect(run.status == .cancelled)
    }
}
