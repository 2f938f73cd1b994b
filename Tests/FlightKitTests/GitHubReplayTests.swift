import FlightKit
import Foundation
import HangarTestSupport
import Testing

/// The GitHubReplay executable, with the REST kit as its client: GitHub-shaped sample data,
/// Link pagination, `since`, rate-limit headers, injected 502s and generations.
struct GitHubReplayTests {
    struct Repository: Decodable {
        let full_name: String
        let stargazers_count: Int
        let default_branch: String
    }

    struct Issue: Decodable {
        struct Label: Decodable { let name: String }
        let number: Int
        let state: String
        let updated_at: String
        let labels: [Label]
    }

    struct Recorded: Decodable {
        let path: String
        let query: String
        let status: Int
    }

    @Test(.timeLimit(.minutes(5)))
    func servesRepositoriesAndPaginatedIssuesWithRateLimitHeaders() async throws {
        let replay = try await ReplayServer.start()
        let client = try RESTClient(baseURL: replay.baseURL, log: .silent)
        let response = try await client.get("/repos/duckdb/duckdb")
        let repo = try response.decode(Repository.self)
        #expect(repo.full_name == "duckdb/duckdb" && repo.default_branch == "main" && repo.stargazers_count > 0)
        #expect(response.rateLimit?.limit == 5000 && response.rateLimit?.remaining == 4999, "\(response.headerFields)")

        var numbers: [Int] = [], pages = 0
        for try await page in client.pages("/repos/duckdb/duckdb/issues",
                                           query: ["state": "all", "per_page": "2", "sort": "updated", "direction": "asc"]) {
            pages += 1
            let issues = try page.decode([Issue].self)
            #expect(issues.count <= 2)
            numbers += issues.map(\.number)
        }
        #expect(pages == 3 && numbers.count == 5, "\(numbers)")
        #expect(Set(numbers).count == 5)

        // `state` defaults to open; `since` keeps issues updated at or after it.
        let open = try await client.get([Issue].self, "/repos/duckdb/duckdb/issues")
        #expect(open.allSatisfy { $0.state == "open" } && !open.isEmpty)
        let recent = try await client.get([Issue].self, "/repos/duckdb/duckdb/issues",
                                          query: ["state": "all", "since": "2026-11-10T10:05:00Z"])
        #expect(recent.allSatisfy { $0.updated_at >= "2026-11-10T10:05:00Z" } && recent.count == 3, "\(recent.map(\.number))")
        #expect(recent.first { $0.number == 9103 }?.labels.map(\.name) == ["enhancement", "needs triage"])

        let missing = await #expect(throws: RESTError.self) { try await client.get("/repos/nobody/nothing") }
        #expect(missing?.status == 404)
        let invalid = await #expect(throws: RESTError.self) {
            try await client.get("/repos/duckdb/duckdb/issues", query: ["since": "yesterday"])
        }
        #expect(invalid?.status == 422)
    }

    @Test(.timeLimit(.minutes(5)))
    func injectedBadGatewaysAreRetriedAndGenerationsSwitch() async throws {
        let replay = try await ReplayServer.start(["--fail-first", "2"])
        let clock = TestClock()
        let client = try RESTClient(baseURL: replay.baseURL, clock: clock, log: .silent)
        let before = try await client.get("/repos/dlt-hub/dlt")
        #expect(before.attempts == 3 && clock.sleeps.count == 2)
        let initial = try before.decode(Repository.self).stargazers_count

        _ = try await client.request("POST", "/_replay/generation/changed")
        let after = try await client.get(Repository.self, "/repos/dlt-hub/dlt")
        #expect(after.stargazers_count != initial)
        let issues = try await client.get([Issue].self, "/repos/dlt-hub/dlt/issues", query: ["state": "all"])
        #expect(issues.count == 5, "the changed sample data has a new issue")

        // More failures on demand.
        _ = try await client.request("POST", "/_replay/fail", query: ["count": "1", "status": "503"])
        #expect(try await client.get("/repos/dlt-hub/dlt").attempts == 2)
        let unknown = await #expect(throws: RESTError.self) { try await client.request("POST", "/_replay/generation/nope") }
        #expect(unknown?.status == 404)

        let recorded = try await client.get([Recorded].self, "/_replay/requests")
        #expect(recorded.map(\.status) == [502, 502, 200, 200, 200, 503, 200], "\(recorded)")
        #expect(replay.log.contains("GET /repos/dlt-hub/dlt → 502\n"), "\(replay.log)")
    }

    @Test(.timeLimit(.minutes(5)))
    func anExhaustedRateLimitIsWaitedOutUntilItsReset() async throws {
        // Two requests per 10-minute window. The client waits on a clock that, instead of
        // sleeping, tells the server its window is over, so no wall-clock timing is involved.
        let replay = try await ReplayServer.start(["--rate-limit", "2", "--rate-limit-window", "600"])
        let lines = LogLines()
        let clock = WindowEndingClock(replay: try RESTClient(baseURL: replay.baseURL, log: .silent))
        let client = try RESTClient(baseURL: replay.baseURL, clock: clock, log: lines.log(requests: true))
        for _ in 0..<3 {
            _ = try await client.get("/repos/duckdb/duckdb")
        }
        let recorded = try await client.get([Recorded].self, "/_replay/requests")
        #expect(recorded.map(\.status) == [200, 200, 200], "no request reached the 403: \(recorded)")
        // The second answer said 0 remaining, so the third request waited for the reset.
        #expect(lines.lines.contains { $0.contains("rate limit exhausted") }, "\(lines.lines)")
        // It waited until the reset the server announced (a whole second, rounded up).
        #expect(clock.waits.count == 1, "\(clock.waits)")
        if let wait = clock.waits.first, let untilReset = clock.untilReset.first {
            #expect(wait >= untilReset - 0.5 && wait <= untilReset + 10, "waited \(wait) s; the reset was \(untilReset) s away")
        }
    }
}

/// Real time, but a wait ends the replay server's rate-limit window instead of sleeping.
final class WindowEndingClock: RESTClock, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []
    private var resets: [Double] = []
    private let replay: RESTClient

    init(replay: RESTClient) { self.replay = replay }

    var now: Date { Date() }
    var waits: [Double] { lock.withLock { recorded } }
    /// For each wait, how far away the server's reset was when it began.
    var untilReset: [Double] { lock.withLock { resets } }

    struct Status: Decodable { let rate_limit_reset: Int }

    func sleep(for duration: Duration) async throws {
        let reset = try await replay.get(Status.self, "/_replay/status").rate_limit_reset
        let away = Double(reset) - Date().timeIntervalSince1970
        lock.withLock {
            recorded.append(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
            resets.append(away)
        }
        _ = try await replay.request("POST", "/_replay/rate-limit/reset")
    }
}
