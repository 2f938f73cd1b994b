import Foundation
import HangarTestSupport
import Testing

/// Python flights on the local account, with no MotherDuck token configured: the guide's own flight
/// through the guide's SQL cells, every `md:` form, and dlt's `motherduck` destination, against
/// real dlt and duckdb from PyPI in real runs.
// One test at a time: each waits on real runs for seconds, holding a test thread.
@Suite(.serialized)
struct LocalAccountFlightTests {
    /// The guide's requirements_txt; every flight here uses it, so they share one environment.
    static let guideRequirements = "duckdb==1.5.3\ndlt[motherduck]==1.27.0\nhttpx==0.28.1\n"

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static var guideSource: String {
        get throws {
            let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Examples/Flights/docs_dlt_ingest/main.py")
            return try String(contentsOf: examples, encoding: .utf8)
        }
    }

    /// The guide's cells three times in `hangar sql docs_playground`: the first cell creates the
    /// guide's flight (imports restored, GitHub's address from config, pointed at the replay
    /// server), the rest run verbatim. Every run succeeds; the table keeps one row per repository;
    /// the ledger and dlt's loads grow by one each run. While each run goes on, `hangar sql`
    /// sessions read the database: each gets its answer (waiting its turn), never a lock error.
    @Test(.timeLimit(.minutes(8)))
    func theGuidesFlightRunsThreeTimesThroughTheGuidesCells() async throws {
        // A home of its own: other tests of the shared one write docs_playground too.
        let home = try FlightsTestHome()
        let replay = try await ReplayServer.start(["--port", "0"])
        let create = """
            SELECT flight_id, flight_name, current_version
            FROM MD_CREATE_FLIGHT(
                name := 'docs_dlt_ingest_local',
                requirements_txt := array_to_string([
                    'duckdb==1.5.3',
                    'dlt[motherduck]==1.27.0',
                    'httpx==0.28.1'
                ], chr(10)),
                config := MAP {'GITHUB_API_URL': '\(replay.baseURL)'},
                source_code := $flight$
            \(try Self.guideSource)
            $flight$
            );
            """
        let cells = GuideSQLCellsTests.cells.map { $0.replacingOccurrences(of: "'docs_dlt_ingest'", with: "'docs_dlt_ingest_local'") }
        _ = try home.sql(create, database: "docs_playground")

        for round in 1...3 {
            let started = try home.sql(cells[1], cells[2], database: "docs_playground")
            #expect(started.last?.first?["run_number"] as? Int == round, "\(started)")
            // Readers while the run goes on, until it has finished.
            var reads = 0
            var status = ""
            repeat {
                let read = try home.hangar("sql", "docs_playground", "--json", "-c",
                                           "SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = 'docs_playground'")
                #expect(read.status == 0, "a reader failed during run \(round): \(read.stderr)")
                #expect(!read.stderr.contains("Could not set lock") && !read.stderr.contains("Conflicting lock"), "\(read.stderr)")
                reads += 1
                status = try home.rows(cells[1], cells[3], database: "docs_playground").first?["status"] as? String ?? ""
            } while ["RUN_STATUS_PENDING", "RUN_STATUS_RUNNING"].contains(status)
            let log = try home.hangar("logs", "docs_dlt_ingest_local", String(round)).stdout
            #expect(status == "RUN_STATUS_SUCCEEDED", "run \(round): \(log)")
            #expect(reads > 0)
            #expect(log.contains("[hangar] md: connections use the local account (no MotherDuck token is configured)"), "\(log)")
            #expect(log.contains("1 load package(s) were loaded to destination motherduck and into dataset flights_demo_dlt"), "\(log)")
            #expect(log.contains("The motherduck destination used md:docs_playground (Hangar's local account, "), "\(log)")
        }

        let tables = try home.sql(cells[1], cells[5], cells[6], database: "docs_playground")
        #expect(tables[0].map { $0["repo"] as? String } == ["duckdb/duckdb", "dlt-hub/dlt", "motherduckdb/motherduck-docs"], "\(tables[0])")
        let counts = try home.rows("""
            SELECT (SELECT count(*) FROM docs_playground.flights_demo.dlt_ingest_runs) AS ledger,
                   (SELECT count(*) FROM docs_playground.flights_demo_dlt._dlt_loads WHERE status = 0) AS loads,
                   (SELECT count(*) FROM docs_playground.flights_demo_dlt.github_repo_stats) AS repos
            """)
        #expect(counts.first?["ledger"] as? Int == 3, "\(counts)")
        #expect(counts.first?["loads"] as? Int == 3, "\(counts)")
        #expect(counts.first?["repos"] as? Int == 3, "\(counts)")
        // The ledger's summaries are dlt's LoadInfo, naming where the data went.
        let summaries = try home.rows("SELECT load_summary FROM docs_playground.flights_demo.dlt_ingest_runs")
        #expect(summaries.allSatisfy { ($0["load_summary"] as? String)?.contains("docs_playground.duckdb") == true }, "\(summaries)")
        // Bare md: made MotherDuck's default database in the account.
        let databases = try home.rows("SHOW DATABASES").compactMap { $0["database_name"] as? String }
        #expect(databases.contains("my_db") && databases.contains("docs_playground"), "\(databases)")
    }

    /// Every `md:` form a flight may write, with the guide's duckdb 1.5.3 and with 1.4.4: each
    /// check prints "ok …" from inside the run (Fixtures/md_forms.py).
    @Test(.timeLimit(.minutes(8)), arguments: [guideRequirements, "duckdb==1.4.4\n"])
    func everyMotherDuckFormReachesTheAccount(requirements: String) throws {
        let home = try FlightsTestHome.shared("python-flights")
        let name = "md_forms_" + (requirements.contains("1.4.4") ? "duckdb14" : "guide")
        let requirementsFile = try home.file("\(name)-requirements.txt", requirements)
        let source = try String(contentsOf: Self.fixtures.appendingPathComponent("md_forms.py"), encoding: .utf8)
        try home.createFlight(name, source: source, "--requirements", requirementsFile, "--config", "FORMS_PREFIX=\(name)")
        let run = try home.hangar("run", name, "--wait", "--json")
        let log = try home.hangar("logs", name, "1").stdout
        #expect(run.status == 0, "\(log)")
        #expect(log.contains("all md: forms work"), "\(log)")
        #expect(!log.contains("FAILED"), "\(log)")
        // What the flight's duckdb wrote opens in Hangar's own: 2 rows, then 80 from four threads.
        let rows = try home.rows("SELECT count(*) AS n FROM \(name)_named.main.t")
        #expect(rows.first?["n"] as? Int == 82, "\(rows)")
    }

    /// dlt's `destination="motherduck"` with the database named in the environment, in a
    /// connection string given to the factory, and in the whole-credentials variable (and not at
    /// all: dlt's my_db): merges, parquet files, a child table, state restored from the account.
    @Test(.timeLimit(.minutes(8)))
    func dltsMotherDuckDestinationLoadsIntoTheAccount() throws {
        let home = try FlightsTestHome.shared("python-flights")
        let requirements = try home.file("dlt-md-requirements.txt", Self.guideRequirements)
        let source = try String(contentsOf: Self.fixtures.appendingPathComponent("dlt_motherduck.py"), encoding: .utf8)
        try home.createFlight("dlt_motherduck_ways", source: source, "--requirements", requirements)
        let run = try home.hangar("run", "dlt_motherduck_ways", "--wait", "--json")
        let log = try home.hangar("logs", "dlt_motherduck_ways", "1").stdout
        #expect(run.status == 0, "\(log)")
        #expect(log.contains("dlt's motherduck destination works"), "\(log)")
        for database in ["dlt_env_db", "dlt_factory_db", "dlt_string_db"] {
            #expect(log.contains("hangar: created the account database \(database) ("), "\(log)")
            let rows = try home.rows("SELECT count(*) AS n FROM \(database).stats.repos")
            #expect(rows.first?["n"] as? Int == 3, "\(database): \(rows)")
        }
    }

    /// A flight's md: statement waits for a database another process holds, says whom it waits
    /// for, and goes on once it is free; catalog queries never wait for databases they do not name.
    @Test(.timeLimit(.minutes(5)))
    func anMdStatementWaitsForTheLeaseAndSaysWhoHoldsIt() async throws {
        let home = try FlightsTestHome.shared("python-flights")
        _ = try home.hangar("sql", "-c", "CREATE DATABASE IF NOT EXISTS lease_wait_db")
        _ = try home.hangar("sql", "-c", "CREATE DATABASE IF NOT EXISTS lease_unrelated_db")
        let gate = try FlightGate.make(in: home.scratch, "lease-wait-gate")
        let source = """
            import duckdb, sys
            open(sys.argv[1] if len(sys.argv) > 1 else \(String(reflecting: gate))).read()
            con = duckdb.connect("md:lease_wait_db")
            con.execute("CREATE TABLE IF NOT EXISTS t AS SELECT 1 AS x")
            con.execute("SELECT count(*) FROM duckdb_tables()").fetchall()
            con.execute("SELECT count(*) FROM information_schema.schemata WHERE catalog_name = ?", ["lease_wait_db"]).fetchall()
            print("written", flush=True)
            """
        let requirements = try home.file("lease-wait-requirements.txt", Self.guideRequirements)
        try home.createFlight("md_lease_wait", source: source, "--requirements", requirements)
        let holder = try LeaseHolderProcess(home.home + "/databases/lease_wait_db.duckdb", purpose: "a test holding the lease")
        let unrelated = try LeaseHolderProcess(home.home + "/databases/lease_unrelated_db.duckdb", purpose: "a test holding another database")
        defer { unrelated.release() }
        let run = try home.start("run", "md_lease_wait", "--follow")
        try FlightGate.release(gate)
        // The flight announces its wait; then the holder lets go.
        // (The run is another process; its log lines reach the store when printed.)
        try await eventually("the log of md_lease_wait to say it waits", timeout: .seconds(240)) {
            (try? home.hangar("logs", "md_lease_wait", "1").stdout)?.contains("hangar: waiting for lease_wait_db.duckdb: held by a test holding the lease") == true
        }
        holder.release()
        let finished = await run.finish()
        #expect(finished.status == 0, "\(finished.stdout)\(finished.stderr)")
        #expect(finished.stdout.contains("written"), "\(finished.stdout)")
    }
}
