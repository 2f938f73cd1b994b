import Foundation
import Testing

/// Input that once blocked a pipeline for good: a table name longer than a file name may be
/// (a long key holding a list, nesting hundreds deep). It loads, and the runs after it still do.
struct HostileInputTests {
    @Test(arguments: ["long key", "deep nesting"])
    func aTableNameLongerThanAFileNameLoadsAndBlocksNothing(kind: String) throws {
        let scratch = try ScratchDirectory()
        let home = scratch.path("home")
        try Data("{\"id\":1,\"name\":\"a\"}\n".utf8).write(to: scratch.url.appendingPathComponent("good.jsonl"))
        let hostile: String
        if kind == "long key" {
            hostile = "{\"id\":2,\"\(String(repeating: "k", count: 300))\":[1,2]}\n"
        } else {
            hostile = "{\"id\":2,\"a\":" + String(repeating: "{\"a\":", count: 249) + "[1,2]" + String(repeating: "}", count: 249) + "}\n"
        }
        try Data(hostile.utf8).write(to: scratch.url.appendingPathComponent("hostile.jsonl"))
        let common = ["--table", "t", "--database", "hostile", "--home", home, "--json"]
        for file in ["good", "hostile", "good", "hostile"] {
            let run = try HangarProcess.run(["ingest", scratch.path("\(file).jsonl")] + common)
            #expect(run.status == 0, "\(file): \(run.stderr)")
        }
        let counts = try HangarProcess.run(["sql", "hostile", "--home", home, "--json", "-c", """
            SELECT (SELECT count(*) FROM ingest_t_dataset.t) AS parents,
                   (SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 't__%' AND length(table_name) > 120) AS long_tables
            """])
        #expect(counts.status == 0, "\(counts.stderr)")
        let row = try JSONOutput.array(counts.stdout).first
        #expect(row?["parents"] as? Int == 4, "\(counts.stdout)")
        #expect(row?["long_tables"] as? Int == 1, "\(counts.stdout)")
    }
}
