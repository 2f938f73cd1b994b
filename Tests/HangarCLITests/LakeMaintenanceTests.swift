import DuckDB
import Foundation
import HangarAccount
import HangarTestSupport
import Testing

/// A lake's maintenance from the command line (`hangar lake maintain|schedule|history`) and from
/// `hangar serve`'s schedule: what it does to the files, that the data stays the same, and that it
/// never runs while a load is in the lake. One test at a time, in `make test`'s DuckLake phase.
@Suite(.serialized)
struct LakeMaintenanceTests {
    typealias Storage = DuckLakeDatabaseTests.Storage
    let lakes = DuckLakeDatabaseTests()
    static let environment = DuckLakeDatabaseTests.withoutControl

    func hangar(_ home: FlightsTestHome, _ arguments: [String], environment: [String: String] = environment) throws -> ProgramOutput {
        try HangarProcess.run(arguments + ["--home", home.home], environment: environment)
    }

    func ingest(_ home: FlightsTestHome, _ name: String, ids: Range<Int>, disposition: String = "append") throws -> ProgramOutput {
        let rows = try home.file("\(name).jsonl", ids.map { "{\"id\": \($0), \"name\": \"item \($0)\", \"tags\": [\"t\($0 % 3)\"]}" }.joined(separator: "\n"))
        return try hangar(home, ["ingest", rows, "--table", "items", "--database", "lake", "--dataset", "raw", "--pipeline", "maintained",
                                 "--write-disposition", disposition, "--primary-key", "id"])
    }

    static let checksum = """
        SELECT (SELECT count(*) FROM raw.items)::VARCHAR || ' ' || (SELECT sum(hash(id, name))::HUGEINT FROM raw.items)::VARCHAR
          || ' ' || (SELECT count(*) FROM raw.items__tags)::VARCHAR
        """

    /// The Parquet files stored for the lake: in its folder, or under its S3 prefix.
    func storedFiles(_ location: DuckLakeLocation) throws -> [String] {
        if location.isObjectStorage { return try S3TestServer.objects(under: location.dataPath).filter { $0.hasSuffix(".parquet") } }
        let files = FileManager.default.enumerator(atPath: location.dataPath)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".parquet") }
    }

    func report(_ output: ProgramOutput) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        return try #require(object, "\(output.stdout) \(output.stderr)")
    }

    func count(_ report: [String: Any], _ step: String) -> Int {
        (report["steps"] as? [[String: Any]])?.first { $0["name"] as? String == step }?["count"] as? Int ?? -1
    }

    /// Twelve small appends leave twelve small files; maintenance merges them, expires the old
    /// snapshots, deletes the files no snapshot needs, and the tables read the same before and after.
    @Test(.timeLimit(.minutes(5)), arguments: Storage.allCases)
    func maintenanceCompactsExpiresAndCleansWithoutChangingTheData(_ storage: Storage) async throws {
        try await onOwnThread {
            let home = try FlightsTestHome()
            let location = try lakes.createLake(home, storage: storage)
            for load in 0..<12 {
                let result = try ingest(home, "load\(load)", ids: (load * 50)..<(load * 50 + 50))
                #expect(result.status == 0, "\(result.stderr)")
            }
            let lake = try DuckLake.connect(location)
            let before = try lake.scalar(Self.checksum, as: String.self)
            #expect(before?.hasPrefix("600 ") == true, "\(before ?? "")")
            let filesBefore = try lake.scalar("SELECT count(*) FROM ducklake_list_files('lake', 'items', schema => 'raw')", as: Int.self) ?? 0
            let snapshotsBefore = try lake.scalar("SELECT count(*) FROM ducklake_snapshots('lake')", as: Int.self) ?? 0
            #expect(filesBefore >= 12)
            let storedBefore = try storedFiles(location).count

            // Keep nothing old: every snapshot but the latest expires, every file no snapshot needs goes.
            let settings = try hangar(home, ["lake", "schedule", "lake", "--expire-older-than", "0 seconds", "--delete-older-than", "0 seconds"])
            #expect(settings.status == 0, "\(settings.stderr)")
            #expect(settings.stdout.contains("none: run by hand"), "\(settings.stdout)")

            let maintained = try hangar(home, ["lake", "maintain", "lake", "--json"])
            #expect(maintained.status == 0, "\(maintained.stderr)")
            let done = try report(maintained)
            #expect(done["outcome"] as? String == "succeeded")
            #expect(count(done, "merge_adjacent_files") >= 12, "\(maintained.stdout)")
            // Flushing the inlined rows made one more snapshot; all but it expire.
            #expect(count(done, "expire_snapshots") == snapshotsBefore, "\(maintained.stdout)")
            #expect(count(done, "cleanup_old_files") >= 12, "\(maintained.stdout)")

            let after = try DuckLake.connect(location)
            #expect(try after.scalar(Self.checksum, as: String.self) == before)
            #expect(try after.scalar("SELECT count(*) FROM ducklake_list_files('lake', 'items', schema => 'raw')", as: Int.self) == 1)
            // The one kept, and the compaction's own.
            #expect(try after.scalar("SELECT count(*) FROM ducklake_snapshots('lake')", as: Int.self) == 2)
            #expect(try storedFiles(location).count < storedBefore - 10, "the merged files were deleted from the \(storage)")

            // The lake goes on taking loads, and the history (in the catalog) lists the run.
            let merged = try ingest(home, "merge", ids: 590..<610, disposition: "merge")
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(try DuckLake.connect(location).scalar("SELECT count(*) FROM raw.items", as: Int.self) == 610)
            let history = try hangar(home, ["lake", "history", "lake", "--json"])
            let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]], "\(history.stderr)")
            #expect(runs.map { $0["outcome"] as? String } == ["succeeded"])
            #expect(try hangar(home, ["lake", "history", "lake"]).stdout.contains("merge_adjacent_files"))
        }
    }

    /// While a load holds the lake, maintenance waits and then gives up with nothing done; while
    /// maintenance holds it, a load waits (in PostgreSQL's lock queue) and goes on once it is over.
    @Test(.timeLimit(.minutes(5)))
    func maintenanceAndLoadsNeverOverlap() async throws {
        let home = try FlightsTestHome()
        let location = try lakes.createLake(home, storage: .folder)
        #expect(try ingest(home, "first", ids: 0..<10).status == 0)
        let snapshots = { try DuckLake.connect(location).scalar("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')", as: Int.self) }
        let snapshotBefore = try snapshots()

        let load = try DuckLakeGate.enterAsWriter(location)
        let busy = try hangar(home, ["lake", "maintain", "lake", "--wait", "1"])
        load.leave()
        #expect(busy.status == 5, "\(busy.stdout) \(busy.stderr)")
        #expect(busy.stderr.contains("loads kept lake busy"), "\(busy.stderr)")
        #expect(try snapshots() == snapshotBefore, "deferred maintenance changed nothing")
        #expect(try hangar(home, ["lake", "history", "lake"]).stdout.contains("deferred"))

        let maintenance = try #require(try DuckLakeGate.enterForMaintenance(location, until: Date().addingTimeInterval(30)))
        let rows = try home.file("second.jsonl", (10..<20).map { "{\"id\": \($0), \"name\": \"item \($0)\"}" }.joined(separator: "\n"))
        let waiting = try HangarProcess.start(["ingest", rows, "--table", "items", "--database", "lake", "--dataset", "raw",
                                               "--pipeline", "maintained", "--home", home.home], environment: Self.environment)
        // The load asks for the lock and PostgreSQL makes it wait (pg_locks is the whole server's:
        // only this test's catalog database counts).
        let catalog = try Database(.inMemory).connect()
        try ProvisionedExtensions.load("postgres_scanner", into: catalog)
        try catalog.execute("ATTACH \(quoteLiteral(location.catalog)) AS catalog (TYPE postgres)")
        try await eventually("the load waiting for the lake's lock") {
            try catalog.scalar("""
                SELECT count(*) FROM postgres_query('catalog', 'SELECT 1 FROM pg_locks WHERE locktype = ''advisory'' AND NOT granted
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())')
                """, as: Int.self) == 1
        }
        #expect(waiting.process.isRunning)
        #expect(try snapshots() == snapshotBefore, "nothing was loaded while maintenance held the lake")
        maintenance.leave()
        let finished = await waiting.finish()
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stdout.contains("waited for the maintenance of the DuckLake database lake"), "\(finished.stdout)")
        #expect(try DuckLake.connect(location).scalar("SELECT count(*) FROM raw.items", as: Int.self) == 20)
    }

    /// S3 credentials from CREATE DATABASE stay in the owner-only descriptor: no command prints
    /// them, a failing creation neither; without them, the AWS variables of the environment serve.
    @Test(.timeLimit(.minutes(5)))
    func s3CredentialsNeverShowAndMayComeFromTheEnvironment() async throws {
        try await onOwnThread {
            let home = try FlightsTestHome()
            let secret = S3TestServer.secret
            let catalog = try PostgresTestServer.controlURL(database: try PostgresTestServer.freshDatabase())
            let wrongBucket = try lakes.sql(home, [
                "CREATE DATABASE lost (TYPE ducklake, DATA_PATH 's3://no-such-bucket/x', CATALOG '\(catalog)', \(try S3TestServer.createOptions()))"])
            #expect(wrongBucket.status != 0)
            #expect(wrongBucket.stderr.contains("NoSuchBucket") || wrongBucket.stderr.contains("404"), "\(wrongBucket.stderr)")
            #expect(wrongBucket.stderr.contains("cannot reach the data path s3://no-such-bucket/x/"), "\(wrongBucket.stderr)")
            #expect(!wrongBucket.stderr.contains(secret))
            #expect(!FileManager.default.fileExists(atPath: home.home + "/databases/lost.ducklake"), "nothing recorded")

            try lakes.createLake(home, storage: .s3)
            let descriptor = home.home + "/databases/lake.ducklake"
            #expect((try FileManager.default.attributesOfItem(atPath: descriptor)[.posixPermissions] as? Int) == 0o600)
            for output in [try hangar(home, ["lake", "schedule", "lake", "0 3 * * *"]), try hangar(home, ["lake", "schedule", "lake", "--json"]),
                           try hangar(home, ["lake", "maintain", "lake"]), try hangar(home, ["lake", "history", "lake", "--json"]),
                           try lakes.sql(home, ["SHOW DATABASES"])] {
                #expect(output.status == 0, "\(output.stderr)")
                #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret))
            }

            // The same bucket through the environment alone: the descriptor holds no credentials.
            let fromEnvironment = try FlightsTestHome()
            let environment = Self.environment.merging([
                "AWS_ACCESS_KEY_ID": S3TestServer.keyID, "AWS_SECRET_ACCESS_KEY": secret, "AWS_REGION": S3TestServer.region,
                "AWS_ENDPOINT_URL": try S3TestServer.endpoint(),
            ]) { $1 }
            let prefix = try S3TestServer.freshPrefix()
            let created = try lakes.sql(fromEnvironment, [
                "CREATE DATABASE lake (TYPE ducklake, DATA_PATH '\(prefix)', CATALOG '\(try PostgresTestServer.controlURL(database: try PostgresTestServer.freshDatabase()))')",
                "CREATE TABLE lake.main.t AS SELECT range AS n FROM range(1000)", "SELECT sum(n) AS n FROM lake.main.t"], environment: environment)
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.stdout.replacingOccurrences(of: "\r\n", with: "\n").hasSuffix("n\n499500\n"), "\(created.stdout)")
            let recorded = try String(contentsOfFile: fromEnvironment.home + "/databases/lake.ducklake", encoding: .utf8)
            #expect(!recorded.contains(secret) && !recorded.contains(S3TestServer.keyID), "\(recorded)")
            #expect(try S3TestServer.objects(under: prefix).contains { $0.hasSuffix(".parquet") })
        }
    }

    /// `hangar serve` runs a lake's maintenance when its schedule fires, and records the fire.
    @Test(.fullRunOnly, .timeLimit(.minutes(5)))
    func serveRunsTheScheduledMaintenance() async throws {
        let home = try FlightsTestHome()
        try lakes.createLake(home, storage: .folder)
        #expect(try ingest(home, "first", ids: 0..<10).status == 0)
        let scheduled = try hangar(home, ["lake", "schedule", "lake", "* * * * *", "--json"])
        #expect(scheduled.status == 0, "\(scheduled.stderr)")
        #expect(scheduled.stdout.contains("\"next_fire\""), "\(scheduled.stdout)")
        let serve = try await ServeProcess.attach(home: home.home, program: try HangarProcess.start(
            ["serve", "--home", home.home, "--port", "0"], environment: Self.environment))
        // The next minute's fire: at most a minute away.
        try await serve.waitForOutput("maintained lake", timeout: .seconds(150))
        await serve.stop()
        let history = try hangar(home, ["lake", "history", "lake", "--json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]], "\(history.stderr)")
        #expect(runs.first?["outcome"] as? String == "succeeded")
        #expect(runs.first?["scheduled_at"] is String, "\(history.stdout)")
    }
}
