import DuckDB
import Foundation
import HangarTestSupport
import Testing

/// dlt's own normalize and pipeline test cases (`Fixtures/dlt-cases`, from dlt-hub/dlt: GitHub
/// events and issues, Rasa events, Ethereum blocks, weird rows) loaded by dlt 1.27.2 and by
/// `hangar ingest`, and the two datasets compared: tables, columns and their types, row counts and
/// a checksum of every column's values (the random `_dlt_id`s and load ids left out). A case either
/// matches dlt or differs exactly by the deliberate differences below, which the README lists
/// with their reasons. Column order is not compared: Hangar keeps the source's key order, dlt's
/// flattening puts an object's scalars before its nested objects' columns.
struct DltConformanceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let ethereumBlocks = "ethereum.blocks.9c1d9b504ea240a482b007788d5cd61c_2.json"
    static let dataset = "conformance"

    /// Case file → table.
    static let cases: [(file: String, table: String)] = [
        (ethereumBlocks, "blocks"),
        ("event.event.bot_load_metadata_2987398237498798.json", "event_bot_load_metadata"),
        ("event.event.many_load_2.json", "event_many_load"),
        ("event.event.slot_session_metadata_1.json", "event_slot_session_metadata"),
        ("event.event.user_load_1.json", "event_user_load"),
        ("event.event.user_load_v228_1.json", "event_user_load_v228"),
        ("event_user.event_user.user_load.json", "user_load"),
        ("event_user.event_user.user_load_extra.json", "user_load_extra"),
        ("event_user.event_user.user_load_extra_conflict.json", "user_load_extra_conflict"),
        ("github.events.load_page_1_duck.json", "github_events"),
        ("github.issues.load_page_5_duck.json", "github_issues"),
        ("rasa_event_bot_metadata.json", "rasa_event_bot_metadata"),
        ("rasa_event_bot_template.json", "rasa_event_bot_template"),
        ("rasa_user_event.json", "rasa_user_event"),
        ("mod_bot_case.json", "mod_bot_case"),
        ("simple_row.json", "simple_row"),
        ("weird_rows.json", "weird_rows"),
    ]

    /// The differences from dlt that Hangar makes on purpose, by table, as `compare` words them.
    static let deliberateDifferences: [String: Set<String>] = [
        // dlt cannot load the file (its typed JSON refuses integers beyond 64 bits, "Integer exceeds
        // 64-bit range"); Hangar stores them exactly in dlt's wei type. The comparison is with dlt's
        // load of the same blocks holding those integers as strings, so only their types differ.
        "blocks": [
            "blocks.total_difficulty: type DECIMAL(38,0) in Hangar, VARCHAR in dlt",
            "blocks__transactions.value: type DECIMAL(38,0) in Hangar, VARCHAR in dlt",
        ],
        // `"data": {"custom": null}` beside `"data__custom": "remains"`: dlt loads the nested null
        // over the key's value and drops "remains"; Hangar keeps the value (a null never hides one).
        "mod_bot_case": ["mod_bot_case.data__custom: only in Hangar (VARCHAR, 1 value)"],
    ]

    @Test func everyCaseMatchesDltOrDiffersOnlyByTheDocumentedDifferences() throws {
        let scratch = try ScratchDirectory()
        let loads = scratch.url.appendingPathComponent("loads")
        let python = try Self.dltPython()
        let cases = Self.fixtures.appendingPathComponent("dlt-cases")
        var dltCases = Self.cases.map { cases.appendingPathComponent($0.file).path + "=" + $0.table }
        dltCases.append(cases.appendingPathComponent(Self.ethereumBlocks).path + "=blocks_as_strings:strings")
        let dlt = try Program.run(python, [Self.fixtures.appendingPathComponent("dlt_conformance.py").path,
                                                             "--out", loads.path, "--dataset", Self.dataset] + dltCases)
        try #require(dlt.status == 0, "dlt_conformance.py: \(dlt.stderr)")

        for (file, table) in Self.cases {
            let folder = loads.appendingPathComponent(table)
            let hangar = try HangarProcess.run(["ingest", cases.appendingPathComponent(file).path, "--table", table,
                                                "--database", folder.appendingPathComponent("hangar.duckdb").path,
                                                "--dataset", Self.dataset, "--home", folder.appendingPathComponent("home").path, "--json"])
            #expect(hangar.status == 0, "hangar ingest \(file): \(hangar.stderr)")
            guard hangar.status == 0 else { continue }

            let dltResult = try JSONOutput.object(String(decoding: Data(contentsOf: folder.appendingPathComponent("dlt-result.json")), as: UTF8.self))
            var reference = folder
            if table == "blocks" {
                #expect(dltResult["loaded"] as? Bool == false && (dltResult["error"] as? String)?.contains("Integer exceeds 64-bit range") == true,
                        "dlt 1.27.2 was expected to refuse the integers beyond 64 bits: \(dltResult)")
                reference = loads.appendingPathComponent("blocks_as_strings")
                let strings = try JSONOutput.object(String(decoding: Data(contentsOf: reference.appendingPathComponent("dlt-result.json")), as: UTF8.self))
                try #require(strings["loaded"] as? Bool == true, "dlt with the big integers as strings: \(strings)")
                let warnings = try JSONOutput.object(hangar.stdout)["warnings"] as? [String] ?? []
                #expect(warnings.contains { $0.hasPrefix("table blocks__transactions__logs: the keys \"blockHash\" and \"block_hash\" both normalize to the column block_hash") },
                        "\(warnings)")
            } else {
                #expect(dltResult["loaded"] as? Bool == true, "dlt could not load \(file): \(dltResult)")
            }
            let differences = try Self.compare(hangar: folder.appendingPathComponent("hangar.duckdb"),
                                               dlt: reference.appendingPathComponent("dlt.duckdb"),
                                               renamingTable: table == "blocks" ? "blocks_as_strings" : nil, to: table)
            #expect(differences == Self.deliberateDifferences[table] ?? [], "\(file)")
        }
        try expectBlocksIntegersExact(folder: loads.appendingPathComponent("blocks"), file: cases.appendingPathComponent(Self.ethereumBlocks))
    }

    /// Hangar's Ethereum blocks hold each integer beyond 64 bits of the file with every digit.
    private func expectBlocksIntegersExact(folder: URL, file: URL) throws {
        let source = try String(contentsOf: file, encoding: .utf8)
        let connection = try Database(path: folder.appendingPathComponent("hangar.duckdb").path).connect()
        for (table, column, key) in [("blocks", "total_difficulty", "totalDifficulty"), ("blocks__transactions", "value", "value")] {
            let loaded = try connection.query("SELECT CAST(\(column) AS VARCHAR) FROM \(Self.dataset).\(table) WHERE \(column) >= 9223372036854775808")
                .all().map { try $0.get(0, as: String.self) }
            #expect(!loaded.isEmpty, "\(table).\(column) holds no integer beyond 64 bits")
            for digits in loaded {
                #expect(source.contains("\"\(key)\": \(digits),") || source.contains("\"\(key)\": \(digits)}") || source.contains("\"\(key)\": \(digits)\n"),
                        "\(table).\(column) = \(digits) is not a value of the file")
            }
        }
    }

    /// The differences between the two datasets: tables and columns only in one (with how many
    /// values), types, row counts and value checksums. `renamingTable` is dlt's name for the
    /// root table when it loaded under another name; its child tables are renamed alike.
    static func compare(hangar: URL, dlt: URL, renamingTable: String?, to table: String) throws -> Set<String> {
        let connection = try Database().connect()
        try connection.execute("ATTACH '\(hangar.path)' AS hangar (READ_ONLY)")
        try connection.execute("ATTACH '\(dlt.path)' AS dlt (READ_ONLY)")
        func tables(_ catalog: String) throws -> [String: [String: String]] {
            var columns: [String: [String: String]] = [:]
            for row in try connection.query("""
                SELECT table_name, column_name, data_type FROM information_schema.columns
                WHERE table_catalog = ? AND table_schema = ? AND table_name NOT LIKE '\\_dlt\\_%' ESCAPE '\\'
                """, [catalog, dataset]).all() {
                var name = try row.get(0, as: String.self)
                if catalog == "dlt", let renamingTable, name.hasPrefix(renamingTable) {
                    name = table + name.dropFirst(renamingTable.count)
                }
                columns[name, default: [:]][try row.get(1, as: String.self)] = try row.get(2, as: String.self)
            }
            return columns
        }
        func source(_ catalog: String, _ name: String) -> String {
            let stored = catalog == "dlt" && renamingTable != nil ? renamingTable! + name.dropFirst(table.count) : name
            return "\(catalog).\(dataset).\"\(stored)\""
        }
        func nonNullCount(_ catalog: String, _ name: String, _ column: String) throws -> Int {
            try connection.scalar("SELECT count(\"\(column)\") FROM \(source(catalog, name))", as: Int.self) ?? 0
        }
        let inHangar = try tables("hangar"), inDlt = try tables("dlt")
        var differences: Set<String> = []
        for name in Set(inHangar.keys).subtracting(inDlt.keys) { differences.insert("\(name): only in Hangar") }
        for name in Set(inDlt.keys).subtracting(inHangar.keys) { differences.insert("\(name): only in dlt") }
        let randomColumns: Set = ["_dlt_id", "_dlt_load_id", "_dlt_parent_id", "_dlt_root_id"]
        for name in Set(inHangar.keys).intersection(inDlt.keys) {
            let ours = inHangar[name]!, theirs = inDlt[name]!
            for column in Set(ours.keys).subtracting(theirs.keys) {
                let count = try nonNullCount("hangar", name, column)
                differences.insert("\(name).\(column): only in Hangar (\(ours[column]!), \(count) value\(count == 1 ? "" : "s"))")
            }
            for column in Set(theirs.keys).subtracting(ours.keys) {
                let count = try nonNullCount("dlt", name, column)
                differences.insert("\(name).\(column): only in dlt (\(theirs[column]!), \(count) value\(count == 1 ? "" : "s"))")
            }
            let rows = try connection.scalar("SELECT count(*) FROM \(source("hangar", name))", as: Int.self)
            let dltRows = try connection.scalar("SELECT count(*) FROM \(source("dlt", name))", as: Int.self)
            if rows != dltRows { differences.insert("\(name): \(rows ?? -1) rows in Hangar, \(dltRows ?? -1) in dlt") }
            for column in Set(ours.keys).intersection(theirs.keys) where !randomColumns.contains(column) {
                if ours[column] != theirs[column] {
                    differences.insert("\(name).\(column): type \(ours[column]!) in Hangar, \(theirs[column]!) in dlt")
                }
                // Order-independent: the sum of each value's hash, and how many values there are.
                let checksum = "SELECT count(\"\(column)\"), coalesce(sum(hash(CAST(\"\(column)\" AS VARCHAR))), 0) FROM "
                let a = try connection.query(checksum + source("hangar", name)).all().first?.values
                let b = try connection.query(checksum + source("dlt", name)).all().first?.values
                if a != b { differences.insert("\(name).\(column): values differ") }
            }
        }
        return differences
    }

    /// The Python of dlt 1.27.2's venv, made once by `scripts/dlt-venv` (cached; `make test`
    /// makes it before the tests run).
    static func dltPython() throws -> URL {
        let root = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let venv = try Program.run(URL(fileURLWithPath: "/bin/bash"), [root.appendingPathComponent("scripts/dlt-venv").path])
        guard venv.status == 0 else {
            throw TestFailure("scripts/dlt-venv failed: \(venv.stderr)")
        }
        return URL(fileURLWithPath: venv.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).appendingPathComponent("bin/python")
    }
}
