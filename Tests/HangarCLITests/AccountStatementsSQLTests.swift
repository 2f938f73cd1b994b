import Foundation
import HangarTestSupport
import Testing

/// The hosted service's account statements in `hangar sql`: flight secrets with
/// `CREATE SECRET … IN MOTHERDUCK (TYPE flights, PARAMS MAP {…})`, and databases with
/// `CREATE DATABASE`, `DROP DATABASE`, `SHOW DATABASES` and `USE`.
struct AccountStatementsSQLTests {
    static let value = "ghp_SqlSecretValue42"

    @Test(.timeLimit(.minutes(5)))
    func secretsAreCreatedListedUsedByRunsAndDroppedWithoutTheirValuesEverShowing() async throws {
        let home = try FlightsTestHome()
        var printed = ""
        func session(_ statements: String...) throws -> ProgramOutput {
            let output = try home.sqlSession(statements, database: nil)
            printed += output.stdout + output.stderr
            return output
        }

        let created = try session("CREATE SECRET GitHub IN MOTHERDUCK (TYPE flights, PARAMS MAP {'TOKEN': '\(Self.value)', 'USER': 'octocat'})")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try FlightsTestHome.results(created.stdout).first?.first?["Success"] as? Bool == true)
        // The platform has it, under its lower-cased name, with its keys.
        let listed = try HangarProcess.run(["secret", "list", "--home", home.home, "--json"])
        #expect(listed.stdout.contains("\"github\"") && listed.stdout.contains("TOKEN") && listed.stdout.contains("USER"), "\(listed.stdout)")
        printed += listed.stdout

        // FROM duckdb_secrets() lists it, redacted as DuckDB redacts: keys, never values.
        let rows = try home.rows("SELECT name, type, storage, secret_string FROM duckdb_secrets() WHERE type = 'flights'")
        #expect(rows.count == 1)
        #expect(rows.first?["name"] as? String == "github" && rows.first?["storage"] as? String == "motherduck")
        #expect(rows.first?["secret_string"] as? String == "name=github;type=flights;provider=config;serializable=true;scope;TOKEN=redacted;USER=redacted")

        // A second CREATE is a conflict that says what to do; IF NOT EXISTS and OR REPLACE are not.
        let again = try session("CREATE SECRET github IN MOTHERDUCK (TYPE flights, PARAMS MAP {'TOKEN': '\(Self.value)'})")
        #expect(again.status != 0 && again.stderr.contains("Invalid Input Error: secret \"github\" already exists; use CREATE OR REPLACE SECRET"), "\(again.stderr)")
        #expect(try session("CREATE SECRET IF NOT EXISTS github IN MOTHERDUCK (TYPE flights, PARAMS MAP {'X': 'y'})").status == 0)
        let replaced = try session("CREATE OR REPLACE SECRET github IN MOTHERDUCK (TYPE 'flights', PARAMS MAP {'TOKEN': '\(Self.value)'})")
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try home.rows("SELECT secret_string FROM duckdb_secrets()").first?["secret_string"] as? String
            == "name=github;type=flights;provider=config;serializable=true;scope;TOKEN=redacted")

        // Statements that cannot be read are refused without quoting the statement.
        for broken in [
            "CREATE SECRET broken IN MOTHERDUCK (TYPE flights, PARAMS MAP {'TOKEN': '\(Self.value)'}",
            "CREATE SECRET broken IN MOTHERDUCK (TYPE flights, PARAMS MAP {'TOKEN': ['\(Self.value)']})",
            "CREATE SECRET broken IN MOTHERDUCK (TYPE flights, PARAMS MAP {'TOKEN': '\(Self.value)'}, SCOPE 'x')",
            "CREATE SECRET broken IN MOTHERDUCK (TYPE s3, KEY_ID 'a', SECRET '\(Self.value)')",
            "CREATE TEMPORARY SECRET broken (TYPE flights, PARAMS MAP {'TOKEN': '\(Self.value)'})",
        ] {
            let refused = try session(broken)
            #expect(refused.status != 0 && refused.stderr.hasPrefix("Error: "), "\(broken): \(refused.stderr)")
        }

        // A run of a flight naming it gets the params as <secret>_<PARAM> and PARAM.
        let source = "import os\nprint('lengths', len(os.environ['github_TOKEN']), len(os.environ['TOKEN']))\n"
        _ = try home.sql("CALL MD_CREATE_FLIGHT(name := 'uses_secret', source_code := $$\(source)$$, flight_secret_names := ['GitHub'])")
        _ = try home.sql(selectFlightID("uses_secret"), "CALL MD_RUN_FLIGHT(flight_id := getvariable('fid'))")
        let run = try await FlightsSQLTests.waitForRun(home, "uses_secret", 1)
        #expect(run["status"] as? String == "RUN_STATUS_SUCCEEDED", "\(run)")
        let lines = try home.rows(selectFlightID("uses_secret"), "SELECT line FROM MD_GET_FLIGHT_LOGS(flight_id := getvariable('fid'), run_number := 1)")
        #expect(lines.contains { $0["line"] as? String == "lengths \(Self.value.count) \(Self.value.count)" }, "\(lines)")

        // DROP SECRET removes it; a second DROP … FROM MOTHERDUCK says it is gone, IF EXISTS does not.
        let dropped = try session("DROP SECRET github")
        #expect(dropped.status == 0, "\(dropped.stderr)")
        #expect(try home.rows("SELECT count(*) AS n FROM duckdb_secrets()").first?["n"] as? Int == 0)
        let twice = try session("DROP SECRET github FROM MOTHERDUCK")
        #expect(twice.status != 0 && twice.stderr.contains("Failed to remove non-existent secret with name 'github'"), "\(twice.stderr)")
        #expect(try session("DROP SECRET IF EXISTS github FROM MOTHERDUCK").status == 0)
        // A name the account does not have is DuckDB's to answer.
        let unknown = try session("DROP SECRET nowhere")
        #expect(unknown.status != 0 && unknown.stderr.contains("nowhere"), "\(unknown.stderr)")

        #expect(!printed.contains(Self.value), "a secret value was printed")
    }

    @Test(.timeLimit(.minutes(5)))
    func databasesAreCreatedCopiedListedUsedAndDropped() throws {
        let home = try FlightsTestHome()
        let databases = URL(fileURLWithPath: home.home).appendingPathComponent("databases")
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: databases.appendingPathComponent("\(name).duckdb").path) }

        // CREATE DATABASE makes the account's file; USE makes it the session's default.
        let made = try home.rows("CREATE DATABASE analytics", "USE analytics", "CREATE TABLE events AS SELECT range AS id FROM range(3)",
                                 "SELECT count(*) AS n FROM events")
        #expect(made.first?["n"] as? Int == 3 && exists("analytics"))
        #expect(try home.rows("SELECT count(*) AS n FROM analytics.events").first?["n"] as? Int == 3, "named from any later session")

        let duplicate = try home.sqlError("CREATE DATABASE analytics")
        #expect(duplicate.contains("Catalog Error: database \"analytics\" already exists") && duplicate.contains("IF NOT EXISTS"), "\(duplicate)")
        #expect(try home.rows("CREATE DATABASE IF NOT EXISTS analytics", "SELECT count(*) AS n FROM analytics.events").first?["n"] as? Int == 3)
        let badName = try home.sqlError("CREATE DATABASE \"bad-name\"")
        #expect(badName.contains("is not a database name"), "\(badName)")

        // FROM copies a database; OR REPLACE starts it afresh.
        #expect(try home.rows("CREATE DATABASE snapshot FROM analytics", "SELECT count(*) AS n FROM snapshot.events").first?["n"] as? Int == 3)
        let missingSource = try home.sqlError("CREATE DATABASE other FROM nowhere")
        #expect(missingSource.contains("database \"nowhere\" does not exist") && !exists("other"), "\(missingSource)")
        _ = try home.sql("CREATE OR REPLACE DATABASE snapshot")
        #expect(try home.sqlError("FROM snapshot.events").contains("events"))

        // SHOW DATABASES lists the account's databases.
        let shown = try home.rows("SHOW DATABASES").compactMap { $0["database_name"] as? String }
        #expect(shown == ["analytics", "snapshot"], "\(shown)")

        // A database in use is not dropped; another one is, and a second DROP says it is gone.
        let inUse = try home.sqlError("USE analytics", "DROP DATABASE analytics")
        #expect(inUse.contains("cannot drop analytics: this session uses it"), "\(inUse)")
        _ = try home.sql("DROP DATABASE snapshot")
        #expect(!exists("snapshot") && exists("analytics"))
        #expect(try home.sqlError("DROP DATABASE snapshot").contains("Catalog Error: database \"snapshot\" does not exist"))
        _ = try home.sql("DROP DATABASE IF EXISTS snapshot")
        #expect(try home.rows("SHOW DATABASES").compactMap { $0["database_name"] as? String } == ["analytics"])
    }

    @Test(.timeLimit(.minutes(5)))
    func droppingADatabaseAFlightHoldsWaitsForItsLease() throws {
        let home = try FlightsTestHome()
        _ = try home.sql("CREATE DATABASE busy")
        let file = home.home + "/databases/busy.duckdb"
        let holder = try LeaseHolderProcess(file, purpose: "flight loader run 3")
        defer { holder.release() }
        let refused = try HangarProcess.run(["sql", "--home", home.home, "--lease-timeout", "0.2", "-c", "DROP DATABASE busy"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("waiting for busy.duckdb: held by flight loader run 3"), "\(refused.stderr)")
        #expect(FileManager.default.fileExists(atPath: file), "the database is still there")
    }
}
