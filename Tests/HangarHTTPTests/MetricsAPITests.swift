import Foundation
import HangarTestSupport
import Testing

/// `GET /metrics`: Prometheus' text format behind the token, counting the runs of the home's
/// processes (here a run triggered over HTTP, supervised by another process) and the database
/// leases' waits.
struct MetricsAPITests {
    @Test(.timeLimit(.minutes(5)))
    func metricsCountRunsAndLeaseWaitsBehindTheToken() async throws {
        // A home of its own: the counters are the runs of this home since this server started.
        let test = try FlightsTestHome()
        #expect(try test.hangar("sql", "metered", "-c", "CREATE TABLE t AS SELECT 42 AS answer").status == 0)
        let server = try await test.serve()
        let api = try server.client()
        #expect(try await api.withoutToken().get("/metrics").status == 401)

        let name = uniqueName("metered")
        #expect(try await api.post("/api/v1/flights", ["name": name, "source_code": "print('counted')\n"]).status == 201)
        let runID = try #require(try await api.post("/api/v1/flights/\(name)/runs").json["run_id"] as? String)
        let run = try await eventually("the run to finish", timeout: .seconds(150)) { () -> [String: Any]? in
            let run = try await api.get("/api/v1/runs/\(runID)").json
            return ["RUN_STATUS_PENDING", "RUN_STATUS_RUNNING"].contains(run["status"] as? String ?? "") ? nil : run
        }
        #expect(run["status"] as? String == "RUN_STATUS_SUCCEEDED", "\(run)")

        // The collector looks every 2 s.
        let scrape = try await eventually("the finished run in /metrics") { () -> APIResult? in
            let scrape = try await api.get("/metrics")
            return scrape.text.contains(#"hangar_runs_finished_total{status="succeeded"} 1"#) ? scrape : nil
        }
        #expect(scrape.status == 200)
        #expect(scrape.headers.first(name: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        for expected in [#"hangar_runs_started_total{trigger="manual"} 1"#, #"hangar_run_duration_seconds_count{status="succeeded"} 1"#,
                         "hangar_active_runs 0", "# TYPE hangar_run_duration_seconds histogram"] {
            #expect(scrape.text.contains(expected), "missing \(expected) in:\n\(scrape.text)")
        }

        // A statement on an account database takes its lease: the wait is measured.
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT answer FROM t", "database": "metered"]).status == 200)
        let afterSQL = try await api.get("/metrics").text
        #expect(afterSQL.contains(#"hangar_lease_wait_seconds_count{database="metered"}"#), "\(afterSQL)")
    }
}
