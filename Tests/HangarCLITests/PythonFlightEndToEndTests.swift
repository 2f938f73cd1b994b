import Foundation
import HangarFlights
import HangarTestSupport
import Testing

/// Python flights writing into the account's `docs_playground` database through its lease, and
/// `hangar sql` on the same database, with real supervisors and real Python environments.
/// Serialized: both tests use `docs_playground` of the shared home, and one holds its lease.
@Suite(.serialized)
struct PythonFlightEndToEndTests {
    /// dlt's duckdb destination into an account database, under the lease, merging on a key.
    /// `ROUND` (config, overridden for the second run) decides the values loaded.
    static let dltMerge = """
        import os

        import dlt
        import hangar

        ROUND = int(os.environ["ROUND"])
        REPOS = {"duckdb/duckdb": 100, "dlt-hub/dlt": 40, "motherduckdb/motherduck-docs": 7}
        rows = [{"repo": repo, "stars": stars * ROUND, "round": ROUND} for repo, stars in REPOS.items()]

        pipeline = dlt.pipeline(
            pipeline_name="hangar_e2e_merge",
            destination=hangar.dlt_destination("docs_playground"),
            dataset_name="flights_demo_dlt",
        )
        with hangar.database_lease("docs_playground"):
            info = pipeline.run(rows, table_name="github_repo_stats", write_disposition="merge", primary_key="repo")
        print(info, flush=True)
        print("loaded round", ROUND, flush=True)

        """

    /// Holds `docs_playground`'s lease until the test opens the FIFO at `GATE`.
    static let holdLease = """
        import os

        import hangar

        with hangar.database_lease("docs_playground"):
            print("holding the lease as pid %d" % os.getpid(), flush=True)
            with open(os.environ["GATE"]) as gate:
                gate.read()
        print("released", flush=True)

        """

    @Test(.timeLimit(.minutes(5)))
    func dltMergesIntoAnAccountDatabaseAndHangarSQLReadsIt() throws {
        let home = try FlightsTestHome.shared("python-flights")
        let requirements = try home.file("dlt-requirements.txt", "dlt[duckdb]==1.27.2\n")
        try home.createFlight("dlt_merge", source: Self.dltMerge, "--requirements", requirements, "--config", "ROUND=1")
        // The flight creates the database (with the duckdb module dlt brings, 2.x on PyPI, whose
        // own format Hangar's DuckDB 1.5 could not read), whichever test of the suite ran first.
        for suffix in ["", ".wal"] {
            try? FileManager.default.removeItem(atPath: "\(home.home)/databases/docs_playground.duckdb\(suffix)")
        }

        let first = try home.hangar("run", "dlt_merge", "--wait")
        let firstLog = try home.hangar("logs", "dlt_merge", "1").stdout
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)\(firstLog)")
        #expect(firstLog.contains("loaded round 1\n"), "\(firstLog)")
        let second = try home.hangar("run", "dlt_merge", "--config", "ROUND=2", "--wait")
        let log = try home.hangar("logs", "dlt_merge", "2").stdout
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)\(log)")
        #expect(log.contains("[hangar] reusing the Python environment for these requirements"), "\(log)")
        #expect(log.contains("loaded round 2\n"), "\(log)")

        // The account database by name, under the same home; Hangar's own DuckDB reads what
        // the flight's duckdb module wrote.
        let query = try home.hangar("sql", "docs_playground", "--json", "-c", """
            SELECT repo, stars, round, count(*) OVER (PARTITION BY repo) AS copies
            FROM flights_demo_dlt.github_repo_stats ORDER BY repo
            """)
        #expect(query.status == 0, "\(query.stderr)")
        let rows = try JSONOutput.array(query.stdout)
        #expect(rows.map { $0["repo"] as? String } == ["dlt-hub/dlt", "duckdb/duckdb", "motherduckdb/motherduck-docs"], "\(query.stdout)")
        #expect(rows.map { $0["stars"] as? Int } == [80, 200, 14], "\(query.stdout)")
        #expect(rows.allSatisfy { $0["round"] as? Int == 2 && $0["copies"] as? Int == 1 }, "\(query.stdout)")
        let loads = try home.hangar("sql", "docs_playground", "--csv", "-c", "SELECT count(*) AS loads FROM flights_demo_dlt._dlt_loads WHERE status = 0")
        #expect(loads.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "loads\n2\n", "\(loads.stdout)\(loads.stderr)")
    }

    @Test(.timeLimit(.minutes(5)))
    func aStatementWaitsForAFlightHoldingTheLeaseThenSucceeds() async throws {
        let home = try FlightsTestHome.shared("python-flights")
        let gate = try FlightGate.make(in: home.scratch, "lease-gate")
        try home.createFlight("lease_holder", source: Self.holdLease, "--config", "GATE=\(gate)")

        let run = try home.start("run", "lease_holder", "--follow")
        let marker = try await run.line(startingWith: "holding the lease as pid ")
        let pid = try #require(Int32(marker.dropFirst("holding the lease as pid ".count)), "\(run.stdout)")
        let runNumber = try #require(try home.flights().runs(FlightSelector("lease_holder")).first?.runNumber)

        let sql = Process()
        sql.executableURL = try HangarProcess.executable()
        sql.arguments = ["sql", "docs_playground", "--home", home.home, "--csv",
                         "-c", "CREATE OR REPLACE TABLE after_the_flight AS SELECT 42 AS answer", "-c", "SELECT answer FROM after_the_flight"]
        let out = Pipe(), err = Pipe()
        sql.standardInput = FileHandle.nullDevice
        sql.standardOutput = out
        sql.standardError = err
        try sql.run()
        // The flight lets go only once the statement says it is waiting: no timers involved.
        var waiting = ""
        while !waiting.contains("\n") {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }
            waiting += String(decoding: data, as: UTF8.self)
        }
        let stillWaiting = sql.isRunning
        try FlightGate.release(gate)
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sql.waitUntilExit()
        let finished = await run.finish()

        #expect(waiting.hasPrefix("waiting for docs_playground.duckdb: held by flight lease_holder run \(runNumber) (pid \(pid))"), "\(waiting)")
        #expect(stillWaiting, "hangar sql ended while the flight held the lease: \(waiting)")
        #expect(sql.terminationStatus == 0, "\(waiting)")
        #expect(printed.replacingOccurrences(of: "\r\n", with: "\n") == "answer\n42\n", "\(printed)")
        #expect(finished.status == 0, "\(finished.stdout)\(finished.stderr)")
        #expect(finished.stdout.contains("released\n"))
    }
}
