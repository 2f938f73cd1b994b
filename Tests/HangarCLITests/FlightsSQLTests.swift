import Foundation
import HangarFlights
import HangarTestSupport
import Testing

/// The `MD_*` table functions of `hangar sql` (`docs/sql-surface.md`), run as users run them:
/// real `hangar sql` sessions on a home of their own. Runs the tests need to stay PENDING are
/// triggered through the platform API, without a supervisor.
struct FlightsSQLTests {
    static let summary = [
        "flight_id UUID", "flight_name VARCHAR", "schedule_cron VARCHAR", "schedule_status VARCHAR", "status VARCHAR",
        "current_version UINTEGER", "created_at TIMESTAMP WITH TIME ZONE", "updated_at TIMESTAMP WITH TIME ZONE",
        "owner_name VARCHAR",
    ]
    static let version = [
        "version_id UUID", "flight_id UUID", "flight_version UINTEGER", "created_at TIMESTAMP WITH TIME ZONE",
        "access_token_name VARCHAR", "flight_secret_names VARCHAR[]", "config MAP(VARCHAR, VARCHAR)",
        "max_runtime_sec UINTEGER", "instance_type VARCHAR",
    ]
    static let run = [
        "run_id UUID", "flight_id UUID", "flight_name VARCHAR", "flight_version UINTEGER", "config MAP(VARCHAR, VARCHAR)",
        "run_number UBIGINT", "is_scheduled BOOLEAN", "status VARCHAR", "created_at TIMESTAMP WITH TIME ZONE",
        "started_at TIMESTAMP WITH TIME ZONE", "ended_at TIMESTAMP WITH TIME ZONE", "scheduled_at TIMESTAMP WITH TIME ZONE",
        "cancelled_at TIMESTAMP WITH TIME ZONE", "exit_code INTEGER",
    ]
    static let log = ["line_number BIGINT", "reported_at TIMESTAMP WITH TIME ZONE", "line VARCHAR"]

    /// Every function's result starts with the reference's columns, in its order and types;
    /// Hangar's own columns (runtime, failure reason …) come after them, as in `--json`.
    @Test(.timeLimit(.minutes(5)))
    func everyFunctionHasTheReferencesColumnsAndTypes() async throws {
        let home = try FlightsTestHome()
        _ = try home.sql("CALL MD_CREATE_FLIGHT(name := 'described', source_code := 'print(1)')")
        let flights = try home.flights()
        let id = try flights.flight(.name("described")).id.uuidString.lowercased()
        let pending = try flights.triggerRun(.name("described"))
        try flights.appendLogLines(pending.id, [NewLogLine(.stdout, "one")])
        let flight = "flight_id := '\(id)'"

        func expectColumns(_ call: String, _ expected: [String], hangar: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
            let columns = try home.columns(of: "SELECT * FROM \(call)")
            #expect(columns == expected + hangar, "\(call)", sourceLocation: sourceLocation)
        }
        let flightExtras = ["runtime VARCHAR", "catch_up VARCHAR", "next_fire_at TIMESTAMP WITH TIME ZONE"]
        let runExtras = ["cancel_requested_at TIMESTAMP WITH TIME ZONE", "failure_reason VARCHAR", "failure_detail VARCHAR",
                         "rows_loaded UBIGINT", "loaded_tables MAP(VARCHAR, BIGINT)"]
        try expectColumns("MD_CREATE_FLIGHT(name := 'described_too', source_code := 'print(2)')", Self.summary, hangar: flightExtras)
        try expectColumns("MD_UPDATE_FLIGHT(\(flight), name := 'described')", Self.summary, hangar: flightExtras)
        try expectColumns("MD_LIST_FLIGHTS()", Self.summary, hangar: flightExtras)
        try expectColumns("MD_GET_FLIGHT(\(flight))", Self.summary, hangar: flightExtras)
        try expectColumns("MD_LIST_FLIGHT_VERSIONS(\(flight))", Self.version, hangar: ["runtime VARCHAR"])
        try expectColumns("MD_GET_FLIGHT_VERSION(\(flight), version_number := 1)",
                          Self.version + ["source_code VARCHAR", "requirements_txt VARCHAR"], hangar: ["runtime VARCHAR"])
        try expectColumns("MD_LIST_FLIGHT_RUNS(\(flight))", Self.run, hangar: runExtras)
        try expectColumns("MD_GET_FLIGHT_RUN(\(flight), run_number := 1)", Self.run, hangar: runExtras)
        try expectColumns("MD_GET_FLIGHT_LOGS(\(flight), run_number := 1)", Self.log, hangar: ["stream VARCHAR"])
        try expectColumns("MD_CANCEL_FLIGHT_RUN(\(flight), run_number := 1)", ["canceled_count BIGINT"])
        try expectColumns("MD_RUN_FLIGHT(\(flight))", Self.run, hangar: runExtras)
        let other = try flights.flight(.name("described_too")).id.uuidString.lowercased()
        try expectColumns("MD_DELETE_FLIGHT(flight_id := '\(other)')", ["deleted_count BIGINT"])

        // The values behind the types: NULL schedule for an on-demand flight, statuses by their
        // reference names, a MAP config and a VARCHAR[] of secret names.
        let row = try #require(try home.rows("FROM MD_GET_FLIGHT(\(flight))").first)
        #expect(row["schedule_cron"] is NSNull && row["schedule_status"] is NSNull)
        #expect(row["status"] as? String == "JOB_STATUS_ACTIVE")
        #expect(row["owner_name"] as? String == flights.owner)
        let runs = try home.rows("SELECT run_number, status, is_scheduled, exit_code FROM MD_LIST_FLIGHT_RUNS(\(flight))")
        #expect(runs.map { $0["run_number"] as? Int } == [2, 1])
        #expect(runs.last?["status"] as? String == "RUN_STATUS_CANCELLED")
        #expect(runs.last?["is_scheduled"] as? Bool == false)
        #expect(try flights.flight(.name("described")).currentVersion == 1)
        #expect(throws: FlightsError.self) { try flights.flight(.name("described_too")) }
        // The run MD_RUN_FLIGHT started ends before the home goes.
        _ = try await Self.waitForRun(home, "described", 2)
    }

    @Test func callFromAndSelectFormsAliasesAndNamesInAnyCase() throws {
        let home = try FlightsTestHome()
        let created = try home.sql(
            "CALL MD_CREATE_FLIGHT(name := 'called', source_code := 'print(1)')",
            "FROM md_create_flight(name := 'fromed', source_code := 'print(2)')",
            "SELECT flight_name, current_version FROM Md_Create_Flight(name := 'selected', source_code := 'print(3)')")
        #expect(created.map { $0.first?["flight_name"] as? String } == ["called", "fromed", "selected"])
        #expect(created[2].first?.count == 2)

        let flights = try home.flights()
        let run = try flights.triggerRun(.name("called"))
        try flights.appendLogLines(run.id, [NewLogLine(.stdout, "first"), NewLogLine(.stderr, "second")])
        for (current, alias) in [("MD_LIST_FLIGHTS()", "MD_FLIGHTS()")] + [
            ("MD_LIST_FLIGHT_VERSIONS", "MD_FLIGHT_VERSIONS"), ("MD_LIST_FLIGHT_RUNS", "md_flight_runs"),
        ].map({ ("\($0.0)(flight_id := getvariable('fid'))", "\($0.1)(flight_id := getvariable('fid'))") }) + [
            ("MD_GET_FLIGHT_LOGS(flight_id := getvariable('fid'), run_number := 1)", "MD_FLIGHT_LOGS(flight_id := getvariable('fid'), run_number := 1)"),
        ] {
            let both = try home.sql(selectFlightID("called"), "FROM \(current)", "FROM \(alias)")
            #expect(both.count == 2 && !both[0].isEmpty, "\(current)")
            #expect(both[0].map(Self.text) == both[1].map(Self.text), "\(alias) differs from \(current)")
        }
        let lines = try home.rows(selectFlightID("called"), "SELECT line FROM MD_FLIGHT_LOGS(flight_id := getvariable('fid'), run_number := 1)")
        #expect(lines.map { $0["line"] as? String } == ["first", "second"])
    }

    @Test func pagingFlightsVersionsRunsAndLogs() throws {
        let home = try FlightsTestHome()
        for name in ["p1", "p2", "p3"] {
            _ = try home.sql("CALL MD_CREATE_FLIGHT(name := '\(name)', source_code := 'print(\"\(name)\")')")
        }
        let names = { (query: String) in try home.rows(query).map { $0["flight_name"] as? String ?? "?" } }
        #expect(try names("FROM MD_LIST_FLIGHTS()") == ["p1", "p2", "p3"])
        #expect(try names("FROM MD_LIST_FLIGHTS(\"LIMIT\" := 2)") == ["p1", "p2"])
        #expect(try names("FROM MD_LIST_FLIGHTS(\"LIMIT\" := 2, \"OFFSET\" := 1)") == ["p2", "p3"])
        #expect(try names("FROM MD_LIST_FLIGHTS(\"OFFSET\" := 2)") == ["p3"])
        #expect(try names("FROM MD_LIST_FLIGHTS(owner_only := true)") == ["p1", "p2", "p3"])

        // Versions, newest first.
        for source in ["print(2)", "print(3)"] {
            _ = try home.sql(selectFlightID("p1"), "CALL MD_UPDATE_FLIGHT(flight_id := getvariable('fid'), source_code := '\(source)')")
        }
        let versions = try home.rows(selectFlightID("p1"), "FROM MD_LIST_FLIGHT_VERSIONS(flight_id := getvariable('fid'), \"LIMIT\" := 2)")
        #expect(versions.map { $0["flight_version"] as? Int } == [3, 2])
        let oldest = try home.rows(selectFlightID("p1"), "FROM MD_LIST_FLIGHT_VERSIONS(flight_id := getvariable('fid'), \"LIMIT\" := 2, \"OFFSET\" := 2)")
        #expect(oldest.map { $0["flight_version"] as? Int } == [1])

        // Runs, newest first.
        let flights = try home.flights()
        let runs = try (1...3).map { _ in try flights.triggerRun(.name("p1")) }
        let listed = try home.rows(selectFlightID("p1"), "FROM MD_LIST_FLIGHT_RUNS(flight_id := getvariable('fid'), \"LIMIT\" := 2, \"OFFSET\" := 1)")
        #expect(listed.map { $0["run_number"] as? Int } == [2, 1])

        // Log lines: a window from the first line, or from the last with "ORDER" := 'desc'.
        try flights.appendLogLines(runs[0].id, (1...5).map { NewLogLine(.stdout, "line \($0)") })
        let logs = { (arguments: String) in
            try home.rows(selectFlightID("p1"), "SELECT line_number FROM MD_GET_FLIGHT_LOGS(flight_id := getvariable('fid'), run_number := 1\(arguments))")
                .map { $0["line_number"] as? Int ?? 0 }
        }
        #expect(try logs("") == [1, 2, 3, 4, 5])
        #expect(try logs(", \"LIMIT\" := 2") == [1, 2])
        #expect(try logs(", \"LIMIT\" := 2, \"OFFSET\" := 1") == [2, 3])
        #expect(try logs(", \"LIMIT\" := 2, \"ORDER\" := 'desc'") == [5, 4])
        #expect(try logs(", \"LIMIT\" := 2, \"OFFSET\" := 1, \"ORDER\" := 'DESC'") == [4, 3])

        for (arguments, message) in [
            (", \"LIMIT\" := 0", "\"LIMIT\" must be at least 1, not 0"),
            (", \"OFFSET\" := 2", "\"OFFSET\" needs \"LIMIT\""),
            (", \"ORDER\" := 'sideways'", "\"ORDER\" must be 'asc' or 'desc', not \"sideways\""),
        ] {
            let error = try home.sqlError(selectFlightID("p1"), "FROM MD_GET_FLIGHT_LOGS(flight_id := getvariable('fid'), run_number := 1\(arguments))")
            #expect(error.hasPrefix("Error: Invalid Input Error: MD_GET_FLIGHT_LOGS: \(message)"), "\(error)")
        }
    }

    /// MD_UPDATE_FLIGHT is a PATCH: only the parameters passed change; content changes make a
    /// version, name and schedule changes don't; NULL clears a nullable option; '' clears the
    /// schedule; config and secret names are replaced whole.
    @Test func updateIsAPatchThroughSQL() throws {
        let home = try FlightsTestHome()
        let created = try home.rows("""
            SELECT * FROM MD_CREATE_FLIGHT(name := 'patched', source_code := 'print(1)',
                requirements_txt := array_to_string(['httpx==0.28.1', 'rich'], chr(10)), schedule_cron := '0 6 * * *',
                config := MAP {'A': '1', 'B': '2'}, flight_secret_names := ['GitHub'], max_runtime_sec := 600,
                access_token_name := 'reader', instance_type := 'small')
            """)
        #expect(created.first?["current_version"] as? Int == 1)
        #expect(created.first?["schedule_cron"] as? String == "0 6 * * *")
        #expect(created.first?["schedule_status"] as? String == "ACTIVE")
        let update = { (arguments: String) in
            try #require(try home.rows(selectFlightID("patched"), "SELECT * FROM MD_UPDATE_FLIGHT(flight_id := getvariable('fid'), \(arguments))").first)
        }
        let version = { (number: Int) in
            try #require(try home.rows(selectFlightID("patched"), "FROM MD_GET_FLIGHT_VERSION(flight_id := getvariable('fid'), version_number := \(number))").first)
        }
        let first = try version(1)
        #expect(first["requirements_txt"] as? String == "httpx==0.28.1\nrich")
        #expect(first["config"] as? [String: String] == ["A": "1", "B": "2"])
        #expect(first["flight_secret_names"] as? [String] == ["github"])
        #expect(first["max_runtime_sec"] as? Int == 600)
        #expect(first["access_token_name"] as? String == "reader" && first["instance_type"] as? String == "small")

        // Metadata: no version.
        let renamed = try update("name := 'patched_2'")
        #expect(renamed["flight_name"] as? String == "patched_2" && renamed["current_version"] as? Int == 1)
        _ = try home.sql(selectFlightID("patched_2"), "CALL MD_UPDATE_FLIGHT(flight_id := getvariable('fid'), name := 'patched')")
        let rescheduled = try update("schedule_cron := '15 7 * * *'")
        #expect(rescheduled["schedule_cron"] as? String == "15 7 * * *" && rescheduled["current_version"] as? Int == 1)
        let unscheduled = try update("schedule_cron := ''")
        #expect(unscheduled["schedule_cron"] is NSNull && unscheduled["schedule_status"] is NSNull)
        #expect(unscheduled["current_version"] as? Int == 1)

        // Content: a new version, the rest carried forward.
        let resourced = try update("source_code := 'print(2)'")
        #expect(resourced["current_version"] as? Int == 2)
        let second = try version(2)
        #expect(second["source_code"] as? String == "print(2)")
        #expect(second["requirements_txt"] as? String == "httpx==0.28.1\nrich")
        #expect(second["config"] as? [String: String] == ["A": "1", "B": "2"])
        #expect(second["flight_secret_names"] as? [String] == ["github"])
        #expect(second["max_runtime_sec"] as? Int == 600)

        // The same content again: no version.
        #expect(try update("source_code := 'print(2)', config := MAP {'B': '2', 'A': '1'}")["current_version"] as? Int == 2)

        // Config replaced whole.
        #expect(try update("config := MAP {'C': '3'}")["current_version"] as? Int == 3)
        #expect(try version(3)["config"] as? [String: String] == ["C": "3"])

        // Explicit NULL clears the nullable options, in one new version.
        let cleared = try update("requirements_txt := NULL, config := NULL, flight_secret_names := NULL, max_runtime_sec := NULL, access_token_name := NULL, instance_type := NULL")
        #expect(cleared["current_version"] as? Int == 4)
        let fourth = try version(4)
        #expect(fourth["requirements_txt"] is NSNull && fourth["max_runtime_sec"] is NSNull)
        #expect(fourth["access_token_name"] is NSNull && fourth["instance_type"] is NSNull)
        #expect(fourth["config"] as? [String: String] == [:] && fourth["flight_secret_names"] as? [String] == [])
        #expect(fourth["source_code"] as? String == "print(2)")

        // The runtime is content too; Hangar's `runtime` parameter selects Swift.
        #expect(try update("runtime := 'swift', source_code := 'print(\"hi\")'")["runtime"] as? String == "swift")
        #expect(try version(5)["runtime"] as? String == "swift")
        let versions = try home.rows(selectFlightID("patched"), "SELECT flight_version FROM MD_LIST_FLIGHT_VERSIONS(flight_id := getvariable('fid'))")
        #expect(versions.map { $0["flight_version"] as? Int } == [5, 4, 3, 2, 1])
    }

    @Test func errorsReadLikeDuckDBsAndNameTheParameter() throws {
        let home = try FlightsTestHome()
        _ = try home.sql("CALL MD_CREATE_FLIGHT(name := 'failing', source_code := 'print(1)', config := MAP {'REPOS': 'a'})")
        let flights = try home.flights()
        let id = try flights.flight(.name("failing")).id.uuidString.lowercased()
        let missing = UUID().uuidString.lowercased()
        let run = try flights.triggerRun(.name("failing"))
        _ = try flights.markFinished(run.id, .succeeded)

        let cases: [(String, String)] = [
            ("FROM MD_GET_FLIGHT_RUN(flight_id := '\(id)', run_number := 7)",
             "MD_GET_FLIGHT_RUN: flight \"failing\" has no run 7; its runs are numbered 1 to 1"),
            ("FROM MD_GET_FLIGHT(flight_id := '\(missing)')", "MD_GET_FLIGHT: flight \(missing) does not exist"),
            ("CALL MD_RUN_FLIGHT(flight_id := '\(missing)')", "MD_RUN_FLIGHT: flight \(missing) does not exist"),
            ("CALL MD_UPDATE_FLIGHT(flight_id := '\(id)', schedule_cron := '/15 * * * *')",
             "MD_UPDATE_FLIGHT: schedule_cron is not a valid 5-field cron expression (UTC)"),
            ("CALL MD_CREATE_FLIGHT(name := 'reserved', source_code := 'x', config := MAP {'MOTHERDUCK_TOKEN': 'x'})",
             "MD_CREATE_FLIGHT: config key \"MOTHERDUCK_TOKEN\" is reserved"),
            ("CALL MD_CREATE_FLIGHT(name := 'failing', source_code := 'x')", "MD_CREATE_FLIGHT: a flight named \"failing\" already exists"),
            ("CALL MD_CREATE_FLIGHT(source_code := 'x')", "MD_CREATE_FLIGHT: name is required"),
            ("CALL MD_CREATE_FLIGHT(name := 'no_source')", "MD_CREATE_FLIGHT: source_code is required"),
            ("CALL MD_CREATE_FLIGHT(name := 'ruby', source_code := 'x', runtime := 'ruby')",
             "MD_CREATE_FLIGHT: runtime must be 'python' or 'swift', not \"ruby\""),
            ("CALL MD_CREATE_FLIGHT(name := 'bad_secret', source_code := 'x', flight_secret_names := ['9lives'])",
             "MD_CREATE_FLIGHT: flight_secret_names: secret name \"9lives\" is not allowed"),
            ("CALL MD_RUN_FLIGHT(flight_id := '\(id)', config := MAP {'NEW': 'x'})",
             "MD_RUN_FLIGHT: config override key \"NEW\" is not defined on flight \"failing\""),
            ("CALL MD_CANCEL_FLIGHT_RUN(flight_id := '\(id)', run_number := 1)",
             "MD_CANCEL_FLIGHT_RUN: run 1 of flight \"failing\" already finished (SUCCEEDED)"),
            ("CALL MD_CANCEL_FLIGHT_RUN(flight_id := '\(id)', run_number := 2)", "MD_CANCEL_FLIGHT_RUN: flight \"failing\" has no run 2"),
            ("CALL MD_UPDATE_FLIGHT(flight_id := '\(id)', source_code := NULL)", "MD_UPDATE_FLIGHT: source_code can't be NULL"),
            ("FROM MD_LIST_FLIGHTS(\"LIMIT\" := -1)", "MD_LIST_FLIGHTS: \"LIMIT\" must be at least 1, not -1"),
            ("FROM MD_GET_FLIGHT_VERSION(flight_id := '\(id)', version_number := 3)",
             "MD_GET_FLIGHT_VERSION: flight \"failing\" has no version 3; its versions are 1 to 1"),
            ("FROM MD_LIST_FLIGHT_RUNS()", "MD_LIST_FLIGHT_RUNS: flight_id is required"),
            ("FROM MD_GET_FLIGHT_RUN(flight_id := '\(id)')", "MD_GET_FLIGHT_RUN: run_number is required"),
        ]
        for (statement, message) in cases {
            let error = try home.sqlError(statement)
            #expect(error.hasPrefix("Error: Invalid Input Error: \(message)"), "\(statement)\n\(error)")
        }
        // Arguments must be constants, as on the hosted service; DuckDB says so itself.
        let subquery = try home.sqlError("FROM MD_GET_FLIGHT(flight_id := (SELECT flight_id FROM MD_LIST_FLIGHTS()))")
        #expect(subquery.contains("Table function cannot contain subqueries"), "\(subquery)")
        let unknown = try home.sqlError("FROM MD_LIST_FLIGHTS(colour := 'red')")
        #expect(unknown.contains("Invalid named parameter \"colour\""), "\(unknown)")

        // Deleting twice: the second time the flight does not exist.
        let deleted = try home.rows("SELECT * FROM MD_DELETE_FLIGHT(flight_id := '\(id)')")
        #expect(deleted.map { $0["deleted_count"] as? Int } == [1])
        let again = try home.sqlError("CALL MD_DELETE_FLIGHT(flight_id := '\(id)')")
        #expect(again.hasPrefix("Error: Invalid Input Error: MD_DELETE_FLIGHT: flight \(id) does not exist"), "\(again)")
        #expect(try home.rows("FROM MD_LIST_FLIGHTS()").isEmpty)
    }

    /// MD_RUN_FLIGHT returns the run at once, PENDING; its supervisor goes on after the session
    /// has ended, and the run's config is the stored one with the call's override.
    @Test(.timeLimit(.minutes(5)))
    func runFlightReturnsAtOnceAndTheRunOutlivesTheSession() async throws {
        let home = try FlightsTestHome()
        let source = "import os\nprint('repos: ' + os.environ['REPOS'])\n"
        _ = try home.sql("CALL MD_CREATE_FLIGHT(name := 'ran', source_code := $$\(source)$$, config := MAP {'REPOS': 'a', 'DAY': 'mon'})")
        let started = try home.rows(selectFlightID("ran"), "SELECT * FROM MD_RUN_FLIGHT(flight_id := getvariable('fid'), config := MAP {'REPOS': 'b'})")
        let run = try #require(started.first)
        #expect(run["run_number"] as? Int == 1)
        #expect(["RUN_STATUS_PENDING", "RUN_STATUS_RUNNING"].contains(run["status"] as? String ?? ""), "\(run)")
        #expect(run["config"] as? [String: String] == ["REPOS": "b", "DAY": "mon"])
        #expect(run["flight_version"] as? Int == 1)

        let finished = try await Self.waitForRun(home, "ran", 1)
        #expect(finished["status"] as? String == "RUN_STATUS_SUCCEEDED", "\(finished)")
        #expect(finished["exit_code"] as? Int == 0)
        let lines = try home.rows(selectFlightID("ran"), "SELECT line FROM MD_GET_FLIGHT_LOGS(flight_id := getvariable('fid'), run_number := 1)")
        #expect(lines.contains { $0["line"] as? String == "repos: b" }, "\(lines)")
        // The stored config is untouched.
        let version = try home.rows(selectFlightID("ran"), "SELECT config FROM MD_GET_FLIGHT_VERSION(flight_id := getvariable('fid'), version_number := 1)")
        #expect(version.first?["config"] as? [String: String] == ["REPOS": "a", "DAY": "mon"])
    }

    /// Polls MD_GET_FLIGHT_RUN, a session each time, as a user polls, until the run finished.
    static func waitForRun(_ home: FlightsTestHome, _ flight: String, _ number: Int, timeout: Duration = .seconds(110)) async throws -> [String: Any] {
        try await eventually("run \(number) of \(flight) to finish", timeout: timeout, every: .milliseconds(200)) { () -> [String: Any]? in
            let run = try #require(try home.rows(selectFlightID(flight), "FROM MD_GET_FLIGHT_RUN(flight_id := getvariable('fid'), run_number := \(number))").first)
            guard let status = run["status"] as? String, !["RUN_STATUS_PENDING", "RUN_STATUS_RUNNING"].contains(status) else { return nil }
            return run
        }
    }

    static func text(_ row: [String: Any]) -> String {
        row.keys.sorted().map { "\($0)=\(row[$0] ?? "nil")" }.joined(separator: ",")
    }
}
