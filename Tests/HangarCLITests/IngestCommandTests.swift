import Foundation
import HangarTestSupport
import Testing

/// `hangar ingest`, run as a user would.
struct IngestCommandTests {
    static let repos = """
        [{"id": 1, "fullName": "duckdb/duckdb", "owner": {"login": "duckdb"}, "topics": ["sql", "olap"]},
         {"id": 2, "fullName": "dlt-hub/dlt", "owner": {"login": "dlt-hub"}, "topics": []}]
        """

    @Test func loadsAFileIntoAnAccountDatabaseAndPrintsLoadInfo() throws {
        let scratch = try ScratchDirectory()
        try Data(Self.repos.utf8).write(to: scratch.url.appendingPathComponent("repos.json"))
        let home = scratch.path("home")
        let result = try HangarProcess.run(["ingest", scratch.path("repos.json"), "--table", "repos", "--database", "docs_playground",
                                            "--dataset", "flights_demo_dlt", "--home", home])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 load package(s) were loaded to destination duckdb and into dataset flights_demo_dlt"))
        #expect(result.stdout.contains("Rows: repos 2, repos__topics 2"))
        let query = try HangarProcess.run(["sql", "\(home)/databases/docs_playground.duckdb", "--csv", "-c",
                                           "SELECT id, full_name, owner__login FROM flights_demo_dlt.repos ORDER BY id"])
        #expect(query.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "id,full_name,owner__login\n1,duckdb/duckdb,duckdb\n2,dlt-hub/dlt,dlt-hub\n")
    }

    @Test func readsJSONLinesFromStandardInputAndPrintsJSON() throws {
        let scratch = try ScratchDirectory()
        let database = scratch.path("out.duckdb")
        let result = try HangarProcess.run(["ingest", "-", "--table", "events", "--database", database, "--home", scratch.path("home"),
                                            "--loader-file-format", "jsonl", "--max-table-nesting", "0", "--json"],
                                           input: "{\"type\": \"push\", \"payload\": {\"size\": 3}}\n{\"type\": \"fork\"}\n")
        #expect(result.status == 0, "\(result.stderr)")
        let info = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(info["dataset_name"] as? String == "ingest_events_dataset")
        #expect((info["row_counts"] as? [String: Int]) == ["events": 2])
        let query = try HangarProcess.run(["sql", database, "--csv", "-c", "SELECT type, payload FROM ingest_events_dataset.events ORDER BY type"])
        #expect(query.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "type,payload\nfork,\npush,\"{\"\"size\"\":3}\"\n")
    }

    @Test func malformedInputFailsWithTheRowAndChangesNothing() throws {
        let scratch = try ScratchDirectory()
        try Data("{\"id\": 1}\n{\"id\": 2,}\n".utf8).write(to: scratch.url.appendingPathComponent("bad.jsonl"))
        let result = try HangarProcess.run(["ingest", scratch.path("bad.jsonl"), "--table", "t", "--database", scratch.path("db.duckdb"),
                                            "--home", scratch.path("home")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("malformed JSON in row 2 (line 2"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("db.duckdb")))
    }

    @Test func mergesOnAPrimaryKey() throws {
        let scratch = try ScratchDirectory()
        try Data(Self.repos.utf8).write(to: scratch.url.appendingPathComponent("repos.json"))
        try Data(#"[{"id": 2, "fullName": "dlt-hub/dlt-renamed", "owner": {"login": "dlt-hub"}, "topics": ["elt"]}]"#.utf8)
            .write(to: scratch.url.appendingPathComponent("update.json"))
        let common = ["--table", "repos", "--database", scratch.path("db.duckdb"), "--home", scratch.path("home"),
                      "--write-disposition", "merge", "--primary-key", "id"]
        #expect(try HangarProcess.run(["ingest", scratch.path("repos.json")] + common).status == 0)
        let update = try HangarProcess.run(["ingest", scratch.path("update.json")] + common + ["--merge-strategy", "upsert"])
        #expect(update.status == 0, "\(update.stderr)")
        let query = try HangarProcess.run(["sql", scratch.path("db.duckdb"), "--csv", "-c",
                                           "SELECT r.id, r.full_name, count(t.value) AS topics FROM ingest_repos_dataset.repos r LEFT JOIN ingest_repos_dataset.repos__topics t ON t._dlt_root_id = r._dlt_id GROUP BY ALL ORDER BY r.id"])
        #expect(query.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "id,full_name,topics\n1,duckdb/duckdb,2\n2,dlt-hub/dlt-renamed,1\n")
    }

    @Test func dedupSortMergeKeyAndHardDeleteFlags() throws {
        let scratch = try ScratchDirectory()
        let database = scratch.path("db.duckdb")
        let common = ["--table", "stats", "--database", database, "--home", scratch.path("home"), "--write-disposition", "merge"]
        try Data(#"[{"day": 1, "repo": "a", "stars": 1}, {"day": 1, "repo": "a", "stars": 3}, {"day": 2, "repo": "b", "stars": 5}]"#.utf8)
            .write(to: scratch.url.appendingPathComponent("one.json"))
        let first = try HangarProcess.run(["ingest", scratch.path("one.json")] + common + ["--primary-key", "day,repo", "--dedup-sort", "stars:desc"])
        #expect(first.status == 0, "\(first.stderr)")
        try Data(#"[{"day": 2, "repo": "b", "stars": 5, "gone": true}]"#.utf8).write(to: scratch.url.appendingPathComponent("two.json"))
        let second = try HangarProcess.run(["ingest", scratch.path("two.json")] + common + ["--primary-key", "day,repo", "--hard-delete", "gone"])
        #expect(second.status == 0, "\(second.stderr)")
        let query = try HangarProcess.run(["sql", database, "--csv", "-c", "SELECT day, repo, stars FROM ingest_stats_dataset.stats ORDER BY day"])
        #expect(query.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "day,repo,stars\n1,a,3\n")
        try Data(#"[{"day": 1, "repo": "z", "stars": 9}]"#.utf8).write(to: scratch.url.appendingPathComponent("three.json"))
        let third = try HangarProcess.run(["ingest", scratch.path("three.json")] + common + ["--merge-key", "day"])
        #expect(third.status == 0, "\(third.stderr)")
        let after = try HangarProcess.run(["sql", database, "--csv", "-c", "SELECT day, repo, stars FROM ingest_stats_dataset.stats ORDER BY day"])
        #expect(after.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "day,repo,stars\n1,z,9\n")
        let wrong = try HangarProcess.run(["ingest", scratch.path("one.json")] + common + ["--dedup-sort", "stars:sideways"])
        #expect(wrong.status != 0 && wrong.stderr.contains("--dedup-sort takes COLUMN, COLUMN:asc or COLUMN:desc"))
        let misplaced = try HangarProcess.run(["ingest", scratch.path("one.json"), "--table", "t", "--hard-delete", "gone"])
        #expect(misplaced.status != 0 && misplaced.stderr.contains("go with --write-disposition merge"))
    }

    /// Another process writing the database: ingest waits, names the holder, then loads.
    @Test(.timeLimit(.minutes(5)))
    func waitsForTheDatabaseLeaseAndNamesItsHolder() throws {
        let scratch = try ScratchDirectory()
        try Data(Self.repos.utf8).write(to: scratch.url.appendingPathComponent("repos.json"))
        let database = scratch.path("db.duckdb")
        let holder = try LeaseHolderProcess(database, purpose: "flight docs_dlt_ingest run 3")

        let ingest = Process()
        ingest.executableURL = try HangarProcess.executable()
        ingest.arguments = ["ingest", scratch.path("repos.json"), "--table", "repos", "--database", database, "--home", scratch.path("home")]
        let errors = Pipe()
        ingest.standardError = errors
        ingest.standardOutput = FileHandle.nullDevice
        try ingest.run()
        // The holder lets go only once ingest says it is waiting for it.
        var said = ""
        while !said.contains("\n") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += String(decoding: chunk, as: UTF8.self)
        }
        holder.release()
        ingest.waitUntilExit()
        #expect(said.hasPrefix("waiting for db.duckdb: held by flight docs_dlt_ingest run 3 (pid \(holder.process.processIdentifier))"), "\(said)")
        #expect(ingest.terminationStatus == 0)
        let query = try HangarProcess.run(["sql", database, "--csv", "-c", "SELECT count(*) AS n FROM ingest_repos_dataset.repos"])
        #expect(query.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "n\n2\n")
    }

    @Test func aBadDatabaseNameIsRefused() throws {
        let scratch = try ScratchDirectory()
        try Data(Self.repos.utf8).write(to: scratch.url.appendingPathComponent("repos.json"))
        let result = try HangarProcess.run(["ingest", scratch.path("repos.json"), "--table", "t", "--database", "../x", "--home", scratch.path("home")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a database name"))
    }

    @Test func aMissingFileIsNamed() throws {
        let scratch = try ScratchDirectory()
        let result = try HangarProcess.run(["ingest", scratch.path("nope.json"), "--table", "t", "--home", scratch.path("home")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read \(scratch.path("nope.json"))"))
    }
}
