import Foundation
import HangarTestSupport
import Testing

/// Flights CRUD and versions over HTTP: the platform's rules, mapped to statuses (400 naming the
/// field, 404, 409), and the API's own checks on bodies.
struct FlightsAPITests {
    @Test(.timeLimit(.minutes(5)))
    func createShowUpdateAndDeleteAFlight() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let api = try server.client()

        let created = try await api.post("/api/v1/flights", [
            "name": "docs_ingest", "source_code": "print('v1')\n", "schedule_cron": "15 7 * * *",
            "config": ["REPOS": "duckdb/duckdb"], "flight_secret_names": ["GitHub"], "max_runtime_sec": 600,
            "catch_up": "none",
        ])
        #expect(created.status == 201)
        let flight = created.json
        let id = try #require(flight["flight_id"] as? String)
        #expect(created.headers.first(name: "Location") == "/api/v1/flights/\(id)")
        #expect(flight["flight_name"] as? String == "docs_ingest")
        #expect(flight["schedule_description"] as? String == "every day at 07:15 UTC")
        #expect(flight["schedule_status"] as? String == "ACTIVE")
        #expect(flight["catch_up"] as? String == "none")
        #expect(flight["runtime"] as? String == "python")
        #expect(flight["current_version"] as? Int == 1)
        #expect((flight["next_fire_at"] as? String)?.hasSuffix("07:15:00.000000Z") == true)
        #expect(flight["last_run"] is NSNull)
        let version = try #require(flight["version"] as? [String: Any])
        #expect(version["source_code"] as? String == "print('v1')\n")
        #expect(version["config"] as? [String: String] == ["REPOS": "duckdb/duckdb"])
        #expect(version["flight_secret_names"] as? [String] == ["github"])
        #expect(version["max_runtime_sec"] as? Int == 600)

        // By name (any case) and by id, the same flight.
        let byName = try await api.get("/api/v1/flights/DOCS_INGEST")
        #expect(byName.status == 200)
        #expect(byName.json["flight_id"] as? String == id)
        #expect(try await api.get("/api/v1/flights/\(id)").json["flight_name"] as? String == "docs_ingest")

        // Content makes a new version; renaming and schedules don't.
        let renamed = try await api.patch("/api/v1/flights/docs_ingest", ["name": "docs_dlt", "schedule_cron": "*/15 * * * *"])
        #expect(renamed.status == 200)
        #expect(renamed.json["flight_name"] as? String == "docs_dlt")
        #expect(renamed.json["current_version"] as? Int == 1)
        #expect(renamed.json["schedule_description"] as? String == "every 15 minutes")
        let updated = try await api.patch("/api/v1/flights/docs_dlt", ["source_code": "print('v2')\n", "config": NSNull()])
        #expect(updated.status == 200)
        #expect(updated.json["current_version"] as? Int == 2)
        let second = try #require(updated.json["version"] as? [String: Any])
        #expect(second["source_code"] as? String == "print('v2')\n")
        #expect(second["config"] as? [String: String] == [:])
        // Fields not passed carry forward.
        #expect(second["flight_secret_names"] as? [String] == ["github"])
        let paused = try await api.patch("/api/v1/flights/docs_dlt", ["schedule_status": "disabled"])
        #expect(paused.json["schedule_status"] as? String == "DISABLED")
        #expect(paused.json["next_fire_at"] is NSNull)
        let onDemand = try await api.patch("/api/v1/flights/docs_dlt", ["schedule_cron": ""])
        #expect(onDemand.json["schedule_cron"] is NSNull)
        #expect(onDemand.json["schedule_description"] is NSNull)
        // An empty PATCH changes nothing.
        #expect(try await api.patch("/api/v1/flights/docs_dlt", [String: Any]()).json["current_version"] as? Int == 2)

        // Versions: newest first without code, one with code.
        let versions = try await api.get("/api/v1/flights/docs_dlt/versions")
        #expect(versions.items.map { $0["flight_version"] as? Int } == [2, 1])
        #expect(versions.items.allSatisfy { $0["source_code"] == nil })
        let first = try await api.get("/api/v1/flights/docs_dlt/versions/1")
        #expect(first.json["source_code"] as? String == "print('v1')\n")
        #expect(try await api.get("/api/v1/flights/docs_dlt/versions/3").status == 404)
        #expect(try await api.get("/api/v1/flights/docs_dlt/versions/zero").errorParameter == "version")

        let deleted = try await api.delete("/api/v1/flights/docs_dlt")
        #expect(deleted.status == 200)
        #expect(deleted.json["deleted"] as? Bool == true)
        #expect(deleted.json["flight_id"] as? String == id)
        #expect(try await api.get("/api/v1/flights/docs_dlt").status == 404)
        #expect(try await api.delete("/api/v1/flights/docs_dlt").status == 404)
    }

    @Test(.timeLimit(.minutes(5)))
    func thePlatformsRefusalsMapToStatuses() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let api = try server.client()
        #expect(try await api.post("/api/v1/flights", ["name": "taken", "source_code": "print(1)"]).status == 201)
        #expect(try await api.post("/api/v1/flights", ["name": "other", "source_code": "print(1)"]).status == 201)

        let clash = try await api.post("/api/v1/flights", ["name": "TAKEN", "source_code": "print(1)"])
        #expect(clash.status == 409)
        #expect(clash.errorCode == "conflict")
        #expect(clash.errorMessage?.contains("already exists") == true)
        #expect(try await api.patch("/api/v1/flights/other", ["name": "taken"]).status == 409)

        let badCron = try await api.post("/api/v1/flights", ["name": "cron", "source_code": "print(1)", "schedule_cron": "61 * * * *"])
        #expect(badCron.status == 400)
        #expect(badCron.errorCode == "invalid_input")
        #expect(badCron.errorParameter == "schedule_cron")
        #expect(badCron.errorMessage?.contains("61 is out of range 0-59") == true)
        #expect(try await api.patch("/api/v1/flights/other", ["schedule_cron": "* * *"]).errorParameter == "schedule_cron")

        #expect(try await api.post("/api/v1/flights", ["name": "", "source_code": "print(1)"]).errorParameter == "name")
        #expect(try await api.post("/api/v1/flights", ["name": "no_source"]).errorParameter == "source_code")
        #expect(try await api.post("/api/v1/flights", ["name": "rt", "source_code": "x", "runtime": "rust"]).errorParameter == "runtime")
        #expect(try await api.post("/api/v1/flights", ["name": "cu", "source_code": "x", "catch_up": "some"]).errorParameter == "catch_up")
        #expect(try await api.post("/api/v1/flights", ["name": "cfg", "source_code": "x", "config": ["HANGAR_X": "1"]]).errorParameter == "config")
        #expect(try await api.patch("/api/v1/flights/other", ["schedule_status": "ACTIVE"]).errorParameter == "schedule_status")
        #expect(try await api.patch("/api/v1/flights/other", ["name": NSNull()]).errorParameter == "name")

        let missing = try await api.get("/api/v1/flights/nope")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")
        #expect(try await api.patch("/api/v1/flights/nope", ["name": "x"]).status == 404)
        #expect(try await api.get("/api/v1/flights/nope/versions").status == 404)
        #expect(try await api.get("/api/v1/flights/nope/runs").status == 404)
        #expect(try await api.post("/api/v1/flights/nope/runs").status == 404)
    }

    @Test(.timeLimit(.minutes(5)))
    func badBodiesAreTheCallersMistakeNeverA500() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let api = try server.client()

        let notJSON = try await api.send(.POST, "/api/v1/flights", raw: "{\"name\": ")
        #expect(notJSON.status == 400)
        #expect(notJSON.errorParameter == "body")
        #expect(notJSON.errorMessage?.hasPrefix("the request body is not valid JSON") == true)
        #expect(try await api.send(.POST, "/api/v1/flights", raw: "[1, 2]").errorParameter == "body")

        let wrongType = try await api.post("/api/v1/flights", ["name": 42, "source_code": "x"])
        #expect(wrongType.status == 400)
        #expect(wrongType.errorParameter == "name")
        #expect(wrongType.errorMessage == "name must be a string, not a number")
        #expect(try await api.post("/api/v1/flights", ["name": "n", "source_code": "x", "config": ["A": 1]]).errorParameter == "config")
        #expect(try await api.post("/api/v1/flights", ["name": "n", "source_code": "x", "max_runtime_sec": "10"]).errorParameter == "max_runtime_sec")
        #expect(try await api.post("/api/v1/flights", ["name": "n", "source_code": "x", "flight_secret_names": "a"]).errorParameter == "flight_secret_names")

        let unknown = try await api.post("/api/v1/flights", ["name": "n", "sourcecode": "x"])
        #expect(unknown.status == 400)
        #expect(unknown.errorParameter == "sourcecode")

        let form = try await api.send(.POST, "/api/v1/flights", raw: "name=n", contentType: "application/x-www-form-urlencoded")
        #expect(form.status == 415)
        #expect(form.errorCode == "unsupported_media_type")

        let huge = try await api.post("/api/v1/flights", ["name": "big", "source_code": String(repeating: "#", count: 2 << 20)])
        #expect(huge.status == 413)
        #expect(huge.errorCode == "payload_too_large")
        // Under the body limit but over the platform's source limit: the platform's 400.
        let large = try await api.post("/api/v1/flights", ["name": "big", "source_code": String(repeating: "#", count: 300_000)])
        #expect(large.status == 400)
        #expect(large.errorParameter == "source_code")

        let wrongMethod = try await api.send(.PUT, "/api/v1/flights")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.errorCode == "method_not_allowed")
        #expect(wrongMethod.headers.first(name: "Allow") == "GET, POST")
        let noRoute = try await api.get("/api/v1/nothing/here")
        #expect(noRoute.status == 404)
        #expect(noRoute.errorCode == "not_found")
    }

    @Test(.timeLimit(.minutes(5)))
    func listsArePaged() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let api = try server.client()
        for index in 1...5 {
            #expect(try await api.post("/api/v1/flights", ["name": "flight_\(index)", "source_code": "print(\(index))"]).status == 201)
        }

        let all = try await api.get("/api/v1/flights")
        #expect(all.items.count == 5)
        #expect(all.json["limit"] as? Int == 50)
        #expect(all.json["offset"] as? Int == 0)
        #expect(all.json["next_offset"] is NSNull)
        // Creation order, with each flight's runs (none yet).
        #expect(all.items.map { $0["flight_name"] as? String } == (1...5).map { "flight_\($0)" })
        #expect(all.items.allSatisfy { ($0["recent_runs"] as? [Any])?.isEmpty == true && $0["last_run"] is NSNull })
        #expect(all.items.allSatisfy { $0.keys.contains("schedule_description") })

        let first = try await api.get("/api/v1/flights?limit=2")
        #expect(first.items.map { $0["flight_name"] as? String } == ["flight_1", "flight_2"])
        #expect(first.json["next_offset"] as? Int == 2)
        let second = try await api.get("/api/v1/flights?limit=2&offset=2")
        #expect(second.items.map { $0["flight_name"] as? String } == ["flight_3", "flight_4"])
        #expect(second.json["next_offset"] as? Int == 4)
        let last = try await api.get("/api/v1/flights?limit=2&offset=4")
        #expect(last.items.map { $0["flight_name"] as? String } == ["flight_5"])
        #expect(last.json["next_offset"] is NSNull)
        #expect(try await api.get("/api/v1/flights?offset=9").items.isEmpty)

        // Exactly a page's worth: no phantom next page.
        #expect(try await api.get("/api/v1/flights?limit=5").json["next_offset"] is NSNull)

        for bad in ["limit=0", "limit=1001", "limit=abc", "offset=-1"] {
            let refused = try await api.get("/api/v1/flights?\(bad)")
            #expect(refused.status == 400, "\(bad)")
            #expect(refused.errorParameter == String(bad.prefix { $0 != "=" }), "\(bad)")
        }

        // Versions are paged the same way.
        for round in 2...4 {
            _ = try await api.patch("/api/v1/flights/flight_1", ["source_code": "print('round \(round)')"])
        }
        let versions = try await api.get("/api/v1/flights/flight_1/versions?limit=3")
        #expect(versions.items.map { $0["flight_version"] as? Int } == [4, 3, 2])
        #expect(versions.json["next_offset"] as? Int == 3)
        #expect(try await api.get("/api/v1/flights/flight_1/versions?limit=3&offset=3").items.map { $0["flight_version"] as? Int } == [1])
    }
}
