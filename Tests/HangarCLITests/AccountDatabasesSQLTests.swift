import Foundation
import HangarTestSupport
import Testing

/// In every `hangar sql` session the account's databases are there by name, each attached under
/// its lease only for the statements that name it.
struct AccountDatabasesSQLTests {
    @Test(.timeLimit(.minutes(5)))
    func accountDatabasesResolveByNameInAnySession() throws {
        let home = try FlightsTestHome()
        _ = try home.sql("CREATE SCHEMA flights_demo_dlt",
                         "CREATE TABLE flights_demo_dlt.github_repo_stats AS SELECT 'duckdb/duckdb' AS repo, 31250 AS stars",
                         database: "docs_playground")
        let table = "docs_playground.flights_demo_dlt.github_repo_stats"

        // In memory, and from another account database.
        #expect(try home.rows("SELECT repo FROM \(table)").map { $0["repo"] as? String } == ["duckdb/duckdb"])
        let copied = try home.rows("CREATE TABLE copied AS SELECT * FROM \(table)", "SELECT count(*) AS n FROM copied", database: "scratch")
        #expect(copied.first?["n"] as? Int == 1)
        // Quoted, in any case, and through USE for the statements after it.
        #expect(try home.rows("SELECT stars FROM \"Docs_Playground\".flights_demo_dlt.github_repo_stats").first?["stars"] as? Int == 31250)
        let used = try home.rows("USE docs_playground", "SELECT repo FROM flights_demo_dlt.github_repo_stats")
        #expect(used.map { $0["repo"] as? String } == ["duckdb/duckdb"])
        // A name inside a string or a comment is no reference; an unknown name is DuckDB's error.
        #expect(try home.rows("SELECT 'docs_playground.x' AS s -- docs_playground.y").first?["s"] as? String == "docs_playground.x")
        let unknown = try home.sqlError("FROM nowhere.s.t")
        #expect(unknown.contains("nowhere"), "\(unknown)")

        // While a flight holds docs_playground's lease, statements that don't name it go on; one
        // that does waits, and gives up after --lease-timeout naming the holder.
        let holder = try LeaseHolderProcess(home.home + "/databases/docs_playground.duckdb", purpose: "flight loader run 9")
        defer { holder.release() }
        let free = try HangarProcess.run(["sql", "--home", home.home, "--csv", "--lease-timeout", "0.2",
                                          "-c", "SELECT 42 AS answer", "-c", "SELECT count(*) AS n FROM MD_LIST_FLIGHTS()"])
        #expect(free.status == 0, "\(free.stderr)")
        #expect(free.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "answer\n42\nn\n0\n")
        let waited = try HangarProcess.run(["sql", "--home", home.home, "--lease-timeout", "0.2", "-c", "FROM \(table)"])
        #expect(waited.status != 0)
        #expect(waited.stderr.contains("waiting for docs_playground.duckdb: held by flight loader run 9"), "\(waited.stderr)")
    }
}
