import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HangarTestSupport
import Testing

/// The guide's pipeline as a Swift flight (`Examples/Flights/github_repo_stats`), end to end:
/// `hangar create --runtime swift` and `hangar run --wait` twice against the GitHubReplay server,
/// its sample data changed between the runs. The repository table keeps one row per repository
/// with the second run's values, the ledger and `_dlt_loads` gain a row per run, the issues and
/// their labels load, and the second run asks for issues with `since=`.
@Suite(.serialized)
struct GitHubRepoStatsFlightTests {
    static let source = Checkout.file("Examples/Flights/github_repo_stats/main.swift").path

    @Test(.timeLimit(.minutes(5)))
    func theFlightLoadsRepositoriesIssuesAndLabelsTwiceAgainstTheReplayServer() async throws {
        try SwiftFlightTests.requireSDK()
        // One injected 502: the flight's first request is retried.
        let replay = try await ReplayServer.start(["--fail-first", "1"])
        let home = try FlightsTestHome()
        let created = try home.hangar("create", "github_repo_stats", "--source", Self.source, "--runtime", "swift",
                                      "--config", "GITHUB_API_URL=\(replay.baseURL)", "--config", "ISSUES_PER_PAGE=2")
        #expect(created.status == 0, "\(created.stderr)")

        // Run 1: the initial sample data.
        let first = try home.hangar("run", "github_repo_stats", "--wait")
        let firstLog = try home.hangar("logs", "github_repo_stats", "1").stdout
        #expect(first.status == 0, "\(first.stderr)\n\(firstLog)\n\(replay.log)")
        #expect(firstLog.contains("/repos/duckdb/duckdb → 502"), "\(firstLog)")
        #expect(firstLog.contains("/repos/duckdb/duckdb: HTTP 502; retry 1 of 4 in "), "\(firstLog)")
        #expect(firstLog.contains("issues: first run, reading them all"), "\(firstLog)")
        #expect(firstLog.contains("Rows: github_issues 12, github_issues__labels 17, github_repo_stats 3"), "\(firstLog)")
        #expect(firstLog.contains("ledger row written"), "\(firstLog)")

        // The replay serves its changed sample data; run 2.
        #expect(try await Self.post("\(replay.baseURL)/_replay/generation/changed") == 200)
        let second = try home.hangar("run", "github_repo_stats", "--wait")
        let secondLog = try home.hangar("logs", "github_repo_stats", "2").stdout
        #expect(second.status == 0, "\(second.stderr)\n\(secondLog)\n\(replay.log)")
        #expect(secondLog.contains("issues: updated since 2026-11-20T10:00:00Z"), "\(secondLog)")
        #expect(secondLog.contains("Rows: github_issues 6, github_issues__labels 8, github_repo_stats 3"), "\(secondLog)")

        // What each run loaded is recorded with the run, from FlightKit's report.
        let runs = try JSONOutput.array(try home.hangar("runs", "github_repo_stats", "--json").stdout)
        #expect(runs.map { $0["rows_loaded"] as? Int } == [17, 32], "\(runs)")
        #expect(runs.last?["loaded_tables"] as? [String: Int] == [
            "flights_demo_dlt.github_issues": 12, "flights_demo_dlt.github_issues__labels": 17, "flights_demo_dlt.github_repo_stats": 3,
        ], "\(runs)")
        #expect(secondLog.contains("loaded 17 rows into 3 tables"), "\(secondLog)")

        // What the replay server was asked: every issues request of run 2 carries since=, none of run 1's.
        let requests = try JSONOutput.array(try await Self.get("\(replay.baseURL)/_replay/requests"))
        let issueQueries = requests.filter { ($0["path"] as? String)?.hasSuffix("/issues") == true }.compactMap { $0["query"] as? String }
        let withSince = issueQueries.filter { $0.contains("since=2026-11-20T10%3A00%3A00Z") }
        #expect(issueQueries.count == 7 + 4, "3 + 2 + 2 pages, then 2 + 1 + 1: \(issueQueries)")
        #expect(withSince.count == 4 && issueQueries.prefix(7).allSatisfy { !$0.contains("since=") }, "\(issueQueries)")
        #expect(issueQueries.contains("direction=asc&per_page=2&sort=updated&state=all&page=3"), "Link pagination: \(issueQueries)")

        // One row per repository, with run 2's values.
        let repos = try Self.query(home, """
            SELECT repo, stars, forks, open_issues, default_branch, CAST(pushed_at AS VARCHAR) AS pushed_at, \
            CAST(loaded_at AS VARCHAR) AS loaded_at FROM flights_demo_dlt.github_repo_stats ORDER BY stars DESC
            """)
        #expect(repos.map { $0["repo"] as? String } == ["duckdb/duckdb", "dlt-hub/dlt", "motherduckdb/motherduck-docs"], "\(repos)")
        #expect(repos.map { $0["stars"] as? Int } == [31302, 4322, 49], "\(repos)")
        #expect(repos.map { $0["forks"] as? Int } == [2615, 354, 61])
        #expect(repos.map { $0["open_issues"] as? Int } == [409, 266, 18])
        #expect(repos.allSatisfy { $0["default_branch"] as? String == "main" })
        #expect((repos.first?["pushed_at"] as? String)?.hasPrefix("2026-11-21 11:20:55") == true, "\(repos)")
        #expect((repos.first?["loaded_at"] as? String)?.hasPrefix("2026-11-21 11:31:09") == true, "\(repos)")

        // Two ledger rows, two complete loads.
        let ledger = try Self.query(home, """
            SELECT pipeline_name, destination_dataset, load_summary FROM flights_demo.dlt_ingest_runs ORDER BY run_at
            """)
        #expect(ledger.count == 2, "\(ledger)")
        #expect(ledger.allSatisfy { $0["pipeline_name"] as? String == "flights_github_repo_stats"
            && $0["destination_dataset"] as? String == "flights_demo_dlt" })
        #expect((ledger.last?["load_summary"] as? String)?.contains("github_repo_stats 3") == true, "\(ledger)")
        let loads = try Self.query(home, "SELECT status, count(*) AS loads FROM flights_demo_dlt._dlt_loads GROUP BY status")
        #expect(loads.count == 1 && loads.first?["status"] as? Int == 0 && loads.first?["loads"] as? Int == 2, "\(loads)")

        // Issues merged on id (12 + 2 new), their labels as the child table, updated ones replaced.
        let issues = try Self.query(home, """
            SELECT i.number, i.state, i.repo, i.is_pull_request, string_agg(l.name, ',' ORDER BY l._dlt_list_idx) AS labels
            FROM flights_demo_dlt.github_issues i
            LEFT JOIN flights_demo_dlt.github_issues__labels l ON l._dlt_parent_id = i._dlt_id
            GROUP BY ALL ORDER BY i.number
            """)
        #expect(issues.count == 14, "\(issues)")
        let byNumber = Dictionary(uniqueKeysWithValues: issues.compactMap { row in (row["number"] as? Int).map { ($0, row) } })
        #expect(byNumber[9103]?["labels"] as? String == "enhancement", "relabelled in run 2: \(issues)")
        #expect(byNumber[9105]?["state"] as? String == "closed" && byNumber[9105]?["labels"] as? String == "bug")
        #expect(byNumber[312]?["labels"] as? String == "good first issue,documentation")
        #expect(byNumber[9106]?["repo"] as? String == "duckdb/duckdb", "new in run 2")
        #expect(byNumber[2205]?["is_pull_request"] as? Bool == true)
        #expect(byNumber[9101]?["labels"] as? String == "performance", "untouched by run 2")
        let labelRows = try Self.query(home, "SELECT count(*) AS n FROM flights_demo_dlt.github_issues__labels")
        #expect(labelRows.first?["n"] as? Int == 19, "17, less the 6 of the 4 updated issues, plus their 4 and the 2 new issues' 4: \(labelRows)")
    }

    // MARK: - Support

    static func query(_ home: FlightsTestHome, _ sql: String) throws -> [[String: Any]] {
        let output = try home.hangar("sql", "docs_playground", "-c", sql, "--json")
        guard output.status == 0 else { throw TestFailure("\(sql)\n\(output.stderr)") }
        return try JSONOutput.array(output.stdout)
    }

    static func post(_ url: String) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    static func get(_ url: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
        return String(decoding: data, as: UTF8.self)
    }
}
