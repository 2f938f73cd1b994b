import Foundation
import HangarAccount
import HangarFlights
import HangarTestSupport
import Testing

/// Runs triggered over HTTP: real Python flights under real supervisors, their logs paged and
/// streamed, cancelled.
struct RunsAPITests {
    @Test(.timeLimit(.minutes(5)))
    func aRunTriggeredOverHTTPSucceedsAndItsLogIsPaged() async throws {
        let test = try FlightsTestHome.shared("api-runs")
        let server = try await test.serve()
        let api = try server.client()
        let name = uniqueName("hello")
        let source = "import os\nprint('hello', os.environ['GREETING'])\nprint('second')\nprint('third')\n"
        #expect(try await api.post("/api/v1/flights", ["name": name, "source_code": source, "config": ["GREETING": "world"]]).status == 201)

        let triggered = try await api.post("/api/v1/flights/\(name)/runs", ["config": ["GREETING": "http"]])
        #expect(triggered.status == 201)
        let runID = try #require(triggered.json["run_id"] as? String)
        #expect(triggered.headers.first(name: "Location") == "/api/v1/runs/\(runID)")
        #expect(triggered.json["status"] as? String == "RUN_STATUS_PENDING")
        #expect(triggered.json["run_number"] as? Int == 1)
        #expect(triggered.json["trigger"] as? String == "manual")
        #expect(triggered.json["config"] as? [String: String] == ["GREETING": "http"])
        #expect(triggered.json["duration_sec"] is NSNull)
        #expect(triggered.json.keys.contains("load_info"))

        let run = try await eventually("the run to finish") { () -> [String: Any]? in
            let run = try await api.get("/api/v1/runs/\(runID)").json
            return ["RUN_STATUS_PENDING", "RUN_STATUS_RUNNING"].contains(run["status"] as? String ?? "") ? nil : run
        }
        #expect(run["status"] as? String == "RUN_STATUS_SUCCEEDED")
        #expect(run["exit_code"] as? Int == 0)
        #expect((run["duration_sec"] as? Double).map { $0 >= 0 } == true)
        #expect(run["ended_at"] is String)

        // The whole log, then pages of it by line number.
        let log = try await api.get("/api/v1/runs/\(runID)/logs")
        #expect(log.status == 200)
        #expect(log.json["finished"] as? Bool == true)
        let messages = log.items.compactMap { $0["message"] as? String }
        #expect(messages.contains("hello http"))
        let hello = try #require(log.items.first { $0["message"] as? String == "hello http" })
        #expect(hello["stream"] as? String == "stdout")
        #expect(hello["line"] as? String == "hello http")
        let helloLine = try #require(hello["line_number"] as? Int)
        let page = try await api.get("/api/v1/runs/\(runID)/logs?after=\(helloLine)&limit=1")
        #expect(page.items.map { $0["message"] as? String } == ["second"])
        #expect(page.json["next_after"] as? Int == helloLine + 1)
        #expect(page.json["finished"] as? Bool == false)
        let end = try await api.get("/api/v1/runs/\(runID)/logs?after=\(log.json["next_after"] as? Int ?? 0)")
        #expect(end.items.isEmpty)
        #expect(end.json["finished"] as? Bool == true)
        #expect(try await api.get("/api/v1/runs/\(runID)/logs?limit=0").errorParameter == "limit")

        // The flight's runs and the flights list show it.
        let runs = try await api.get("/api/v1/flights/\(name)/runs")
        #expect(runs.items.map { $0["run_id"] as? String } == [runID])
        let listed = try await api.get("/api/v1/flights?limit=1000").items.first { $0["flight_name"] as? String == name }
        #expect((listed?["last_run"] as? [String: Any])?["run_id"] as? String == runID)
        let recent = listed?["recent_runs"] as? [[String: Any]]
        #expect(recent?.map { $0["status"] as? String } == ["RUN_STATUS_SUCCEEDED"])
        #expect(recent?.first?["duration_sec"] is Double)
        #expect((try await api.get("/api/v1/flights/\(name)").json["last_run"] as? [String: Any])?["run_id"] as? String == runID)

        // A finished run can't be cancelled: the platform's conflict.
        let late = try await api.post("/api/v1/runs/\(runID)/cancel")
        #expect(late.status == 409)
        #expect(late.errorCode == "conflict")

        // Nothing loaded through the ingest engine: no load info. Once the store has a load
        // summary for the run (its supervisor records one), the run shows it.
        #expect(run["load_info"] is NSNull)
        #expect(run["rows_loaded"] is NSNull)
        let flights = try Flights(home: HangarHome(URL(fileURLWithPath: test.home)))
        try flights.recordLoadSummary(try #require(UUID(uuidString: runID)),
                                      RunLoadSummary(tables: ["demo.repos": 3, "demo.issues": 2], loadIDs: ["1764489600.1"]))
        let loaded = try await api.get("/api/v1/runs/\(runID)").json
        #expect(loaded["rows_loaded"] as? Int == 5)
        #expect(loaded["loaded_tables"] as? [String: Int] == ["demo.issues": 2, "demo.repos": 3])
        let info = try #require(loaded["load_info"] as? [String: Any])
        #expect(info["rows_loaded"] as? Int == 5)
        #expect((info["tables"] as? [[String: Any]])?.map { "\($0["table"] as? String ?? "") \($0["rows"] as? Int ?? 0)" }
                == ["demo.issues 2", "demo.repos 3"])
        #expect(info["load_ids"] as? [String] == ["1764489600.1"])
        let recentLoaded = try await api.get("/api/v1/flights?limit=1000").items.first { $0["flight_name"] as? String == name }
        #expect((recentLoaded?["recent_runs"] as? [[String: Any]])?.first?["rows_loaded"] as? Int == 5)
    }

    @Test(.timeLimit(.minutes(5)))
    func runRequestsAreChecked() async throws {
        let test = try FlightsTestHome.shared("api-runs")
        let server = try await test.serve()
        let api = try server.client()
        let name = uniqueName("checked")
        #expect(try await api.post("/api/v1/flights", ["name": name, "source_code": "print(1)", "config": ["A": "1"]]).status == 201)

        let unknownKey = try await api.post("/api/v1/flights/\(name)/runs", ["config": ["B": "2"]])
        #expect(unknownKey.status == 400)
        #expect(unknownKey.errorParameter == "config")
        #expect(try await api.post("/api/v1/flights/\(name)/runs", ["confg": [:]]).errorParameter == "confg")
        #expect(try await api.get("/api/v1/runs/not-a-uuid").errorParameter == "run_id")
        let missing = try await api.get("/api/v1/runs/\(UUID().uuidString.lowercased())")
        #expect(missing.status == 404)
        #expect(try await api.get("/api/v1/runs/\(UUID().uuidString.lowercased())/logs").status == 404)
        #expect(try await api.post("/api/v1/runs/\(UUID().uuidString.lowercased())/cancel").status == 404)
        #expect(try await api.stream("/api/v1/runs/\(UUID().uuidString.lowercased())/logs/stream") { _ in true }.status == 404)
        // No run was made by any of these.
        #expect(try await api.get("/api/v1/flights/\(name)/runs").items.isEmpty)
    }

    @Test(.timeLimit(.minutes(5)))
    func theLogStreamFollowsARunLiveAndEnds() async throws {
        let test = try FlightsTestHome.shared("api-runs")
        let server = try await test.serve()
        let api = try server.client()
        let name = uniqueName("live")
        let gate = try FlightGate.make(in: test.scratch, "\(name).gate")
        #expect(try await api.post("/api/v1/flights", ["name": name, "source_code": FlightGate.source(gate: gate), "max_runtime_sec": 120]).status == 201)
        let runID = try #require(try await api.post("/api/v1/flights/\(name)/runs").json["run_id"] as? String)

        var events: [StreamEvent] = []
        let outcome = try await api.stream("/api/v1/runs/\(runID)/logs/stream") { event in
            events.append(event)
            // The flight waits at its gate until the test has seen its first line live.
            if event.name == "line", event.json["message"] as? String == "one" { try FlightGate.release(gate) }
            return true
        }
        #expect(outcome.status == 200)
        #expect(outcome.closedByServer)

        #expect(events.first?.name == "status")
        #expect(events.last?.name == "end")
        #expect(events.last?.json["status"] as? String == "RUN_STATUS_SUCCEEDED")
        let lines = events.filter { $0.name == "line" }
        let messages = lines.compactMap { $0.json["message"] as? String }
        let one = try #require(messages.firstIndex(of: "one"))
        let two = try #require(messages.firstIndex(of: "two"))
        #expect(one < two)
        // Every line once, in order, each event's id its line number.
        #expect(lines.map { $0.id } == lines.map { ($0.json["line_number"] as? Int).map(String.init) })
        #expect(lines.compactMap { $0.json["line_number"] as? Int } == Array(1...lines.count))
        // The status went to RUNNING while the flight waited, then SUCCEEDED.
        let statuses = events.filter { $0.name == "status" }.compactMap { $0.json["status"] as? String }
        #expect(statuses.contains("RUN_STATUS_RUNNING"))
        #expect(statuses.last == "RUN_STATUS_SUCCEEDED")

        // A reconnect with Last-Event-ID resumes after that line.
        var resumed: [StreamEvent] = []
        try await api.stream("/api/v1/runs/\(runID)/logs/stream", lastEventID: String(one + 1)) { event in
            resumed.append(event)
            return true
        }
        let resumedLines = resumed.filter { $0.name == "line" }
        #expect(resumedLines.first?.id == String(one + 2))
        #expect(resumedLines.compactMap { $0.json["message"] as? String } == Array(messages[(one + 1)...]))
        #expect(resumed.first?.name == "status")
        #expect(resumed.last?.name == "end")
        // ?after= does the same for clients that can't set headers.
        var afterQuery: [String] = []
        try await api.stream("/api/v1/runs/\(runID)/logs/stream?after=\(lines.count - 1)") { event in
            if event.name == "line", let id = event.id { afterQuery.append(id) }
            return true
        }
        #expect(afterQuery == [String(lines.count)])
        let badResume = try await api.stream("/api/v1/runs/\(runID)/logs/stream", lastEventID: "x") { _ in true }
        #expect(badResume.status == 400)
    }

    @Test(.timeLimit(.minutes(5)))
    func aRunningRunIsCancelledOverHTTP() async throws {
        let test = try FlightsTestHome.shared("api-runs")
        let server = try await test.serve()
        let api = try server.client()
        let name = uniqueName("cancel")
        let gate = try FlightGate.make(in: test.scratch, "\(name).gate")
        #expect(try await api.post("/api/v1/flights", ["name": name, "source_code": FlightGate.source(gate: gate), "max_runtime_sec": 120]).status == 201)
        let runID = try #require(try await api.post("/api/v1/flights/\(name)/runs").json["run_id"] as? String)
        try await eventually("the flight to wait at its gate") {
            try await api.get("/api/v1/runs/\(runID)/logs").items.compactMap { $0["message"] as? String }.contains("one")
        }

        let cancel = try await api.post("/api/v1/runs/\(runID)/cancel")
        #expect(cancel.status == 200)
        #expect(cancel.json["run_id"] as? String == runID)
        #expect(cancel.json["cancel_requested_at"] is String)
        let cancelled = try await eventually("the run to be cancelled") { () -> [String: Any]? in
            let run = try await api.get("/api/v1/runs/\(runID)").json
            return run["status"] as? String == "RUN_STATUS_RUNNING" ? nil : run
        }
        #expect(cancelled["status"] as? String == "RUN_STATUS_CANCELLED")
        #expect(cancelled["failure_reason"] as? String == "cancelled")
        #expect(try await api.post("/api/v1/runs/\(runID)/cancel").status == 409)
    }
}
