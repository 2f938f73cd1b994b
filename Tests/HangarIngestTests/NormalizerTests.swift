@testable import HangarIngest
import Testing

/// The relational normalization, checked on the batches it hands over.
struct NormalizerTests {
    final class Collected {
        var batches: [TableBatch] = []

        /// Every row of `table` as column name → value, across batches.
        func rows(_ table: String) -> [[String: IngestValue]] {
            batches.filter { $0.table == table }.flatMap { batch in
                (0..<batch.rowCount).map { row in
                    Dictionary(uniqueKeysWithValues: zip(batch.columns, batch.buffers).map { ($0.name, $1.value(at: row)) })
                }
            }
        }
    }

    func normalize(_ rows: [IngestValue], hints: TableHints, batchRows: Int = 50_000) throws -> (Collected, Schema) {
        let collected = Collected()
        let normalizer = Normalizer(schema: Schema(name: "test"), naming: NamingConvention(), loadID: "1700000000.000001", batchRows: batchRows) {
            collected.batches.append($0)
        }
        for (index, row) in rows.enumerated() {
            try normalizer.normalize(row, resource: "repos", hints: hints, position: index + 1)
        }
        return (collected, try normalizer.finish())
    }

    static let repo: IngestValue = .object([
        (key: "fullName", value: .string("duckdb/duckdb")),
        (key: "owner", value: .object([(key: "login", value: .string("duckdb")), (key: "geo", value: .object([(key: "lat", value: .double(52.1))]))])),
        (key: "topics", value: .array([.string("sql"), .string("olap")])),
        (key: "releases", value: .array([
            .object([(key: "tag", value: .string("v1.5.3")), (key: "assets", value: .array([.object([(key: "name", value: .string("cli.zip"))])]))]),
            .object([(key: "tag", value: .string("v1.5.2")), (key: "assets", value: .array([]))]),
        ])),
        (key: "license", value: .null),
    ])

    @Test func nestedObjectsFlattenAndListsBecomeLinkedChildTables() throws {
        let (collected, schema) = try normalize([Self.repo], hints: TableHints(table: "GitHub Repos"))
        #expect(schema.dataTables.map(\.name) == ["git_hub_repos", "git_hub_repos__topics", "git_hub_repos__releases", "git_hub_repos__releases__assets"])
        let root = try #require(collected.rows("git_hub_repos").first)
        #expect(root["full_name"] == .string("duckdb/duckdb"))
        #expect(root["owner__login"] == .string("duckdb"))
        #expect(root["owner__geo__lat"] == .double(52.1))
        #expect(root["license"] == nil, "a column seen only as null is not created")
        #expect(root["_dlt_load_id"] == .string("1700000000.000001"))
        guard case .string(let rootID) = root["_dlt_id"] else { Issue.record("no _dlt_id"); return }
        #expect(rootID.count == 14)

        let topics = collected.rows("git_hub_repos__topics")
        #expect(topics.map { $0["value"] } == [.string("sql"), .string("olap")])
        #expect(topics.map { $0["_dlt_list_idx"] } == [.int(0), .int(1)])
        #expect(topics.allSatisfy { $0["_dlt_parent_id"] == .string(rootID) && $0["_dlt_load_id"] == nil })

        let releases = collected.rows("git_hub_repos__releases")
        #expect(releases.map { $0["tag"] } == [.string("v1.5.3"), .string("v1.5.2")])
        let assets = collected.rows("git_hub_repos__releases__assets")
        #expect(assets.count == 1)
        #expect(assets[0]["name"] == .string("cli.zip"))
        #expect(assets[0]["_dlt_parent_id"] == releases[0]["_dlt_id"])
        #expect(assets[0]["_dlt_list_idx"] == .int(0))
    }

    @Test func childIDsAreDeterministicAndRootIDsRandom() throws {
        let (first, _) = try normalize([Self.repo], hints: TableHints(table: "repos"))
        let (second, _) = try normalize([Self.repo], hints: TableHints(table: "repos"))
        #expect(first.rows("repos")[0]["_dlt_id"] != second.rows("repos")[0]["_dlt_id"])
        let parent = first.rows("repos")[0]["_dlt_id"]!
        let child = first.rows("repos__topics")[1]["_dlt_id"]!
        guard case .string(let parentID) = parent, case .string(let childID) = child else { Issue.record("ids are strings"); return }
        #expect(childID == RowIDGenerator.childID(parentID: parentID, table: "repos__topics", index: 1))
        #expect(childID.count == 14)
    }

    /// Ids and version hashes stored by earlier versions must come out the same: pinned values,
    /// computed independently of this code.
    @Test func stableDigestsDoNotChange() {
        #expect(RowIDGenerator.childID(parentID: "abc", table: "repos__topics", index: 12) == "+Ia3f9NLPRY01w")
        #expect(StableHash.base64Digest(of: "abc_repos__topics_12", bytes: 10) == "+Ia3f9NLPRY01w")
        #expect(StableHash.base64Digest(of: "naïve", bytes: 12) == "JUS9m93CUxRJPJf1")
        #expect(StableHash.base64Digest(of: "", bytes: 16) == "+v6/sQDzeb897XQEP8bLJw")
    }

    @Test func maxTableNestingZeroKeepsNestedDataAsJSON() throws {
        let (collected, schema) = try normalize([Self.repo], hints: TableHints(table: "repos", maxTableNesting: 0))
        #expect(schema.dataTables.map(\.name) == ["repos"])
        let root = collected.rows("repos")[0]
        #expect(root["owner"] == .string(#"{"login":"duckdb","geo":{"lat":52.1}}"#))
        #expect(root["topics"] == .string(#"["sql","olap"]"#))
        #expect(schema.table(named: "repos")?.column(named: "owner")?.dataType == .json)
    }

    @Test func maxTableNestingOneUnnestsOneLevel() throws {
        let (collected, schema) = try normalize([Self.repo], hints: TableHints(table: "repos", maxTableNesting: 1))
        #expect(schema.dataTables.map(\.name) == ["repos", "repos__topics", "repos__releases"])
        let root = collected.rows("repos")[0]
        #expect(root["owner__login"] == .string("duckdb"))
        #expect(root["owner__geo"] == .string(#"{"lat":52.1}"#))
        #expect(collected.rows("repos__releases")[0]["assets"] == .string(#"[{"name":"cli.zip"}]"#))
    }

    @Test func variantsAndWideningAcrossRows() throws {
        let rows: [IngestValue] = [
            .object([(key: "id", value: .int(1)), (key: "score", value: .int(10)), (key: "ratio", value: .int(1))]),
            .object([(key: "id", value: .int(2)), (key: "score", value: .string("high")), (key: "ratio", value: .double(0.5))]),
        ]
        let (collected, schema) = try normalize(rows, hints: TableHints(table: "t"), batchRows: 1)
        let table = try #require(schema.table(named: "t"))
        #expect(table.column(named: "score")?.dataType == .bigint)
        #expect(table.column(named: "score__v_text")?.dataType == .text)
        #expect(table.column(named: "ratio")?.dataType == .double)
        let all = collected.rows("t")
        #expect(all.map { $0["score"] } == [.int(10), .null])
        #expect(all.map { $0["score__v_text"] ?? .null } == [.null, .string("high")])
    }

    @Test func timestampTextInATimestampColumnAcrossRowsOfOneShape() throws {
        // Rows of one shape take the fast path after the first: ISO-8601 text still becomes a
        // timestamp there, and text that is no timestamp still goes to the variant column.
        let rows: [IngestValue] = ["2026-11-25T14:03:11Z", "2026-11-25T14:03:12+01:00", "soon", "2026-11-25T14:03:13Z"].enumerated().map {
            .object([(key: "id", value: .int(Int64($0.offset))), (key: "pushed_at", value: .string($0.element))])
        }
        let (collected, schema) = try normalize(rows, hints: TableHints(table: "t"))
        let table = try #require(schema.table(named: "t"))
        #expect(table.column(named: "pushed_at")?.dataType == .timestamp)
        #expect(table.column(named: "pushed_at__v_text")?.dataType == .text)
        let all = collected.rows("t")
        #expect(all.map { $0["pushed_at"] } == [.timestamp(1_795_615_391_000_000), .timestamp(1_795_615_392_000_000 - 3_600_000_000), .null,
                                                .timestamp(1_795_615_393_000_000)])
        #expect(all.map { $0["pushed_at__v_text"] ?? .null } == [.null, .null, .string("soon"), .null])
    }

    @Test func childRowsCarryTheirSystemColumnsAcrossBatches() throws {
        let rows: [IngestValue] = (0..<5).map { index in
            .object([(key: "id", value: .int(Int64(index))), (key: "topics", value: .array((0..<index).map { .string("t\($0)") }))])
        }
        let (collected, _) = try normalize(rows, hints: TableHints(table: "t", writeDisposition: .merge, primaryKey: ["id"]), batchRows: 2)
        let roots = collected.rows("t"), children = collected.rows("t__topics")
        #expect(children.count == 0 + 1 + 2 + 3 + 4)
        for root in roots {
            let mine = children.filter { $0["_dlt_parent_id"] == root["_dlt_id"] }
            guard case .int(let id) = root["id"] else { Issue.record("no id"); continue }
            #expect(mine.map { $0["value"] } == (0..<Int(id)).map { .string("t\($0)") })
            #expect(mine.map { $0["_dlt_list_idx"] } == (0..<Int(id)).map { .int(Int64($0)) })
            #expect(mine.allSatisfy { $0["_dlt_root_id"] == root["_dlt_id"] })
        }
        #expect(Set(children.compactMap { $0["_dlt_id"] }).count == children.count)
    }

    @Test func hintsWinOverInference() throws {
        let hints = TableHints(table: "t", primaryKey: ["id"], columns: [ColumnHint("id", .text), ColumnHint("amount", .decimal)])
        let (collected, schema) = try normalize([.object([(key: "id", value: .int(7)), (key: "amount", value: .int(3))])], hints: hints)
        let table = try #require(schema.table(named: "t"))
        #expect(table.column(named: "id") == ColumnSchema(name: "id", dataType: .text, nullable: false, primaryKey: true))
        #expect(collected.rows("t")[0]["id"] == .string("7"))
        #expect(collected.rows("t")[0]["amount"] == .decimal("3"))
    }

    @Test func badRowsNameTheResourceTableColumnAndPosition() throws {
        let notAnObject = #expect(throws: IngestError.self) { try normalize([.object([]), .array([.int(1)])], hints: TableHints(table: "t")) }
        #expect(notAnObject?.message == "resource repos, row 2: expected an object, found a list")
        let missingKey = #expect(throws: IngestError.self) {
            try normalize([.object([(key: "id", value: .int(1))]), .object([(key: "name", value: .string("x"))])], hints: TableHints(table: "t", primaryKey: ["id"]))
        }
        #expect(missingKey?.message == "resource repos, table t, row 2: the primary key column id is missing or null")
    }

    /// Keys that normalize to one column load as dlt loads them (the last one's value), counted
    /// for a warning; `collidingKeysFail` refuses them instead.
    @Test func collidingKeysLoadTheLastValueOrFailWhenAskedTo() throws {
        let row: IngestValue = .object([(key: "userName", value: .string("a")), (key: "owner", value: .object([(key: "id", value: .int(1))])),
                                        (key: "user_name", value: .string("b"))])
        let (loaded, _) = try normalize([row, row], hints: TableHints(table: "t"))
        #expect(loaded.rows("t").map { $0["user_name"] } == [.string("b"), .string("b")])
        let counted = Normalizer(schema: Schema(name: "test"), naming: NamingConvention(), loadID: "1") { _ in }
        try counted.normalize(row, resource: "repos", hints: TableHints(table: "t"), position: 1)
        #expect(counted.collidingKeys == ["table t: the keys \"userName\" and \"user_name\" both normalize to the column user_name": 1])
        let strict = Normalizer(schema: Schema(name: "test"), naming: NamingConvention(), loadID: "1", collidingKeysFail: true) { _ in }
        let refused = #expect(throws: IngestError.self) { try strict.normalize(row, resource: "repos", hints: TableHints(table: "t"), position: 1) }
        #expect(refused?.message.hasPrefix("resource repos, table t, row 1: the keys \"userName\" and \"user_name\" both normalize to the column user_name") == true)
    }

    /// A key is a path, as in dlt (`data__custom__goes` stays), and a blank key is `_empty`. A key
    /// and a nested object's field of the same path share the column: the last non-null value
    /// loads (a null never hides a value, where dlt loads the nested null), counted as a collision.
    @Test func keysArePathsAndAKeyBesideItsNestedPathKeepsTheLastValue() throws {
        let (paths, _) = try normalize([.object([(key: "data__custom__goes", value: .int(1)), (key: "  ", value: .int(2))])],
                                       hints: TableHints(table: "t"))
        #expect(paths.rows("t")[0]["data__custom__goes"] == .int(1) && paths.rows("t")[0]["_empty"] == .int(2))

        let rows: [IngestValue] = [
            .object([(key: "data", value: .object([(key: "custom", value: .null)])), (key: "data__custom", value: .string("remains"))]),
            .object([(key: "data__custom", value: .string("key")), (key: "data", value: .object([(key: "custom", value: .string("nested"))]))]),
            .object([(key: "data__custom", value: .string("alone"))]),
        ]
        let counted = Normalizer(schema: Schema(name: "test"), naming: NamingConvention(), loadID: "1") { _ in }
        for (position, row) in rows.enumerated() {
            try counted.normalize(row, resource: "r", hints: TableHints(table: "t"), position: position + 1)
        }
        let (shared, _) = try normalize(rows, hints: TableHints(table: "t"))
        #expect(shared.rows("t").map { $0["data__custom"] } == [.string("remains"), .string("nested"), .string("alone")])
        #expect(counted.collidingKeys == [
            "table t: two values for the column data__custom (a key with \"__\" and a nested object's field of the same path, or a repeated key)": 1,
        ])

        let strict = Normalizer(schema: Schema(name: "test"), naming: NamingConvention(), loadID: "1", collidingKeysFail: true) { _ in }
        try strict.normalize(rows[0], resource: "r", hints: TableHints(table: "t"), position: 1)
        let refused = #expect(throws: IngestError.self) { try strict.normalize(rows[1], resource: "r", hints: TableHints(table: "t"), position: 2) }
        #expect(refused?.message.hasPrefix("resource r, table t, row 2: two values for the column data__custom") == true, "\(refused?.message ?? "")")
    }
}

extension ColumnBuffer {
    /// One cell as a value, for assertions.
    func value(at row: Int) -> IngestValue {
        switch self {
        case .bigint(let v): v[row].map(IngestValue.int) ?? .null
        case .double(let v): v[row].map(IngestValue.double) ?? .null
        case .bool(let v): v[row].map(IngestValue.bool) ?? .null
        case .text(let v): v[row].map(IngestValue.string) ?? .null
        case .timestamp(let v): v[row].map(IngestValue.timestamp) ?? .null
        case .date(let v): v[row].map(IngestValue.date) ?? .null
        case .time(let v): v[row].map(IngestValue.time) ?? .null
        case .decimal(let v): v[row].map(IngestValue.decimal) ?? .null
        case .json(let v): v[row].map(IngestValue.string) ?? .null
        case .binary(let v): v[row].map(IngestValue.binary) ?? .null
        }
    }
}
