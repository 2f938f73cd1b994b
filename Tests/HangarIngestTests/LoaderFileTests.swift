import DuckDB
import Foundation
import HangarIngest
import HangarTestSupport
import Testing

/// Loader files written in each format and loaded into a real DuckDB file.
struct LoaderFileTests {
    // MARK: Every type, every format

    @Test(arguments: LoaderFileFormat.allCases)
    func everyTypeLoadsBackExactly(format: LoaderFileFormat) throws {
        let place = try LoaderFileTestPlace()
        let batch = AllTypes.batch()
        let files = try place.write([batch], format: format)
        #expect(files.count == 1)
        #expect(files.first?.rowCount == batch.rowCount)
        #expect(files.first?.columns == batch.columns)
        let connection = try place.connect()
        // An extra column the file does not have, which must stay NULL.
        try place.createTable(on: connection, columns: batch.columns.map { ($0.name, $0.dataType.duckDBType) } + [("extra", "VARCHAR")])
        try place.load(files, on: connection)

        let rows = try place.rows(on: connection)
        let expected = AllTypes.expectedRows(batch).map { $0 + [.null] }
        #expect(rows.count == expected.count)
        for (actual, wanted) in zip(rows, expected) {
            #expect(actual.map(Cell.init) == wanted.map(Cell.init))
        }
    }

    @Test func allFormatsLoadIdenticalRows() throws {
        let place = try LoaderFileTestPlace()
        let batch = AllTypes.batch()
        let connection = try place.connect()
        var loaded: [[[Cell]]] = []
        for format in LoaderFileFormat.allCases {
            let table = "t_\(format.fileExtension)"
            let files = try place.write([batch], format: format, subfolder: format.rawValue)
            try place.createTable(table, on: connection, columns: batch.columns.map { ($0.name, $0.dataType.duckDBType) })
            try place.load(files, into: table, on: connection)
            loaded.append(try place.rows(of: table, on: connection).map { $0.map(Cell.init) })
        }
        #expect(loaded[0] == loaded[1])
        #expect(loaded[1] == loaded[2])
        #expect(loaded[0].count == batch.rowCount)
    }

    @Test(arguments: LoaderFileFormat.allCases)
    func fileColumnsMatchTableColumnsByNameInAnyOrder(format: LoaderFileFormat) throws {
        let place = try LoaderFileTestPlace()
        let batch = AllTypes.batch()
        let files = try place.write([batch], format: format)
        let connection = try place.connect()
        var reversed = batch.columns.reversed().map { ($0.name, $0.dataType.duckDBType) }
        reversed.insert(("extra", "VARCHAR"), at: reversed.count / 2)
        try place.createTable(on: connection, columns: reversed)
        try place.load(files, on: connection)

        let names = batch.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        let rows = try connection.query("SELECT \(names) FROM ds.t ORDER BY id NULLS LAST").all().map(\.values)
        let expected = AllTypes.expectedRows(batch)
        #expect(rows.map { $0.map(Cell.init) } == expected.map { $0.map(Cell.init) })
        #expect(try connection.scalar("SELECT count(*) FROM ds.t WHERE extra IS NOT NULL", as: Int64.self) == 0)
    }

    // MARK: Rotation

    @Test(arguments: LoaderFileFormat.allCases)
    func aSmallSizeLimitRotatesIntoSeveralFilesThatAllLoad(format: LoaderFileFormat) throws {
        let place = try LoaderFileTestPlace()
        let columns = [ColumnSchema(name: "id", dataType: .bigint), ColumnSchema(name: "name", dataType: .text)]
        let batches = (0..<3).map { part in
            let ids = (0..<1000).map { Int64(part * 1000 + $0) }
            return TableBatch(table: "t", columns: columns, buffers: [.bigint(ids), .text(UTF8Column(ids.map { "name \($0) " + String(repeating: "x", count: 20) }))])
        }
        let files = try place.write(batches, format: format, maxFileBytes: 20_000)
        #expect(files.count > 3)
        #expect(files.reduce(0) { $0 + $1.rowCount } == 3000)
        #expect(files.map(\.url.lastPathComponent) == files.indices.map { "t.\($0).0.\(format.fileExtension)" })
        for file in files {
            let size = try FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int
            #expect(file.byteCount == size)
            #expect(file.rowCount > 0)
            // Text files end right after the row that reaches the limit.
            if format != .parquet, file != files.last { #expect(file.byteCount >= 20_000 && file.byteCount < 20_100) }
        }

        let connection = try place.connect()
        try place.createTable(on: connection, columns: [("name", "VARCHAR"), ("id", "BIGINT")])
        try place.load(files, on: connection)
        #expect(try connection.scalar("SELECT count(DISTINCT id) FROM ds.t", as: Int64.self) == 3000)
        #expect(try connection.scalar("SELECT sum(id) FROM ds.t", as: Int64.self) == 2999 * 3000 / 2)
        #expect(try connection.scalar("SELECT count(*) FROM ds.t WHERE name <> 'name ' || id || ' ' || repeat('x', 20)", as: Int64.self) == 0)
    }

    @Test func insertValuesStatementsHoldAtMostAThousandRows() throws {
        let place = try LoaderFileTestPlace()
        let ids = (0..<2500).map(Int64.init)
        let batch = TableBatch(table: "t", columns: [ColumnSchema(name: "id", dataType: .bigint)], buffers: [.bigint(ids)])
        let files = try place.write([batch], format: .insertValues)
        let text = try String(contentsOf: files[0].url, encoding: .utf8)
        #expect(text.components(separatedBy: "INSERT INTO {{table}}").count - 1 == 3)
        #expect(text.hasPrefix("INSERT INTO {{table}} (\"id\") VALUES\n(0),\n(1),\n"))
        let connection = try place.connect()
        try place.createTable(on: connection, columns: [("id", "BIGINT")])
        try place.load(files, on: connection)
        #expect(try connection.scalar("SELECT count(*) FROM ds.t", as: Int64.self) == 2500)
    }

    // MARK: Columns that come and change

    @Test(arguments: LoaderFileFormat.allCases)
    func batchesMayGainColumnsAndATypeChangeStartsANewFile(format: LoaderFileFormat) throws {
        let place = try LoaderFileTestPlace()
        let id = ColumnSchema(name: "id", dataType: .bigint)
        let score = ColumnSchema(name: "score", dataType: .bigint)
        let first = TableBatch(table: "t", columns: [id], buffers: [.bigint([1, 2])])
        let second = TableBatch(table: "t", columns: [score, id], buffers: [.bigint([30, nil]), .bigint([3, 4])])
        let widened = ColumnSchema(name: "score", dataType: .double)
        let third = TableBatch(table: "t", columns: [id, widened], buffers: [.bigint([5]), .double([5.5])])
        let files = try place.write([first, second, third], format: format)

        #expect(files.map(\.rowCount) == [4, 1])
        #expect(files.map(\.columns) == [[id, score], [id, widened]])
        let connection = try place.connect()
        try place.createTable(on: connection, columns: [("id", "BIGINT"), ("score", "DOUBLE")])
        try place.load(files, on: connection)
        let rows = try place.rows(on: connection)
        #expect(rows.map { $0.map(Cell.init) } == [
            [.bigint(1), .null], [.bigint(2), .null], [.bigint(3), .double(30)], [.bigint(4), .null], [.bigint(5), .double(5.5)],
        ].map { $0.map(Cell.init) })
    }

    @Test(arguments: LoaderFileFormat.allCases)
    func manyBatchesAcrossChunkBoundariesWithAColumnAddedMidFile(format: LoaderFileFormat) throws {
        // Parquet files are read from the held batches 2048 rows at a time: batches of 1500 rows
        // make chunks that span batches, and the column added by the third is NULL before it.
        let place = try LoaderFileTestPlace()
        let id = ColumnSchema(name: "id", dataType: .bigint), seen = ColumnSchema(name: "seen", dataType: .timestamp)
        let note = ColumnSchema(name: "note", dataType: .text)
        let batches = (0..<5).map { part in
            let ids = (0..<1500).map { Int64(part * 1500 + $0) }
            var columns = [id, seen], buffers: [ColumnBuffer] = [.bigint(ids), .timestamp(ids.map { $0 % 7 == 0 ? nil : $0 * 1_000_000 })]
            if part >= 2 {
                columns.append(note)
                buffers.append(.text(UTF8Column(ids.map { $0 % 5 == 0 ? nil : "n\($0)" })))
            }
            return TableBatch(table: "t", columns: columns, buffers: buffers)
        }
        let files = try place.write(batches, format: format)
        #expect(files.map(\.rowCount) == [7500])
        let connection = try place.connect()
        try place.createTable(on: connection, columns: [("id", "BIGINT"), ("seen", seen.dataType.duckDBType), ("note", "VARCHAR")])
        try place.load(files, on: connection)
        #expect(try connection.scalar("SELECT count(*) FROM ds.t", as: Int64.self) == 7500)
        #expect(try connection.scalar("SELECT sum(id) FROM ds.t", as: Int64.self) == 7499 * 7500 / 2)
        #expect(try connection.scalar("""
            SELECT count(*) FROM ds.t WHERE (seen IS NULL) <> (id % 7 = 0) OR epoch_us(seen) <> id * 1000000
            """, as: Int64.self) == 0)
        #expect(try connection.scalar("""
            SELECT count(*) FROM ds.t WHERE (note IS NULL) <> (id < 3000 OR id % 5 = 0) OR note <> 'n' || id
            """, as: Int64.self) == 0)
    }

    @Test(arguments: LoaderFileFormat.allCases)
    func awkwardColumnNamesAndThePlaceholderAsAValue(format: LoaderFileFormat) throws {
        let place = try LoaderFileTestPlace()
        let columns = [ColumnSchema(name: "id", dataType: .bigint), ColumnSchema(name: "{{table}}", dataType: .text),
                       ColumnSchema(name: "it's \"odd\"", dataType: .text), ColumnSchema(name: "Ünï cödé", dataType: .json)]
        let batch = TableBatch(table: "t", columns: columns, buffers: [
            .bigint([1, 2]),
            .text(["{{table}}", "x'); INSERT INTO {{table}} VALUES (666); --"]),
            .text(["\nINSERT INTO {{table}} (\"id\") VALUES (7);\n", "';"]),
            .json([#"{"{{table}}": "'"}"#, #"["\"", ";"]"#]),
        ])
        let files = try place.write([batch], format: format)
        let connection = try place.connect()
        try place.createTable(on: connection, columns: columns.map { ($0.name, $0.dataType.duckDBType) })
        try place.load(files, on: connection)
        let rows = try place.rows(on: connection)
        #expect(rows.map { $0.map(Cell.init) } == [
            [.bigint(1), .varchar("{{table}}"), .varchar("\nINSERT INTO {{table}} (\"id\") VALUES (7);\n"), .json(#"{"{{table}}": "'"}"#)],
            [.bigint(2), .varchar("x'); INSERT INTO {{table}} VALUES (666); --"), .varchar("';"), .json(#"["\"", ";"]"#)],
        ].map { $0.map(Cell.init) })
    }

    // MARK: Text forms

    @Test func jsonLinesTextForms() throws {
        let place = try LoaderFileTestPlace()
        let files = try place.write([AllTypes.batch()], format: .jsonl)
        let lines = try String(contentsOf: files[0].url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == AllTypes.batch().rowCount)
        #expect(lines[0] == #"{"id":1,"ratio":0.1,"flag":true,"label":"it's \"quoted\"\nnew line\ttab \\ back ünïcödé 🚀 {{table}} ; -- x","#
            + #""seen_at":"2026-11-25T14:03:11.123456+00:00","day":"2026-11-25","clock":"14:03:11.123456","price":"-12345.123456789","#
            + #""amount":"123456789012345678901234567890123456","doc":"{\"a\": 1,  \"b\": [1, 2.50, \"x\"]}","payload":"AAEA/yc="}"#)
        #expect(lines[1].contains(#""ratio":"nan""#))
        #expect(lines[1].contains(#""seen_at":"0002-03-04 (BC) 05:06:07.000008+00:00""#))
        #expect(lines[2] == #"{"id":3,"ratio":"inf","flag":null,"label":null,"seen_at":null,"day":null,"clock":null,"price":null,"amount":null,"doc":null,"payload":null}"#)
        #expect(lines[4].contains(#""ratio":-0.0,"#))
    }

    @Test func insertValuesTextForms() throws {
        let place = try LoaderFileTestPlace()
        let files = try place.write([AllTypes.batch()], format: .insertValues)
        let lines = try String(contentsOf: files[0].url, encoding: .utf8).components(separatedBy: "\n")
        #expect(lines[0] == #"INSERT INTO {{table}} ("id","ratio","flag","label","seen_at","day","clock","price","amount","doc","payload") VALUES"#)
        #expect(lines[1] == #"(1,0.1e0,TRUE,'it''s "quoted""#)
        #expect(lines[2] == "new line\ttab \\ back ünïcödé 🚀 {{table}} ; -- x','2026-11-25T14:03:11.123456+00:00'::TIMESTAMPTZ,"
            + "'2026-11-25'::DATE,'14:03:11.123456'::TIME,'-12345.123456789'::DECIMAL(38,9),"
            + #"'123456789012345678901234567890123456'::DECIMAL(38,0),'{"a": 1,  "b": [1, 2.50, "x"]}'::JSON,from_hex('000100ff27')),"#)
        #expect(lines[3].hasPrefix("(2,'nan'::DOUBLE,FALSE,'',"))
        #expect(lines[5].contains("('NUL' || chr(0) || 'inside')"))
        #expect(lines.last == "")
        #expect(lines[lines.count - 2].hasSuffix(");"))
    }

    // MARK: Errors

    @Test(arguments: LoaderFileFormat.allCases)
    func aMissingFileIsAnErrorNamingIt(format: LoaderFileFormat) throws {
        let place = try LoaderFileTestPlace()
        let files = try place.write([AllTypes.batch()], format: format)
        try FileManager.default.removeItem(at: files[0].url)
        let connection = try place.connect()
        try place.createTable(on: connection, columns: AllTypes.columns.map { ($0.name, $0.dataType.duckDBType) })
        let error = #expect(throws: IngestError.self) { try place.load(files, on: connection) }
        #expect(error?.kind == .loaderFile)
        #expect(error?.message.contains(files[0].url.path) == true)
    }

    @Test(arguments: LoaderFileFormat.allCases)
    func aCorruptFileIsAnErrorNamingIt(format: LoaderFileFormat) throws {
        let place = try LoaderFileTestPlace()
        let files = try place.write([AllTypes.batch()], format: format)
        let connection = try place.connect()
        try place.createTable(on: connection, columns: AllTypes.columns.map { ($0.name, $0.dataType.duckDBType) })
        let original = try Data(contentsOf: files[0].url)
        let corruptions = [Data("this is not a loader file\n".utf8), original.prefix(original.count / 2), original.dropFirst(7)]
        for corrupt in corruptions {
            try corrupt.write(to: files[0].url)
            let error = #expect(throws: (any Error).self) { try place.load(files, on: connection) }
            #expect(error.map { String(describing: $0).contains(files[0].url.path) } == true, "\(String(describing: error))")
        }
        #expect(try connection.scalar("SELECT count(*) FROM ds.t", as: Int64.self) == 0)
    }

    @Test(arguments: LoaderFileFormat.allCases)
    func badDecimalsAreRejectedWhenWritten(format: LoaderFileFormat) throws {
        let place = try LoaderFileTestPlace()
        for bad in ["1.2.3", "12e3", "abc", "", "1" + String(repeating: "0", count: 30), "- 1"] {
            let batch = TableBatch(table: "t", columns: [ColumnSchema(name: "price", dataType: .decimal)], buffers: [.decimal([bad])])
            let error = #expect(throws: IngestError.self) { try place.write([batch], format: format, subfolder: UUID().uuidString) }
            #expect(error?.kind == .invalidData)
            #expect(error?.message.contains("price") == true)
        }
    }

    @Test func theWriterRefusesMisuse() throws {
        let place = try LoaderFileTestPlace()
        let column = ColumnSchema(name: "id", dataType: .bigint)
        let writer = try LoaderFileWriter(table: "t", format: .jsonl, folder: place.folder) { _ in "same.jsonl" }
        #expect(throws: IngestError.self) { try writer.write(TableBatch(table: "other", columns: [column], buffers: [.bigint([1])])) }
        // After a failure, the writer takes nothing more.
        #expect(throws: IngestError.self) { try writer.write(TableBatch(table: "t", columns: [column], buffers: [.bigint([1])])) }

        let mismatched = try LoaderFileWriter(table: "t", format: .parquet, folder: place.folder) { "p\($0).parquet" }
        #expect(throws: IngestError.self) { try mismatched.write(TableBatch(table: "t", columns: [column], buffers: [.text(["1"])])) }

        let existing = place.folder.appendingPathComponent("taken.insert_values")
        try Data("x".utf8).write(to: existing)
        let clashing = try LoaderFileWriter(table: "t", format: .insertValues, folder: place.folder) { _ in "taken.insert_values" }
        #expect(throws: IngestError.self) { try clashing.write(TableBatch(table: "t", columns: [column], buffers: [.bigint([1])])) }
        #expect(try String(contentsOf: existing, encoding: .utf8) == "x")
    }

    @Test(arguments: LoaderFileFormat.allCases)
    func noRowsWriteNoFiles(format: LoaderFileFormat) throws {
        let place = try LoaderFileTestPlace()
        let files = try place.write([TableBatch(table: "t", columns: [ColumnSchema(name: "id", dataType: .bigint)], buffers: [.bigint([])])],
                                    format: format)
        #expect(files.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: place.folder.appendingPathComponent("files").path).isEmpty)
    }

    @Test(arguments: LoaderFileFormat.allCases)
    func aRowLargerThanDuckDBsDefaultJSONObjectSizeLoads(format: LoaderFileFormat) throws {
        let place = try LoaderFileTestPlace()
        let big = String(repeating: "abcdefgh", count: 17 * 1024 * 1024 / 8)
        let batch = TableBatch(table: "t", columns: [ColumnSchema(name: "id", dataType: .bigint), ColumnSchema(name: "body", dataType: .text)],
                               buffers: [.bigint([1, 2]), .text([big, "small"])])
        let files = try place.write([batch], format: format)
        let connection = try place.connect()
        try place.createTable(on: connection, columns: [("id", "BIGINT"), ("body", "VARCHAR")])
        try place.load(files, on: connection)
        #expect(try connection.scalar("SELECT sum(length(body)) FROM ds.t", as: Int64.self) == Int64(big.count + 5))
    }
}

// MARK: - Test data

/// A batch with a column of every data type, NULLs in each, and awkward values.
private enum AllTypes {
    static let columns: [ColumnSchema] = [
        ColumnSchema(name: "id", dataType: .bigint), ColumnSchema(name: "ratio", dataType: .double),
        ColumnSchema(name: "flag", dataType: .bool), ColumnSchema(name: "label", dataType: .text),
        ColumnSchema(name: "seen_at", dataType: .timestamp), ColumnSchema(name: "day", dataType: .date),
        ColumnSchema(name: "clock", dataType: .time), ColumnSchema(name: "price", dataType: .decimal),
        ColumnSchema(name: "amount", dataType: .wei), ColumnSchema(name: "doc", dataType: .json),
        ColumnSchema(name: "payload", dataType: .binary),
    ]

    static let label = "it's \"quoted\"\nnew line\ttab \\ back ünïcödé 🚀 {{table}} ; -- x"

    static func batch() -> TableBatch {
        let ids: [Int64?] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, .max, .min, nil]  // .min sorts first when loaded
        let ratios: [Double?] = [0.1, .nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.30000000000000004,
                                 1e23, -123456789.125, 2.2250738585072014e-308, nil, 1.0]
        let flags: [Bool?] = [true, false, nil, nil, true, false, true, false, true, false, true, false, nil]
        let labels: [String?] = [label, "", nil, "NUL\u{0}inside", "{{table}}", "'", "''", "\\x00", "\r\n", "\u{1F}\u{7F}\u{2028}",
                                 "INSERT INTO {{table}} (\"id\") VALUES (1);", ";", nil]
        let seenAt: [Int64?] = [1_795_615_391_123_456, -62_193_380_032_999_992, nil, 0, 253_402_300_799_999_999, -1, 1,
                                -62_135_596_800_000_000, 86_400_000_000 * 3_789_000, .max, -.max, 999_999, nil]
        let days: [Int32?] = [DuckDBDate(year: 2026, month: 11, day: 25).days, DuckDBDate(year: 0, month: 2, day: 29).days, nil, 0,
                              DuckDBDate(year: 12345, month: 6, day: 7).days, -1, 1, DuckDBDate(year: 1, month: 1, day: 1).days,
                              DuckDBDate(year: 9999, month: 12, day: 31).days, .max, -.max, 19_000, nil]
        let clocks: [Int64?] = [DuckDBTime(hour: 14, minute: 3, second: 11, microsecond: 123_456).microseconds, 0, nil, 86_399_999_999,
                                86_400_000_000, 1, 999_999, 1_000_000, 3_600_000_000, 43_200_000_001, 59_000_000, 7, nil]
        let prices: [String?] = ["-12345.123456789", "0.000000001", nil, "99999999999999999999999999999.999999999", "-0.5",
                                 "1.2345678905", "-1.2345678905", "1.23456789049999999999999999999999999999999", "+7", ".5",
                                 "5.", "-0", nil]
        let amounts: [String?] = ["123456789012345678901234567890123456", "-99999999999999999999999999999999999999", nil, "0", nil,
                                  "12.5", "-12.5", "12.4999", "99999999999999999999999999999999999999", "-1", "1", "0.0", nil]
        let docs: [String?] = [#"{"a": 1,  "b": [1, 2.50, "x"]}"#, #"[1,"two",null]"#, nil, #""just a string""#, "{}",
                               "123456789012345678901234567890", "1e400", #"{"nul":"\u0000","emoji":"🚀"}"#, "null", "true",
                               " [ ] ", #"{"k":"{{table}}';"}"#, nil]
        let payloads: [Data?] = [Data([0, 1, 0, 255, 39]), Data(), nil, Data((0...255).map(UInt8.init)), nil, Data("{{table}}".utf8),
                                 Data([0]), Data([39, 39]), Data([92, 120, 48, 48]), Data([10]), Data([255]), Data([1, 2, 3]), nil]
        return TableBatch(table: "t", columns: columns, buffers: [
            .bigint(ids), .double(ratios), .bool(flags), .text(UTF8Column(labels)), .timestamp(seenAt), .date(days), .time(clocks),
            .decimal(prices), .decimal(amounts), .json(docs), .binary(payloads),
        ])
    }

    /// What DuckDB should give back for `batch`, row by row, in `ORDER BY id NULLS LAST` order.
    static func expectedRows(_ batch: TableBatch) -> [[DuckDBValue]] {
        let rows: [[DuckDBValue]] = (0..<batch.rowCount).map { row in
            zip(batch.columns, batch.buffers).map { column, buffer -> DuckDBValue in
                switch buffer {
                case .bigint(let v): v[row].map(DuckDBValue.bigint) ?? .null
                case .double(let v): v[row].map(DuckDBValue.double) ?? .null
                case .bool(let v): v[row].map(DuckDBValue.boolean) ?? .null
                case .text(let v): v[row].map(DuckDBValue.varchar) ?? .null
                case .timestamp(let v): v[row].map { DuckDBValue.timestampTZ(DuckDBTimestamp(microseconds: $0)) } ?? .null
                case .date(let v): v[row].map { DuckDBValue.date(DuckDBDate(days: $0)) } ?? .null
                case .time(let v): v[row].map { DuckDBValue.time(DuckDBTime(microseconds: $0)) } ?? .null
                case .json(let v): v[row].map(DuckDBValue.json) ?? .null
                case .binary(let v): v[row].map(DuckDBValue.blob) ?? .null
                case .decimal(let v): v[row].map { DuckDBValue.decimal(expectedDecimal($0, scale: column.dataType == .wei ? 0 : 9)) } ?? .null
                }
            }
        }
        func key(_ row: [DuckDBValue]) -> (Int64, Int) { (row[0].int64 ?? .max, row[0].isNull ? 1 : 0) }
        return rows.sorted { key($0) < key($1) }
    }

    /// The test's own reading of the decimals above, rounding half away from zero.
    private static func expectedDecimal(_ text: String, scale: Int) -> DuckDBDecimal {
        let expected: [String: String] = [
            "-12345.123456789": "-12345123456789", "0.000000001": "1", "99999999999999999999999999999.999999999": "99999999999999999999999999999999999999",
            "-0.5": "-500000000", "1.2345678905": "1234567891", "-1.2345678905": "-1234567891",
            "1.23456789049999999999999999999999999999999": "1234567890", "+7": "7000000000", ".5": "500000000", "5.": "5000000000", "-0": "0",
        ]
        let expectedWei: [String: String] = [
            "123456789012345678901234567890123456": "123456789012345678901234567890123456",
            "-99999999999999999999999999999999999999": "-99999999999999999999999999999999999999", "0": "0", "12.5": "13", "-12.5": "-13",
            "12.4999": "12", "99999999999999999999999999999999999999": "99999999999999999999999999999999999999", "-1": "-1", "1": "1", "0.0": "0",
        ]
        let unscaled = (scale == 0 ? expectedWei : expected)[text]!
        return DuckDBDecimal(value: Int128(unscaled)!, width: 38, scale: UInt8(scale))
    }
}

/// A value compared as DuckDB stores it: doubles by their bits (so -0.0 differs from 0.0), and
/// NaN equal to NaN.
private struct Cell: Equatable, CustomStringConvertible {
    let value: DuckDBValue
    init(_ value: DuckDBValue) { self.value = value }

    static func == (a: Cell, b: Cell) -> Bool {
        if case .double(let x) = a.value, case .double(let y) = b.value {
            return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        }
        return a.value == b.value
    }

    var description: String {
        switch value {
        case .double(let v): "double(\(v), bits \(String(v.bitPattern, radix: 16)))"
        case .varchar(let v): "varchar(\(v.debugDescription))"
        case .json(let v): "json(\(v.debugDescription))"
        case .decimal(let v): "decimal(\(v), \(v.width), \(v.scale))"
        default: "\(value.self)"
        }
    }
}

/// A temporary folder with a DuckDB file, removed afterwards; loader files go in `files/`.
private final class LoaderFileTestPlace {
    let scratch: ScratchDirectory
    let folder: URL
    let database: Database

    init() throws {
        scratch = try ScratchDirectory()
        // A quote in the path checks that file paths are quoted in the SQL.
        folder = scratch.url.appendingPathComponent("loader-tests-it's")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = try Database(path: folder.appendingPathComponent("test.duckdb").path)
    }

    func connect() throws -> Connection { try database.connect() }

    /// Writes `batches` of table "t" as the package layer names them: `t.<n>.0.<ext>`.
    func write(_ batches: [TableBatch], format: LoaderFileFormat, maxFileBytes: Int = LoaderFileWriter.defaultMaxFileBytes,
               subfolder: String = "files") throws -> [LoaderFile] {
        let writer = try LoaderFileWriter(table: "t", format: format, folder: folder.appendingPathComponent(subfolder),
                                          maxFileBytes: maxFileBytes) { "t.\($0).0.\(format.fileExtension)" }
        for batch in batches { try writer.write(batch) }
        return try writer.finish()
    }

    func createTable(_ table: String = "t", on connection: Connection, columns: [(name: String, type: String)]) throws {
        try connection.execute("CREATE SCHEMA IF NOT EXISTS ds")
        try connection.execute("CREATE TABLE ds.\(quoteIdentifier(table)) (\(columns.map { "\(quoteIdentifier($0.name)) \($0.type)" }.joined(separator: ", ")))")
    }

    /// Loads every file in one transaction, as the loader does.
    func load(_ files: [LoaderFile], into table: String = "t", on connection: Connection) throws {
        try connection.transaction { connection in
            for file in files {
                try LoaderFileLoad.load(file, into: "\(quoteIdentifier("ds")).\(quoteIdentifier(table))", on: connection)
            }
        }
    }

    func rows(of table: String = "t", on connection: Connection) throws -> [[DuckDBValue]] {
        try connection.query("SELECT * FROM ds.\(quoteIdentifier(table)) ORDER BY id NULLS LAST").all().map(\.values)
    }
}
