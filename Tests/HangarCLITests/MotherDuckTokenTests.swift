import Foundation
import HangarTestSupport
import Testing

/// MotherDuck itself, with a token: `hangar motherduck login|logout|status`, `ATTACH 'md:'` in
/// `hangar sql` through the provisioned motherduck extension, and Python runs that go to MotherDuck
/// untouched. There is no network to MotherDuck here, so every MotherDuck path must fail with a
/// message naming MotherDuck and what to check, never showing the token.
// One test at a time: each waits on real runs for seconds, holding a test thread.
@Suite(.serialized)
struct MotherDuckTokenTests {
    static let token = "md-test-token-\(UUID().uuidString)"

    @Test func theTokenIsStoredFromTheEnvironmentOrStandardInputAndNeverPrinted() throws {
        let home = try FlightsTestHome()
        let none = try JSONOutput.object(try home.hangar("motherduck", "status", "--json").stdout)
        #expect(none["configured"] as? Bool == false)
        #expect(none["md_goes_to"] as? String == "the local account")

        let refused = try home.hangar("motherduck", "login")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("no token given: set MOTHERDUCK_TOKEN"), "\(refused.stderr)")

        let login = try home.hangar("motherduck", "login", "--stdin", "--json", input: Self.token + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        let status = try home.hangar("motherduck", "status", "--json")
        let fields = try JSONOutput.object(status.stdout)
        #expect(fields["configured"] as? Bool == true)
        #expect(fields["source"] as? String == "hangar motherduck login")
        #expect(fields["md_goes_to"] as? String == "MotherDuck")
        // The extension is provisioned (make setup), pinned and cached, not downloaded.
        #expect((fields["extension"] as? String)?.hasSuffix("/motherduck.duckdb_extension") == true, "\(fields)")
        let plain = try home.hangar("motherduck", "status")
        for output in [login, status, plain] {
            #expect(!output.stdout.contains(Self.token) && !output.stderr.contains(Self.token))
        }

        let logout = try home.hangar("motherduck", "logout")
        #expect(logout.status == 0)
        #expect(logout.stdout.contains("md: connections of Python flights use the local account"), "\(logout.stdout)")
        #expect(try JSONOutput.object(try home.hangar("motherduck", "status", "--json").stdout)["configured"] as? Bool == false)
    }

    /// `ATTACH 'md:'` loads the provisioned extension, whose start-up asks MotherDuck for its
    /// version: offline that is the failure, named, with what to check and without the token.
    @Test(.timeLimit(.minutes(2)))
    func attachingMotherDuckInSQLFailsOfflineWithAClearMessage() throws {
        let home = try FlightsTestHome()
        let withoutToken = try home.hangar("sql", "-c", "ATTACH 'md:' AS md")
        #expect(withoutToken.status != 0)
        #expect(withoutToken.stderr.contains("MotherDuck needs a token: give it once with `hangar motherduck login`"), "\(withoutToken.stderr)")

        _ = try home.hangar("motherduck", "login", "--stdin", input: Self.token)
        let offline = try home.hangar("sql", "-c", "SELECT 1 AS before_md", "-c", "ATTACH 'md:my_db' AS md")
        #expect(offline.status != 0)
        #expect(offline.stdout.contains("before_md"), "the session ran up to the attach: \(offline.stdout)")
        #expect(offline.stderr.contains("MotherDuck could not be reached from this machine"), "\(offline.stderr)")
        #expect(offline.stderr.contains("api.motherduck.com"), "\(offline.stderr)")
        // The provisioned file was found, accepted and started: the failure is its network call.
        #expect(offline.stderr.contains("motherduck_duckdb_cpp_init"), "\(offline.stderr)")
        #expect(!offline.stderr.contains(Self.token) && !offline.stdout.contains(Self.token))
        // The local account is unaffected.
        let local = try home.hangar("sql", "-c", "CREATE DATABASE local_one", "-c", "SELECT 42 AS answer")
        #expect(local.status == 0, "\(local.stderr)")
    }

    /// With a token, a Python run gets MOTHERDUCK_TOKEN (masked) and no local account: its md:
    /// connection goes to MotherDuck through the pinned extension, and offline fails there, with a
    /// hint; the token never reaches the log.
    @Test(.timeLimit(.minutes(5)))
    func withATokenPythonRunsGoToMotherDuckUntouched() throws {
        let home = try FlightsTestHome.shared("python-flights")
        let requirements = try home.file("md-token-requirements.txt", LocalAccountFlightTests.guideRequirements)
        let source = """
            import os, duckdb
            print("local account:", os.environ.get("HANGAR_LOCAL_ACCOUNT"), "token:", os.environ.get("MOTHERDUCK_TOKEN"), flush=True)
            duckdb.connect("md:")
            """
        try home.createFlight("md_token_flight", source: source, "--requirements", requirements)
        let run = try HangarProcess.run(["run", "md_token_flight", "--wait", "--home", home.home], environment: ["MOTHERDUCK_TOKEN": Self.token])
        #expect(run.status != 0)
        let log = try home.hangar("logs", "md_token_flight", "1").stdout
        #expect(log.contains("[hangar] md: connections go to MotherDuck (a MotherDuck token is configured)"), "\(log)")
        #expect(log.contains("local account: None token: ***"), "\(log)")
        #expect(log.contains("api.motherduck.com"), "\(log)")
        #expect(log.contains("[hangar] hint: MotherDuck could not be reached"), "\(log)")
        #expect(!log.contains("hangar: created the account database"), "the local account stayed out of the way: \(log)")
        #expect(!log.contains(Self.token))
    }
}

/// FlightKit's `md:NAME` destination: the local account's NAME without a token, MotherDuck's NAME
/// with one (which offline fails at MotherDuck, saying so).
struct FlightKitMotherDuckTests {
    static let flight = #"""
        import FlightKit

        struct Repo: Encodable, Sendable { let repo: String; let stars: Int }

        let flight = FlightContext.current
        let repos = Resource("repos", hints: TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["repo"])) { emit in
            for row in [Repo(repo: "duckdb/duckdb", stars: 1), Repo(repo: "dlt-hub/dlt", stars: 2)] { try emit.row(encoding: row) }
        }
        let pipeline = try flight.pipeline("md_pipeline", database: "md:swift_md_db", dataset: "stats")
        print(try await pipeline.run(repos))
        """#

    @Test(.timeLimit(.minutes(6)))
    func mdNameLoadsLocallyWithoutATokenAndGoesToMotherDuckWithOne() throws {
        try SwiftFlightTests.requireSDK()
        let home = try FlightsTestHome()
        let source = try home.file("main.swift", Self.flight)
        #expect(try home.hangar("create", "md_swift", "--source", source, "--runtime", "swift").status == 0)

        let local = try home.hangar("run", "md_swift", "--wait")
        let localLog = try home.hangar("logs", "md_swift", "1").stdout
        #expect(local.status == 0, "\(localLog)")
        let rows = try home.rows("SELECT count(*) AS n FROM swift_md_db.stats.repos")
        #expect(rows.first?["n"] as? Int == 2, "\(rows)")

        let token = MotherDuckTokenTests.token
        let remote = try HangarProcess.run(["run", "md_swift", "--wait", "--home", home.home], environment: ["MOTHERDUCK_TOKEN": token])
        let remoteLog = try home.hangar("logs", "md_swift", "2").stdout
        #expect(remote.status != 0, "\(remoteLog)")
        #expect(remoteLog.contains("cannot open the destination md:swift_md_db: MotherDuck could not be reached from this machine"), "\(remoteLog)")
        #expect(!remoteLog.contains(token))
    }
}
