// The guide's pipeline (guide-run-dlt-ingest-pipeline.md) as a Swift flight, and one step past it.
//
// For each repository in config REPOS (comma-separated), GET /repos/{owner}/{repo} from config
// GITHUB_API_URL (the public API by default; the GitHubReplay server's URL offline) and merge
// repo, stars, forks, open_issues, default_branch, pushed_at, loaded_at on `repo` into
// docs_playground.flights_demo_dlt.github_repo_stats with parquet loader files. Past the guide:
// each repository's issues, paginated by the Link header, incremental on `updated_at` (`since=`),
// merged on `id` into github_issues, their labels in the child table github_issues__labels.
// Then one ledger row in docs_playground.flights_demo.dlt_ingest_runs, and the LoadInfo printed.
//
// Config: REPOS, GITHUB_API_URL, ISSUES_PER_PAGE (default 100), ISSUES_SINCE (an ISO time: the
// first run reads issues updated since then instead of every issue ever). Secret: an optional token, read
// by its bare param name GITHUB_TOKEN (`hangar secret create github GITHUB_TOKEN`, then
// `--secret github` on the flight).
import FlightKit
import Foundation

let flight = FlightContext.current
let repos = flight.config("REPOS", default: "duckdb/duckdb,motherduckdb/motherduck-docs,dlt-hub/dlt")
    .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
let apiURL = flight.config("GITHUB_API_URL", default: "https://api.github.com")
let perPage = flight.config("ISSUES_PER_PAGE", default: "100")
let token = flight.secret("GITHUB_TOKEN").flatMap { $0.isEmpty ? nil : $0 }

print("run \(flight.runNumber.map(String.init) ?? "-") of \(flight.flightName ?? "a local flight"): "
      + "\(repos.count) repositories from \(apiURL)" + (token == nil ? " (no token)" : " (with a token)"))

// Retries (backoff with jitter; Retry-After and GitHub's rate-limit reset honoured) and each
// request's line in the run's log, the token masked.
/// A failure ends the run with its message and exit code 1 (an error thrown at top level would
/// crash the program instead, with a backtrace in the log).
func fail(_ error: any Error) -> Never {
    FileHandle.standardError.write(Data("flight failed: \(error)\n".utf8))
    exit(1)
}

let github: RESTClient
do {
    github = try RESTClient(baseURL: apiURL,
                            headers: ["Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"],
                            auth: token.map { RESTAuth.bearer($0) }, timeout: .seconds(30),
                            log: .standardError(requests: true))
} catch {
    fail(error)
}

// MARK: Repository metadata, as in the guide

/// The fields of GitHub's repository object the guide keeps.
struct Repository: Decodable {
    let stargazers_count: Int?
    let forks_count: Int?
    let open_issues_count: Int?
    let default_branch: String?
    let pushed_at: String?
    let updated_at: String?
}

struct RepoStats: Encodable {
    let repo: String
    let stars: Int?
    let forks: Int?
    let open_issues: Int?
    let default_branch: String?
    let pushed_at: String?
    let loaded_at: String?
}

let repoStats = Resource("github_repo_stats",
                         hints: TableHints(table: "github_repo_stats", writeDisposition: .merge, primaryKey: ["repo"])) { emit in
    for repo in repos {
        let payload = try await github.get(Repository.self, "/repos/\(repo)")
        try emit.row(encoding: RepoStats(repo: repo, stars: payload.stargazers_count, forks: payload.forks_count,
                                         open_issues: payload.open_issues_count, default_branch: payload.default_branch,
                                         pushed_at: payload.pushed_at, loaded_at: payload.updated_at))
    }
}

// MARK: Issues, incremental on updated_at

/// The fields of GitHub's issue object loaded (pull requests are issues too, with `pull_request`).
struct Issue: Decodable {
    struct User: Decodable { let login: String }
    struct Label: Decodable, Encodable {
        let id: Int64
        let name: String
        let color: String?
    }
    struct PullRequest: Decodable {}

    let id: Int64
    let number: Int
    let title: String
    let state: String
    let user: User?
    let labels: [Label]
    let comments: Int?
    let created_at: String
    let updated_at: String
    let closed_at: String?
    let html_url: String?
    let pull_request: PullRequest?
}

struct IssueRow: Encodable {
    let id: Int64
    let repo: String
    let number: Int
    let title: String
    let state: String
    let author: String?
    let comments: Int?
    let is_pull_request: Bool
    let created_at: String
    let updated_at: String
    let closed_at: String?
    let html_url: String?
    /// A list: the child table github_issues__labels.
    let labels: [Issue.Label]
}

let issues = Resource("github_issues",
                      hints: TableHints(table: "github_issues", writeDisposition: .merge, primaryKey: ["id"]),
                      incremental: Incremental(cursorPath: "updated_at",
                                               initialValue: flight.config("ISSUES_SINCE").map { .string($0) })) { emit in
    // The cursor is known before the first request: ask only for issues updated since then.
    let since = emit.incremental?.startParameter
    print(since.map { "issues: updated since \($0)" } ?? "issues: first run, reading them all")
    for repo in repos {
        let query: [String: String?] = ["state": "all", "sort": "updated", "direction": "asc",
                                        "per_page": perPage, "since": since]
        var count = 0
        for try await page in github.pages("/repos/\(repo)/issues", query: query, paginator: .linkHeader()) {
            for issue in try page.decode([Issue].self) {
                try emit.row(encoding: IssueRow(
                    id: issue.id, repo: repo, number: issue.number, title: issue.title, state: issue.state,
                    author: issue.user?.login, comments: issue.comments, is_pull_request: issue.pull_request != nil,
                    created_at: issue.created_at, updated_at: issue.updated_at, closed_at: issue.closed_at,
                    html_url: issue.html_url, labels: issue.labels))
                count += 1
            }
        }
        print("issues: \(repo): \(count) fetched")
    }
}

// MARK: Load, then the ledger

do {
    let pipeline = try flight.pipeline("flights_github_repo_stats", database: "docs_playground", dataset: "flights_demo_dlt")
    let info = try await pipeline.run(Source("github", resources: [repoStats, issues]), loaderFileFormat: .parquet)
    print(info)

    try flight.database("docs_playground").write { connection in
        try connection.execute("CREATE SCHEMA IF NOT EXISTS flights_demo")
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS flights_demo.dlt_ingest_runs (
                run_at TIMESTAMPTZ,
                pipeline_name VARCHAR,
                destination_dataset VARCHAR,
                load_summary VARCHAR
            )
            """)
        try connection.execute("INSERT INTO flights_demo.dlt_ingest_runs VALUES (current_timestamp, ?, ?, ?)",
                               ["flights_github_repo_stats", "flights_demo_dlt", info.description])
    }
    print("ledger row written to docs_playground.flights_demo.dlt_ingest_runs")
} catch {
    fail(error)
}
