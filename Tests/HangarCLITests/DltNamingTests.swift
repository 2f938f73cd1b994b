import Foundation
import HangarTestSupport
import Testing

/// Names as dlt makes them from source keys: a key is a path (`data__custom__goes` stays), a blank
/// key is `_empty`, and keys that normalize to one column (dlt's Ethereum blocks have both
/// `blockHash` and `block_hash`) load the last one's value with a warning, or fail on request.
struct DltNamingTests {
    @Test func keysAreNamedAsDltNamesThemAndCollidingKeysWarn() throws {
        let scratch = try ScratchDirectory()
        try Data("""
            {"id": 1, "data__custom__goes": 2, " ": 3, "blockHash": "0xa", "block_hash": "0xb"}
            {"id": 2, "blockHash": "0xc", "block_hash": "0xd"}

            """.utf8).write(to: scratch.url.appendingPathComponent("blocks.jsonl"))
        let common = ["--table", "blocks", "--database", scratch.path("blocks.duckdb"), "--home", scratch.path("home")]
        let run = try HangarProcess.run(["ingest", scratch.path("blocks.jsonl"), "--json"] + common)
        #expect(run.status == 0, "\(run.stderr)")
        let warnings = try JSONOutput.object(run.stdout)["warnings"] as? [String] ?? []
        #expect(warnings == ["table blocks: the keys \"blockHash\" and \"block_hash\" both normalize to the column block_hash in 2 rows; the last key's value was loaded, as dlt loads it (set collidingKeysFail, or hangar ingest --colliding-keys-fail, to refuse such data instead)"],
                "\(warnings)")
        let rows = try HangarProcess.run(["sql", scratch.path("blocks.duckdb"), "--json", "-c",
                                          "SELECT id, data__custom__goes, _empty, block_hash FROM ingest_blocks_dataset.blocks ORDER BY id"])
        let table = try JSONOutput.array(rows.stdout)
        #expect(table.map { $0["block_hash"] as? String } == ["0xb", "0xd"], "\(rows.stdout)\(rows.stderr)")
        #expect(table.first?["data__custom__goes"] as? Int == 2 && table.first?["_empty"] as? Int == 3)

        let strict = try HangarProcess.run(["ingest", scratch.path("blocks.jsonl"), "--colliding-keys-fail"] + common)
        #expect(strict.status != 0)
        #expect(strict.stderr.contains("the keys \"blockHash\" and \"block_hash\" both normalize to the column block_hash"), "\(strict.stderr)")
        #expect(strict.stderr.contains("(line 1, byte 0 of \(scratch.path("blocks.jsonl")))"), "\(strict.stderr)")
    }
}
