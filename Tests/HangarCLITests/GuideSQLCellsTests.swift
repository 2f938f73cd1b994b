import Foundation
import HangarTestSupport
import Testing

/// The SQL cells of the guide (`guide-run-dlt-ingest-pipeline.md`), unchanged, through
/// `hangar sql docs_playground`: the Python flight is created and versioned, run, polled until it
/// finished, and scheduled; then the tables are read by their three-part names.
struct GuideSQLCellsTests {
    /// The guide's cells in order, verbatim (checked against the guide below when it is at hand).
    static let cells = [
        #"""
        SELECT flight_id, flight_name, current_version
        FROM MD_CREATE_FLIGHT(
            name := 'docs_dlt_ingest',
            requirements_txt := array_to_string([
                'duckdb==1.5.3',
                'dlt[motherduck]==1.27.0',
                'httpx==0.28.1'
            ], chr(10)),
            source_code := $flight$


        """# + GuideFlightTests.pastedSource + "\n$flight$\n);",
        """
        SET VARIABLE dlt_flight_id = (
            SELECT flight_id
            FROM MD_LIST_FLIGHTS()
            WHERE flight_name = 'docs_dlt_ingest'
            ORDER BY created_at DESC
            LIMIT 1
        );
        """,
        """
        SELECT *
        FROM MD_RUN_FLIGHT(
            flight_id := getvariable('dlt_flight_id')
        );
        """,
        """
        SELECT run_number, status, flight_version, created_at
        FROM MD_LIST_FLIGHT_RUNS(
            flight_id := getvariable('dlt_flight_id')
        )
        ORDER BY run_number DESC
        LIMIT 5;
        """,
        """
        CALL MD_UPDATE_FLIGHT(
            flight_id := getvariable('dlt_flight_id'),
            schedule_cron := '15 7 * * *'
        );
        """,
        """
        SELECT repo, stars, forks, open_issues, default_branch, pushed_at
        FROM docs_playground.flights_demo_dlt.github_repo_stats
        ORDER BY stars DESC;
        """,
        """
        SELECT run_at, pipeline_name, destination_dataset, load_summary
        FROM docs_playground.flights_demo.dlt_ingest_runs
        ORDER BY run_at DESC
        LIMIT 5;
        """,
    ]

    /// The guide, beside the repository as `../shared/reference/`, when it is there.
    static var guide: String? {
        let file = Checkout.root.deletingLastPathComponent().appendingPathComponent("shared/reference/guide-run-dlt-ingest-pipeline.md")
        return try? String(contentsOf: file, encoding: .utf8)
    }

    @Test(.enabled(if: guide != nil, "the guide is not beside the repository"))
    func theCellsAreTheGuidesVerbatim() throws {
        let guide = try #require(Self.guide)
        var cells: [String] = []
        var rest = guide[...]
        while let start = rest.range(of: "query={`"), let end = rest[start.upperBound...].range(of: "`}") {
            cells.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        #expect(cells == Self.cells.map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 })
    }

    /// Runs the cells as a user does, in `hangar sql docs_playground` sessions (the id variable
    /// set again in each). Offline, the run installs the pinned requirements and then fails: the
    /// guide's source lost its import lines, so Python stops at `os`. The last two cells read
    /// rows a load would leave, put there first, by their three-part names.
    @Test(.timeLimit(.minutes(6)))
    func theGuidesCellsRunUnchanged() async throws {
        let home = try FlightsTestHome()
        _ = try home.sql(
            "CREATE SCHEMA flights_demo_dlt",
            "CREATE TABLE flights_demo_dlt.github_repo_stats AS SELECT * FROM (VALUES ('duckdb/duckdb', 31250, 2600, 4000, 'main', '2026-05-01T10:00:00Z'::TIMESTAMPTZ), ('dlt-hub/dlt', 4310, 350, 300, 'devel', '2026-05-02T10:00:00Z'::TIMESTAMPTZ)) t(repo, stars, forks, open_issues, default_branch, pushed_at)",
            "CREATE SCHEMA flights_demo",
            "CREATE TABLE flights_demo.dlt_ingest_runs (run_at TIMESTAMPTZ, pipeline_name VARCHAR, destination_dataset VARCHAR, load_summary VARCHAR)",
            "INSERT INTO flights_demo.dlt_ingest_runs VALUES (now(), 'flights_github_repo_stats', 'flights_demo_dlt', 'sample')",
            database: "docs_playground")

        // Create, keep the id, run.
        let first = try home.sql(Self.cells[0], Self.cells[1], Self.cells[2], database: "docs_playground")
        #expect(first.count == 2)
        let created = try #require(first.first?.first)
        #expect(created["flight_name"] as? String == "docs_dlt_ingest")
        #expect(created["current_version"] as? Int == 1)
        #expect(created.count == 3)
        let started = try #require(first.last?.first)
        #expect(started["flight_id"] as? String == created["flight_id"] as? String)
        #expect(started["run_number"] as? Int == 1)
        #expect(["RUN_STATUS_PENDING", "RUN_STATUS_RUNNING"].contains(started["status"] as? String ?? ""), "\(started)")

        // Poll until it finished: a new session each time, as a user re-runs the cells.
        let polled = try await eventually("run 1 to finish", timeout: .seconds(330), every: .seconds(1)) { () -> [String: Any]? in
            let run = try #require(try home.rows(Self.cells[1], Self.cells[3], database: "docs_playground").first)
            #expect(Set(run.keys) == ["run_number", "status", "flight_version", "created_at"])
            return ["RUN_STATUS_PENDING", "RUN_STATUS_RUNNING"].contains(run["status"] as? String ?? "") ? nil : run
        }
        #expect(polled["status"] as? String == "RUN_STATUS_FAILED", "\(polled)")
        #expect(polled["flight_version"] as? Int == 1)

        // Schedule it, read the tables, and look at the run and its log.
        let last = try home.sql(
            Self.cells[1], Self.cells[4], Self.cells[5], Self.cells[6],
            "SELECT failure_reason, exit_code FROM MD_GET_FLIGHT_RUN(flight_id := getvariable('dlt_flight_id'), run_number := 1)",
            "SELECT string_agg(line, chr(10) ORDER BY line_number) AS log FROM MD_GET_FLIGHT_LOGS(flight_id := getvariable('dlt_flight_id'), run_number := 1)",
            "SELECT flight_version, requirements_txt, source_code FROM MD_GET_FLIGHT_VERSION(flight_id := getvariable('dlt_flight_id'), version_number := 1)",
            "SELECT count(*) AS versions FROM MD_LIST_FLIGHT_VERSIONS(flight_id := getvariable('dlt_flight_id'))",
            database: "docs_playground")
        #expect(last.count == 7)
        let scheduled = try #require(last[0].first)
        #expect(scheduled["schedule_cron"] as? String == "15 7 * * *")
        #expect(scheduled["schedule_status"] as? String == "ACTIVE")
        #expect(scheduled["current_version"] as? Int == 1, "a schedule makes no version")
        #expect(last[1].map { $0["repo"] as? String } == ["duckdb/duckdb", "dlt-hub/dlt"])
        #expect(last[2].map { $0["pipeline_name"] as? String } == ["flights_github_repo_stats"])
        #expect(last[3].first?["failure_reason"] as? String == "exit_code", "\(last[3])")
        #expect(last[3].first?["exit_code"] as? Int == 1)
        let log = try #require(last[4].first?["log"] as? String)
        // Past installing its requirements (made here, or reused from an earlier run) …
        #expect(log.contains("[hangar] Python environment ready (") || log.contains("[hangar] reusing the Python environment"), "\(log)")
        for early in ["install_failure", "ModuleNotFoundError"] { #expect(!log.contains(early), "\(log)") }
        // … into the program, which stops where the guide's lost imports make it stop.
        #expect(log.contains("NameError: name 'os' is not defined"), "\(log)")
        let version = try #require(last[5].first)
        #expect(version["requirements_txt"] as? String == "duckdb==1.5.3\ndlt[motherduck]==1.27.0\nhttpx==0.28.1")
        #expect((version["source_code"] as? String)?.hasPrefix("\n\nREPOS = [\n") == true)
        #expect((version["source_code"] as? String)?.hasSuffix("    main()\n") == true)
        #expect(last[6].first?["versions"] as? Int == 1)
    }
}
