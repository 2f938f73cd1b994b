import Foundation
import HangarTestSupport
import Testing

/// `hangar demo` (what `make demo` runs): the guide's SQL cells with the GitHub pipeline as a Swift
/// flight against the replay server. Twice on one home: the second run updates the flight and
/// still leaves one row per repository, with one more ledger row.
struct DemoCommandTests {
    @Test(.timeLimit(.minutes(5)))
    func theDemoRunsTwiceAndLeavesOneRowPerRepository() throws {
        try SwiftFlightTests.requireSDK()
        let home = try FlightsTestHome()
        let first = try HangarProcess.run(["demo", "--home", home.home])
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        for expected in ["== GitHub replay server (sample data) at http://127.0.0.1:", "FROM MD_CREATE_FLIGHT(",
                         "RUN_STATUS_SUCCEEDED", "schedule_cron := '15 7 * * *'", "│ duckdb/duckdb                │  31250 │",
                         "flights_github_repo_stats", "== next scheduled run: ", "T07:15:00"] {
            #expect(first.stdout.contains(expected), "missing \(expected):\n\(first.stdout)")
        }

        let second = try HangarProcess.run(["demo", "--home", home.home])
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        #expect(second.stdout.contains("== the flight exists (an earlier demo)") && second.stdout.contains("FROM MD_UPDATE_FLIGHT("))
        let counts = try home.rows("""
            SELECT (SELECT count(*) FROM docs_playground.flights_demo_dlt.github_repo_stats) AS repos,
                   (SELECT count(DISTINCT repo) FROM docs_playground.flights_demo_dlt.github_repo_stats) AS distinct_repos,
                   (SELECT count(*) FROM docs_playground.flights_demo.dlt_ingest_runs) AS ledger
            """)
        #expect(counts.first?["repos"] as? Int == 3 && counts.first?["distinct_repos"] as? Int == 3, "\(counts)")
        #expect(counts.first?["ledger"] as? Int == 2, "\(counts)")
        let schedule = try home.hangar("show", "docs_dlt_ingest", "--json").stdout
        #expect(schedule.contains("\"schedule_cron\": \"15 7 * * *\""), "\(schedule)")
    }

    @Test func aMissingSourceIsAClearError() throws {
        let home = try FlightsTestHome()
        let failed = try HangarProcess.run(["demo", "--home", home.home, "--source", "/nonexistent/main.swift"])
        #expect(failed.status == 4)
        #expect(failed.stderr.contains("cannot read the flight's source /nonexistent/main.swift; give it with --source"), "\(failed.stderr)")
    }
}
