import Foundation
@testable import HangarIngest
import Testing

/// Rows shaped like the ones before are normalized straight from their JSON bytes
/// (`Normalizer.normalizeInPlace`); every other row is read whole. Both ways must give the same
/// batches and schema, whatever the rows do to each other.
struct InPlaceNormalizeTests {
    /// Upsert hints: row ids derive from the key, so both ways give the same ids.
    static let hints = TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"], mergeStrategy: .upsert)

    struct Outcome {
        var batches: [TableBatch] = []
        var schema: Schema?
        var changes: [SchemaChange] = []
        var inPlace = 0

        /// Every row of `table` as column name → value, across batches, and each batch's columns.
        func rows(_ table: String) -> [[String: IngestValue]] {
            batches.filter { $0.table == table }.flatMap { batch in
                (0..<batch.rowCount).map { row in
                    Dictionary(uniqueKeysWithValues: zip(batch.columns, batch.buffers).map { ($0.name, $1.value(at: row)) })
                }
            }
        }

        var shapes: [String] { batches.map { "\($0.table): " + $0.columns.map { "\($0.name) \($0.dataType.rawValue)" }.joined(separator: ", ") } }
    }

    final class Box { var outcome = Outcome() }

    func normalize(_ lines: String, layout: JSONLayout = .lines, inPlace: Bool, hints: TableHints = Self.hints,
                   batchRows: Int = 50_000) throws -> Outcome {
        let box = Box()
        let normalizer = Normalizer(schema: Schema(name: "test"), naming: NamingConvention(), loadID: "1700000000.000001",
                                    batchRows: batchRows) { box.outcome.batches.append($0) }
        var position = 0
        try JSONReader.rows(from: Data(lines.utf8), layout: layout, typed: false, inPlace: { parser in
            guard inPlace else { return false }
            position += 1
            guard try normalizer.normalizeInPlace(&parser, resource: "repos", hints: hints, position: position) else {
                position -= 1
                return false
            }
            box.outcome.inPlace += 1
            return true
        }, body: { row, _ in
            position += 1
            try normalizer.normalize(row, resource: "repos", hints: hints, position: position)
        })
        box.outcome.schema = try normalizer.finish()
        box.outcome.changes = normalizer.changes
        return box.outcome
    }

    func expectSameWays(_ lines: String, layout: JSONLayout = .lines, hints: TableHints = Self.hints, batchRows: Int = 50_000,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let whole = try normalize(lines, layout: layout, inPlace: false, hints: hints, batchRows: batchRows)
        let fast = try normalize(lines, layout: layout, inPlace: true, hints: hints, batchRows: batchRows)
        #expect(whole.inPlace == 0, sourceLocation: sourceLocation)
        #expect(fast.shapes == whole.shapes, sourceLocation: sourceLocation)
        for table in Set(whole.batches.map(\.table)) {
            #expect(fast.rows(table) == whole.rows(table), "rows of \(table)", sourceLocation: sourceLocation)
        }
        #expect(fast.schema == whole.schema, sourceLocation: sourceLocation)
        #expect(fast.changes == whole.changes, sourceLocation: sourceLocation)
        return fast
    }

    @Test func rowsShapedAlikeGoInPlaceWithTheirNestedObjectsAndLists() throws {
        let lines = (1...5).map { id in
            #"{"id": \#(id), "name": "repo \#(id)", "owner": {"login": "o\#(id)", "geo": {"lat": \#(id).5}}, "topics": ["a", "b\#(id)"], "releases": [{"tag": "v\#(id)", "assets": [{"name": "x"}]}], "pushed_at": "2026-11-0\#(id)T10:00:00Z", "fork": false, "license": null}"#
        }.joined(separator: "\n")
        let fast = try expectSameWays(lines)
        // The first row creates the table, so the resource's plan is kept from the second on.
        #expect(fast.inPlace == 3, "every row after the second")
        let root = fast.rows("repos")
        #expect(root.map { $0["owner__geo__lat"] } == (1...5).map { .double(Double($0) + 0.5) })
        #expect(root.first?["pushed_at"] == .timestamp(ISO8601Timestamp.parse("2026-11-01T10:00:00Z")!))
        #expect(fast.rows("repos__releases__assets").count == 5)
    }

    @Test func rowsOfArraysAndEnvelopesGoInPlaceToo() throws {
        let rows = (1...6).map { id in
            #"{"id": \#(id), "owner": {"login": "o\#(id)"},\#n "topics": ["a", "b\#(id)"], "stars": \#(id * 10)}"#
        }
        let array = "[\n" + rows.joined(separator: ",\n") + "\n]"
        let fromArray = try expectSameWays(array, layout: .automatic)
        #expect(fromArray.inPlace == 4, "every row after the second, though each spans two lines")
        #expect(fromArray.rows("repos").map { $0["stars"] } == (1...6).map { .int(Int64($0 * 10)) })
        let envelope = #"{"total": 6, "items": "# + array + #", "next": null}"#
        let fromEnvelope = try expectSameWays(envelope, layout: .automatic)
        #expect(fromEnvelope.inPlace == 4)
        #expect(fromEnvelope.rows("repos__topics").count == 12)
    }

    @Test func rowsThatDifferAreReadWholeAndLeaveNothingBehind() throws {
        let lines = [
            #"{"id": 1, "name": "a", "stars": 3, "owner": {"login": "x"}, "license": null}"#,
            #"{"id": 2, "name": "b", "stars": 4, "owner": {"login": "y"}, "license": null}"#,
            // A value that needs the schema after two members went in already: a variant column.
            #"{"id": 3, "name": "c", "stars": "many", "owner": {"login": "z"}, "license": null}"#,
            // Widening, then keys in another order, a missing key and a new one.
            #"{"id": 4, "name": "d", "stars": 4.5, "owner": {"login": "w"}, "license": null}"#,
            #"{"name": "e", "id": 5, "stars": 6, "owner": {"login": "v"}, "license": null}"#,
            #"{"id": 6, "name": "f", "owner": {"login": "u"}}"#,
            #"{"id": 7, "name": "g", "stars": 7, "owner": {"login": "t", "site_admin": true}, "license": null, "archived": false}"#,
            // An object where null was, null where an object was, an empty object, a repeated key.
            #"{"id": 8, "name": "h", "stars": 8, "owner": null, "license": {"key": "mit"}}"#,
            #"{"id": 9, "name": "i", "stars": 9, "owner": {}, "license": {"key": "apache"}}"#,
            #"{"id": 10, "name": "j", "stars": 10, "stars": 11, "owner": {"login": "s"}, "license": {"key": "bsd"}}"#,
            #"{"id": 11, "name": "k\n\"quoted\" \u00e9", "stars": 12, "owner": {"login": "r"}, "license": {"key": "bsd"}}"#,
            #"{"id": 12, "name": "l", "stars": 13, "owner": {"login": "q"}, "license": {"key": "isc"}}"#,
            // Keys are compared as bytes where they lie, so an escaped key must match once decoded.
            #"{"id": 13, "n\u0061me": "m", "stars": 14, "owner": {"log\u0069n": "o"}, "license": {"key": "isc"}}"#,
        ].joined(separator: "\n")
        let fast = try expectSameWays(lines)
        #expect(fast.inPlace > 0 && fast.inPlace < 12)
        let root = fast.rows("repos")
        #expect(root.count == 13)
        #expect(root[12]["name"] == .string("m") && root[12]["owner__login"] == .string("o"))
        #expect(root[2]["stars__v_text"] == .string("many"))
        #expect(root[9]["stars"] == .double(11), "a repeated key keeps its last value")
        #expect(root[10]["name"] == .string("k\n\"quoted\" é"))
    }

    @Test func anEscapedKeyMatchesTheShapeInPlace() throws {
        let rows = (1...4).map { #"{"id": \#($0), "name": "r\#($0)"}"# }
        let plain = try expectSameWays(rows.joined(separator: "\n"))
        let escaped = try expectSameWays((rows.dropLast() + [#"{"id": 4, "n\u0061me": "r4"}"#]).joined(separator: "\n"))
        #expect(plain.inPlace > 0 && escaped.inPlace == plain.inPlace)
        #expect(escaped.rows("repos").map { $0["name"] } == (1...4).map { .string("r\($0)") })
        // A key that differs in one byte is read whole.
        let other = try expectSameWays((rows.dropLast() + [#"{"id": 4, "nbme": "r4"}"#]).joined(separator: "\n"))
        #expect(other.inPlace == plain.inPlace - 1)
    }

    /// Timestamps are parsed from the row's bytes on the in-place way; text that is no
    /// timestamp sends the row the whole-row way, to the variant column.
    @Test func timestampTextIsParsedInPlace() throws {
        let lines = [
            #"{"id": 1, "pushed_at": "2016-04-15T03:35:52Z"}"#,
            #"{"id": 2, "pushed_at": "2016-04-15T03:35:53Z"}"#,
            #"{"id": 3, "pushed_at": "2016-04-15 05:35:54.25+02:00"}"#,
            #"{"id": 4, "pushed_at": "2016-04-15T03:35:55\u005A"}"#,
            #"{"id": 5, "pushed_at": "yesterday"}"#,
            #"{"id": 6, "pushed_at": null}"#,
            #"{"id": 7, "pushed_at": "2016-02-30T00:00:00Z"}"#,
            #"{"id": 8, "pushed_at": "2016-04-15T03:35:58Z"}"#,
        ].joined(separator: "\n")
        let fast = try expectSameWays(lines)
        // The first two rows set the shape up and the two that are no timestamp go whole: rows 3
        // (an offset), 4 (an escape), 6 and 8 are read in place.
        #expect(fast.inPlace == 4)
        let rows = fast.rows("repos")
        let base: Int64 = 1_460_691_352_000_000
        #expect(rows.map { $0["pushed_at"] } == [.timestamp(base), .timestamp(base + 1_000_000), .timestamp(base + 2_250_000),
                                                 .timestamp(base + 3_000_000), .null, .null, .null, .timestamp(base + 6_000_000)])
        #expect(rows[4]["pushed_at__v_text"] == .string("yesterday") && rows[6]["pushed_at__v_text"] == .string("2016-02-30T00:00:00Z"))
    }

    @Test func batchesHandOverAtTheSameRowsAndDeepValuesStayJSON() throws {
        let lines = (1...10).map { id in
            #"{"id": \#(id), "meta": {"deep": {"deeper": [\#(id), {"x": 1}]}}, "tags": [[1, 2], [3]]}"#
        }.joined(separator: "\n")
        var hints = Self.hints
        hints.maxTableNesting = 1
        let fast = try expectSameWays(lines, hints: hints, batchRows: 3)
        #expect(fast.inPlace == 8)
        #expect(fast.rows("repos").first?["meta__deep"] != nil, "below the nesting limit an object is a JSON column")
        #expect(fast.batches.filter { $0.table == "repos" }.map(\.rowCount) == [3, 3, 3, 1])
    }

    @Test func aRowThatIsNotAnObjectFailsTheSameWay() throws {
        let lines = "{\"id\": 1}\n{\"id\": 2}\n[1, 2]\n"
        for inPlace in [false, true] {
            #expect {
                _ = try normalize(lines, inPlace: inPlace)
            } throws: { error in
                (error as? IngestError)?.message.contains("row 3: expected an object") == true
            }
        }
    }
}
