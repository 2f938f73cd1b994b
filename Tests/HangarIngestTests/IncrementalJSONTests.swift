import Foundation
@testable import HangarIngest
import HangarTestSupport
import Testing

/// Raw JSON under an incremental is filtered from its bytes: each row is read for its cursor
/// value alone, and rows are built whole only for the key digests the filter needs. It must
/// decide, load and remember exactly what the same rows emitted as values would.
struct IncrementalJSONTests {
    enum Layout: String, CaseIterable, Sendable {
        case lines, array, envelope
    }

    /// `rows` as one document: JSON lines, a pretty-printed array (rows spanning lines), or an
    /// API answer holding the array.
    static func document(_ rows: [IngestValue], _ layout: Layout) -> Data {
        let compact = rows.map(JSONText.encode)
        let text: String
        switch layout {
        case .lines:
            text = compact.joined(separator: "\n")
        case .array, .envelope:
            let array = "[\n  " + compact.map { $0.replacingOccurrences(of: "{\"", with: "{\n    \"") }.joined(separator: ",\n  ") + "\n]"
            text = layout == .array ? array : #"{"total_count": \#(rows.count), "items": \#(array), "incomplete_results": false}"#
        }
        return Data(text.utf8)
    }

    /// The rows of one run, fetched since the cursor in pages of three: as values, or as documents.
    static func resource(_ rows: [IngestValue], asJSON layout: Layout?, primaryKey: [String]) -> Resource {
        Resource("repos", hints: TableHints(table: "repos", primaryKey: primaryKey), incremental: Incremental(cursorPath: "pushed_at")) { emit in
            let since = emit.incremental?.startValue.flatMap(\.cursorMicros)
            let selected = rows.filter { row in since.map { (row.field("pushed_at")?.cursorMicros ?? 0) >= $0 } ?? true }
            for start in stride(from: 0, to: selected.count, by: 3) {
                let page = Array(selected[start..<min(start + 3, selected.count)])
                if let layout { try emit.json(document(page, layout)) } else { try emit.rows(page) }
            }
        }
    }

    static let cases: [(Layout, [String])] = Layout.allCases.flatMap { layout in [(layout, ["id"]), (layout, [])] }

    @Test(.fullRunOnly, arguments: cases)
    func documentsFilterAndRememberLikeRows(_ layout: Layout, _ primaryKey: [String]) async throws {
        let asRows = try IngestSandbox(), asJSON = try IngestSandbox()
        // Parts of 100 bytes: a filtered document goes on a row or two at a time.
        var options = PipelineOptions()
        options.extractPartBytes = 100
        let rowsPipeline = try asRows.pipeline(), jsonPipeline = try asJSON.pipeline(options: options)
        // Run 1: sorted, three rows a minute, so every third row is a new last value.
        var rows = (1...30).map { pushedRepo($0, at: $0 / 3) }
        // Run 2: the API answers since minute 10 inclusively; rows 30 and one changed comes again
        // at the last value, and newer rows follow out of order.
        let second = rows + [pushedRepo(31, at: 10), pushedRepo(30, at: 10, stars: 5)]
            + (32...60).map { pushedRepo($0, at: 10 + ($0 * 7) % 11) }
        // Run 3: nothing new but the boundary, then one new row at the last value, shuffled in.
        var third = second
        third.insert(pushedRepo(61, at: 20), at: 3)
        for (run, data) in [rows, second, second, third].enumerated() {
            rows = data
            let expected = try await rowsPipeline.run(Self.resource(rows, asJSON: nil, primaryKey: primaryKey))
            let got = try await jsonPipeline.run(Self.resource(rows, asJSON: layout, primaryKey: primaryKey))
            #expect(got.rowCounts["repos"] == expected.rowCounts["repos"], "run \(run + 1)")
            #expect(try asJSON.query("SELECT id, stars, pushed_at FROM github.repos ORDER BY ALL")
                    == asRows.query("SELECT id, stars, pushed_at FROM github.repos ORDER BY ALL"), "run \(run + 1)")
            let state = try await jsonPipeline.cursorState(), expectedState = try await rowsPipeline.cursorState()
            #expect(state == expectedState, "run \(run + 1): the same last value and boundary keys, in order")
            #expect(state?["unique_hashes"]?.arrayCount ?? 0 > 0)
        }
        #expect(try asJSON.count("github.repos") == (primaryKey.isEmpty ? 62 : 61), "without a key the changed row 30 is a new row")
    }

    /// A file whose rows all load is copied into the package as a file (JSON lines in parts);
    /// one with rows that do not goes on filtered. Either way only the new rows load.
    @Test func jsonFilesAreFilteredOrCopiedWhole() async throws {
        let sandbox = try IngestSandbox()
        var options = PipelineOptions()
        options.extractPartBytes = 100
        let pipeline = try sandbox.pipeline(options: options)
        let file = sandbox.folder.appendingPathComponent("repos.jsonl")
        let first = (1...10).map { pushedRepo($0, at: $0) }
        try Self.document(first, .lines).write(to: file)
        let incremental = Incremental(cursorPath: "pushed_at")
        var info = try await pipeline.run(.jsonFiles("repos", [file], incremental: incremental))
        #expect(info.rowCounts["repos"] == 10)
        // The file again with three rows past the cursor, and the boundary row 10 again.
        try Self.document(first + (11...13).map { pushedRepo($0, at: $0) }, .lines).write(to: file)
        info = try await pipeline.run(.jsonFiles("repos", [file], incremental: incremental))
        #expect(info.rowCounts["repos"] == 3)
        #expect(try sandbox.ids() == Array(1...13))
        #expect(try await pipeline.cursorState()?["last_value"] == .string(minute(13)))
    }

    /// The filter's own view: a whole document at one value, past the bound, and sorted rows,
    /// each a new last value, built only once.
    @Test func rowsAreBuiltOnlyForTheKeysThatStay() throws {
        func filter() throws -> IncrementalFilter {
            try IncrementalFilter(Incremental(cursorPath: "pushed_at"), resource: "repos", primaryKey: [], state: [:], boundaryKeyLimit: 3)
        }
        func keys(_ filter: IncrementalFilter) -> StateValue? {
            var state: [String: StateValue] = [:]
            filter.write(into: &state)
            return state["incremental"]?.object?["pushed_at"]?.object?["unique_hashes"]
        }
        for rows in [(1...20).map { pushedRepo($0, at: 5) }, (1...20).map { pushedRepo($0, at: $0) }] {
            let byValue = try filter(), byBytes = try filter()
            for row in rows { #expect(try byValue.admit(row)) }
            var built = 0
            // A row's place stands for its bytes; here it is its index.
            let rowOf = { (place: Range<Int>) -> IngestValue in
                built += 1
                return rows[place.lowerBound]
            }
            for (index, row) in rows.enumerated() {
                #expect(try byBytes.admit(cursorValue: row.field("pushed_at"), place: index..<index + 1, rowOf: rowOf))
            }
            try byBytes.digestPendingKeys(rowOf: rowOf)
            #expect(keys(byBytes) == keys(byValue))
            #expect(keys(byBytes)?.arrayCount == (rows.last?.field("pushed_at") == rows.first?.field("pushed_at") ? 3 : 1))
            // At one value: digested in bulk whenever six wait, so at most 6 + 3 rows stay pending.
            #expect(built == (rows.first?.field("pushed_at") == rows.last?.field("pushed_at") ? 20 : 1))
        }
    }

    /// The value at a cursor path read from the bytes is the value in the row built whole.
    @Test func cursorPathsReadFromBytesFindWhatTheBuiltRowHolds() throws {
        let rows = [
            #"{"id": 1, "pushed_at": "2024-01-01T00:00:00Z"}"#,
            #"{"pushed_at": 1, "meta": {"ts": [0, 7, {"x": "deep"}]}, "pushed_at": 9}"#,
            #"{"pushed_at": {"nested": true}, "meta": {"ts": "not a list"}, "pushed_at": null}"#,
            #"{"meta": {"ts": [0]}, "items": [], "odd key.x": {"y": -1.5e3}}"#,
            #"{"meta": null, "pushed_at": "a\"b\\c\u00e9"}"#,
            #"[1, 2, {"pushed_at": 3}]"#,
            #""just a string""#,
            #"{}"#,
        ]
        let paths = ["pushed_at", "meta.ts[1]", "meta.ts[2].x", "$.meta.ts[5]", "$['odd key.x'].y", "[2].pushed_at", "meta"]
        for path in paths {
            let cursorPath = try CursorPath(path)
            var fromBytes: [IngestValue?] = []
            try JSONReader.rows(from: Data(rows.joined(separator: "\n").utf8), layout: .lines, typed: false, inPlace: { parser in
                fromBytes.append(try cursorPath.value(readingRowFrom: &parser))
                return true
            }, body: { _, _ in Issue.record("every row is read in place") })
            let built = try rows.map { try JSONReader.value(from: Data($0.utf8)) }.map(cursorPath.value(in:))
            #expect(fromBytes == built, "path \(path)")
        }
    }

    /// Skipping a value checks it as building it would: the same message at the same place.
    @Test(arguments: [
        #"{"a": [1,]}"#, #"{"a": [1 2]}"#, #"{"a": tru}"#, #"{"a": 01}"#, #"{"a": "\u12"}"#, #"{"a" 1}"#,
        #"{"a": 1,}"#, #"{1: 2}"#, #"{"a": {"b": [}}"#, #"{"a": -}"#, #"{"a": 1.}"#, #"{"a": "open"#, #"{"a": [1, 2"#,
        "{\"a\": \"tab\there\"}", #"{"a": {"b": 1} "c": 2}"#, #"{"z": 1, "a": [[[]]], "b": [{"c": [1, {"d": nul}]}]}"#,
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        #"{"x": "# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}",
    ])
    func malformedRowsFailTheSameWayWhenSkipped(_ row: String) throws {
        let data = Data((#"{"ok": 1}"# + "\n" + row + "\n" + #"{"ok": 2}"#).utf8)
        func message(_ read: () throws -> Void) -> String? {
            do { try read() } catch let error as IngestError { return error.message } catch { return "\(error)" }
            return nil
        }
        let whole = message { try JSONReader.rows(from: data, layout: .lines) { _, _ in } }
        let skipped = message {
            try JSONReader.rows(from: data, layout: .lines, typed: false, inPlace: { parser in
                _ = try CursorPath("other").value(readingRowFrom: &parser)
                return true
            }, body: { _, _ in })
        }
        #expect(whole != nil)
        #expect(skipped == whole)
        var invalidUTF8 = Data(#"{"a": "x"#.utf8)
        invalidUTF8.append(contentsOf: [0xC3, 0x28])
        invalidUTF8.append(contentsOf: #""}"#.utf8)
        #expect(message { _ = try JSONReader.rows(from: invalidUTF8) }
                == message { try JSONReader.rows(from: invalidUTF8, layout: .lines, typed: false, inPlace: { parser in
                    try parser.skipValue(depth: 0)
                    return true
                }, body: { _, _ in }) })
    }

    @Test func aMalformedRowFailsTheRunAndLoadsNothing() async throws {
        let sandbox = try IngestSandbox()
        let lines = #"{"id": 1, "pushed_at": 1}"# + "\n" + #"{"id": 2, "pushed_at": 2, "name": "unterminated}"# + "\n"
        let error = await #expect(throws: IngestError.self) {
            try await sandbox.pipeline().run(.json("repos", Data(lines.utf8), incremental: Incremental(cursorPath: "pushed_at")))
        }
        #expect(error?.kind == .malformedJSON)
        #expect(error?.message.contains("row 2 (line 2") == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: sandbox.databasePath))
    }
}
