import DuckDB
import Foundation
@testable import HangarIngest
import Testing

// MARK: - Fixtures shared by the incremental tests

/// `2024-01-01T00:MM:00Z`: cursor values that order by the minute.
func minute(_ minute: Int) -> String {
    ISO8601Timestamp.format(Int64(ISO8601Timestamp.parse("2024-01-01T00:00:00Z")! + Int64(minute) * 60_000_000))
}

/// A GitHub-like repo row with a `pushed_at` cursor.
func pushedRepo(_ id: Int, at minuteValue: Int, stars: Int = 0) -> IngestValue {
    .object([
        (key: "id", value: .int(Int64(id))),
        (key: "stars", value: .int(Int64(stars))),
        (key: "pushed_at", value: .string(minute(minuteValue))),
    ])
}

/// An API that answers `since=` inclusively (as most do), sorted by `pushed_at`, in pages of two.
struct InclusiveRepoAPI: Sendable {
    let rows: [IngestValue]

    func pages(pushedSince since: IngestValue?) -> [[IngestValue]] {
        let sinceMicros = since.flatMap(\.cursorMicros)
        let selected = rows.filter { row in sinceMicros.map { (row.field("pushed_at")?.cursorMicros ?? 0) >= $0 } ?? true }
        return stride(from: 0, to: selected.count, by: 2).map { Array(selected[$0..<min($0 + 2, selected.count)]) }
    }
}

/// Rows `{"id": 1}` … `{"id": count}`, recording each one as it is produced.
struct CountingRows: Sequence, Sendable {
    let count: Int
    let yielded: Recorder<Int>

    func makeIterator() -> AnyIterator<IngestValue> {
        var next = 1
        return AnyIterator {
            guard next <= count else { return nil }
            defer { next += 1 }
            yielded.append(next)
            return .object([(key: "id", value: .int(Int64(next)))])
        }
    }
}

/// Collects what a resource saw or did, across the `@Sendable` boundary of its closure.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value] = []

    func append(_ value: Value) {
        lock.lock()
        storage.append(value)
        lock.unlock()
    }

    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

extension IngestValue {
    func field(_ name: String) -> IngestValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.key == name }?.value
    }

    /// For the fake API's own `since` filter: ISO strings and timestamps as microseconds.
    var cursorMicros: Int64? {
        switch self {
        case .string(let text): ISO8601Timestamp.parse(text)
        case .timestamp(let micros): micros
        default: nil
        }
    }
}

extension IngestSandbox {
    /// Ids in the table, in order, one entry per loaded row (duplicates show as repeats).
    func ids(_ table: String = "github.repos") throws -> [Int64] {
        try query("SELECT id FROM \(table) ORDER BY id").map { row in
            guard case .bigint(let id) = row[0] else { return -1 }
            return id
        }
    }

    /// The incremental section the destination holds, from the newest state row.
    func storedCursor(_ cursorPath: String = "pushed_at", resource: String = "repos", pipeline: String = "repos_pipeline",
                      dataset: String = "github") throws -> [String: StateValue]? {
        guard case .varchar(let json)? = try query("SELECT state FROM \(dataset)._dlt_pipeline_state ORDER BY version DESC LIMIT 1").first?.first
        else { return nil }
        let state = try PipelineState.from(jsonData: Data(json.utf8))
        return state.resource(resource, source: pipeline)["incremental"]?.object?[cursorPath]?.object
    }
}

extension Pipeline {
    /// The incremental section of a resource as the pipeline remembers it locally.
    func cursorState(_ cursorPath: String = "pushed_at", resource: String = "repos") throws -> [String: StateValue]? {
        try currentState().resource(resource, source: name)["incremental"]?.object?[cursorPath]?.object
    }
}

/// A `repos` resource fetching from `api` since the incremental's start value.
func reposFromAPI(_ api: InclusiveRepoAPI, incremental: Incremental = Incremental(cursorPath: "pushed_at"),
                  primaryKey: [String] = ["id"], seen: Recorder<IncrementalCursor>? = nil) -> Resource {
    Resource("repos", hints: TableHints(table: "repos", primaryKey: primaryKey), incremental: incremental) { emit in
        if let cursor = emit.incremental { seen?.append(cursor) }
        for page in api.pages(pushedSince: emit.incremental?.startValue) {
            try emit.rows(page)
            if emit.shouldStop { break }
        }
    }
}

// MARK: - Incremental runs

struct IncrementalTests {
    @Test func rowsAtTheBoundaryLoadOnceAndNewRowsAtTheSameValueStillLoad() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        var rows = [pushedRepo(1, at: 1), pushedRepo(2, at: 2), pushedRepo(3, at: 3), pushedRepo(4, at: 3), pushedRepo(5, at: 1)]
        var info = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows)))
        #expect(info.rowCounts["repos"] == 5)
        #expect(try await pipeline.cursorState()?["last_value"] == .string(minute(3)))
        #expect(try await pipeline.cursorState()?["unique_hashes"]?.arrayCount == 2, "rows 3 and 4 sit at the last value")

        // The API answers since=minute 3 inclusively: rows 3 and 4 come again, over three pages.
        rows += [pushedRepo(6, at: 3), pushedRepo(7, at: 4), pushedRepo(8, at: 5), pushedRepo(9, at: 5)]
        info = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows)))
        #expect(info.rowCounts["repos"] == 4)
        #expect(try sandbox.ids() == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(try await pipeline.cursorState()?["last_value"] == .string(minute(5)))
        #expect(try await pipeline.cursorState()?["unique_hashes"]?.arrayCount == 2)

        // Nothing new: nothing loads, and the cursor stays.
        info = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows)))
        #expect(info.rowCounts["repos"] ?? 0 == 0)
        #expect(try sandbox.ids().count == 9)
        #expect(try sandbox.storedCursor()?["last_value"] == .string(minute(5)))

        // Only a new row at the same last value: it loads, and joins the remembered ones.
        rows.append(pushedRepo(10, at: 5))
        info = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows)))
        #expect(info.rowCounts["repos"] == 1)
        #expect(try sandbox.ids() == Array(1...10))
        #expect(try await pipeline.cursorState()?["unique_hashes"]?.arrayCount == 3)
    }

    @Test func withoutAPrimaryKeyTheWholeRowIdentifiesIt() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: [pushedRepo(1, at: 1), pushedRepo(2, at: 2)]), primaryKey: []))
        // Row 2 comes again unchanged (a duplicate) and changed at the same cursor value (new data).
        let again = [pushedRepo(2, at: 2), pushedRepo(2, at: 2, stars: 99)]
        let info = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: again), primaryKey: []))
        #expect(info.rowCounts["repos"] == 1)
        #expect(try sandbox.query("SELECT id, stars FROM github.repos ORDER BY id, stars") ==
                [[.bigint(1), .bigint(0)], [.bigint(2), .bigint(0)], [.bigint(2), .bigint(99)]])
    }

    @Test func theIncrementalsOwnPrimaryKeyOverridesTheTables() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let byID = Incremental(cursorPath: "pushed_at", primaryKey: ["id"])
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: [pushedRepo(1, at: 1)]), incremental: byID, primaryKey: []))
        // Same id and cursor, other stars: by the incremental's key it is the same row.
        let info = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: [pushedRepo(1, at: 1, stars: 5)]), incremental: byID, primaryKey: []))
        #expect(info.rowCounts["repos"] ?? 0 == 0)
    }

    @Test func theInitialValueBoundsTheFirstRunAndIsKeptInState() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let incremental = Incremental(cursorPath: "pushed_at", initialValue: .string(minute(2)))
        let rows = (1...4).map { pushedRepo($0, at: $0) }
        _ = try await pipeline.run(Resource.rows("repos", rows, hints: TableHints(table: "repos"), incremental: incremental))
        #expect(try sandbox.ids() == [2, 3, 4])
        let stored = try #require(try sandbox.storedCursor())
        #expect(stored["initial_value"] == .string(minute(2)))
        #expect(stored["last_value"] == .string(minute(4)))
    }

    @Test func minFollowsACursorThatShrinks() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        func countdown(_ values: [Int]) -> Resource {
            let rows: [IngestValue] = values.map { .object([(key: "id", value: .int(Int64($0))), (key: "remaining", value: .int(Int64($0)))]) }
            let incremental = Incremental(cursorPath: "remaining", initialValue: .int(100), lastValueFunction: .min)
            return .rows("repos", rows, hints: TableHints(table: "repos", primaryKey: ["id"]), incremental: incremental)
        }
        _ = try await pipeline.run(countdown([120, 100, 90, 80, 101]))
        #expect(try sandbox.ids() == [80, 90, 100])
        #expect(try await pipeline.cursorState("remaining")?["last_value"] == .int(80))
        _ = try await pipeline.run(countdown([95, 80, 70, 60]))
        #expect(try sandbox.ids() == [60, 70, 80, 90, 100], "80 sat at the last value and loaded before")
        #expect(try await pipeline.cursorState("remaining")?["last_value"] == .int(60))
    }

    @Test func anEndValueBackfillsItsWindowAndLeavesTheStateAlone() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let rows = (1...6).map { pushedRepo($0, at: $0) }
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: Array(rows[4...]))))
        let before = try await pipeline.currentState()
        let stateRows = try sandbox.count("github._dlt_pipeline_state")

        let seen = Recorder<IncrementalCursor>()
        let backfill = Incremental(cursorPath: "pushed_at", initialValue: .string(minute(2)), endValue: .string(minute(4)))
        let info = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows), incremental: backfill, seen: seen))
        #expect(info.rowCounts["repos"] == 2, "[minute 2, minute 4): rows 2 and 3")
        #expect(try sandbox.ids() == [2, 3, 5, 6])
        #expect(seen.values.first?.startValue == .string(minute(2)), "a backfill starts at its initial value, not at the stored cursor")
        #expect(seen.values.first?.endValue == .string(minute(4)))
        #expect(try await pipeline.currentState() == before)
        #expect(try sandbox.count("github._dlt_pipeline_state") == stateRows)

        // The regular run carries on from where it was: rows 5 and 6 are not loaded again.
        let next = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows + [pushedRepo(7, at: 7)])))
        #expect(next.rowCounts["repos"] == 1)
        #expect(try sandbox.ids() == [2, 3, 5, 6, 7])
    }

    @Test func aBackfillOnAFreshPipelineWritesNoCursor() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let backfill = Incremental(cursorPath: "pushed_at", initialValue: .string(minute(1)), endValue: .string(minute(3)), rangeEnd: .closed)
        _ = try await pipeline.run(.rows("repos", (1...5).map { pushedRepo($0, at: $0) }, incremental: backfill))
        #expect(try sandbox.ids() == [1, 2, 3], "a closed end includes minute 3")
        #expect(try await pipeline.cursorState() == nil)
    }

    @Test func ascendingRowsStopTheResourceOncePastTheEnd() async throws {
        let sandbox = try IngestSandbox()
        let yielded = Recorder<Int>()
        let rows = CountingRows(count: 1_000, yielded: yielded)
        let backfill = Incremental(cursorPath: "id", initialValue: .int(5), endValue: .int(10), rowOrder: .ascending)
        _ = try await sandbox.pipeline().run(.rows("repos", rows, incremental: backfill))
        #expect(try sandbox.ids() == Array(5..<10))
        #expect(yielded.values.count == 10, "the resource stopped at the first row past the end")
    }

    @Test func descendingRowsStopTheResourceOnceBelowTheStart() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let pagesFetched = Recorder<Int>()
        func newestFirst(_ newest: Int) -> Resource {
            let incremental = Incremental(cursorPath: "id", initialValue: .int(0), rowOrder: .descending)
            return Resource("repos", hints: TableHints(table: "repos", primaryKey: ["id"]), incremental: incremental) { emit in
                var top = newest
                while top > 0, !emit.shouldStop {
                    pagesFetched.append(top)
                    try emit.rows(stride(from: top, to: max(top - 10, 0), by: -1).map { .object([(key: "id", value: .int(Int64($0)))]) })
                    top -= 10
                }
            }
        }
        _ = try await pipeline.run(newestFirst(25))
        #expect(try sandbox.ids() == Array(1...25))
        #expect(pagesFetched.values == [25, 15, 5])
        // 30 down to 25 are at or above the last value (25, deduplicated); 24 is below: stop.
        _ = try await pipeline.run(newestFirst(1_000))
        #expect(try sandbox.ids() == Array(1...1_000))
        let secondRun = pagesFetched.values.dropFirst(3)
        #expect(secondRun.count == 98, "pages of 1000…991 down to 30…21; the page with 24 ends it")
        _ = try await pipeline.run(newestFirst(1_000))
        #expect(pagesFetched.values.count == 3 + 98 + 1, "nothing new: the first page's second row is below the start")
        #expect(try sandbox.ids().count == 1_000)
    }

    @Test func aSortedJSONDocumentIsReadOnlyUpToTheEnd() async throws {
        let sandbox = try IngestSandbox()
        let lines = (1...50).map { #"{"id": \#($0), "meta": {"seq": \#($0)}}"# }.joined(separator: "\n")
        let backfill = Incremental(cursorPath: "$.meta.seq", initialValue: .int(10), endValue: .int(13), rowOrder: .ascending)
        let info = try await sandbox.pipeline().run(.json("repos", Data(lines.utf8), incremental: backfill))
        #expect(try sandbox.ids() == [10, 11, 12])
        #expect(info.rowCounts["repos"] == 3)
    }

    @Test func aMissingCursorValueFailsTheRunAndSaysWhere() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let rows: [IngestValue] = [pushedRepo(1, at: 1), pushedRepo(2, at: 2), .object([(key: "id", value: .int(3))]), pushedRepo(4, at: 4)]
        let error = await #expect(throws: IngestError.self) {
            try await pipeline.run(.rows("repos", rows, incremental: Incremental(cursorPath: "pushed_at")))
        }
        #expect(error?.kind == .incrementalCursor)
        #expect(error?.message.contains("resource repos, row 3") == true)
        #expect(error?.message.contains("\"pushed_at\"") == true)
        #expect(error?.message.contains("onCursorValueMissing") == true)
        #expect(!FileManager.default.fileExists(atPath: sandbox.databasePath), "nothing was loaded")
        // A null is missing too.
        let nullCursor: IngestValue = .object([(key: "id", value: .int(5)), (key: "pushed_at", value: .null)])
        await #expect(throws: IngestError.self) {
            try await pipeline.run(.rows("repos", [nullCursor], incremental: Incremental(cursorPath: "pushed_at")))
        }
    }

    @Test(arguments: [Incremental.OnCursorValueMissing.include, .exclude])
    func rowsWithoutACursorValueCanLoadOrBeDropped(_ policy: Incremental.OnCursorValueMissing) async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let rows: [IngestValue] = [
            pushedRepo(1, at: 1), .object([(key: "id", value: .int(2))]),
            .object([(key: "id", value: .int(3)), (key: "pushed_at", value: .null)]), pushedRepo(4, at: 4),
        ]
        let incremental = Incremental(cursorPath: "pushed_at", onCursorValueMissing: policy)
        _ = try await pipeline.run(.rows("repos", rows, incremental: incremental))
        #expect(try sandbox.ids() == (policy == .include ? [1, 2, 3, 4] : [1, 4]))
        #expect(try await pipeline.cursorState()?["last_value"] == .string(minute(4)), "rows without a cursor do not move it")
    }

    @Test func aNumericLagReadsTheLastStretchAgain() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let seen = Recorder<IncrementalCursor>()
        func sequence(_ ids: ClosedRange<Int>) -> Resource {
            Resource("repos", incremental: Incremental(cursorPath: "id", initialValue: .int(3), lag: 4)) { emit in
                seen.append(try #require(emit.incremental))
                try emit.rows(ids.map { .object([(key: "id", value: .int(Int64($0)))]) })
            }
        }
        _ = try await pipeline.run(sequence(1...10))
        #expect(seen.values[0].startValue == .int(3), "no stored value yet: the lag does not apply")
        _ = try await pipeline.run(sequence(1...12))
        #expect(seen.values[1].lastValue == .int(10))
        #expect(seen.values[1].startValue == .int(6))
        #expect(try sandbox.ids() == (Array(3...10) + Array(6...12)).sorted(), "6…10 are read again: a lag is for merges that update them")
        _ = try await pipeline.run(sequence(1...12))
        #expect(seen.values[2].startValue == .int(8))
    }

    @Test func aTimestampLagIsInSecondsAndNeverReachesBehindTheInitialValue() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let seen = Recorder<IncrementalCursor>()
        let incremental = Incremental(cursorPath: "pushed_at", initialValue: .string(minute(1)), lag: 90)
        let rows = (1...4).map { pushedRepo($0, at: $0) }
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: Array(rows[..<1])), incremental: incremental, seen: seen))
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: Array(rows[..<2])), incremental: incremental, seen: seen))
        #expect(seen.values[1].startValue == .string(minute(1)), "minute 1 − 90 s is before the initial value")
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows), incremental: incremental, seen: seen))
        #expect(seen.values[2].startValue == .string(minute(1)))
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows), incremental: incremental, seen: seen))
        #expect(seen.values[3].startValue == .string("2024-01-01T00:02:30Z"), "minute 4 − 90 s")
        #expect(try sandbox.ids() == [1, 1, 1, 2, 2, 3, 3, 4, 4], "what the lag reaches back over is read again")
    }

    @Test func anOpenStartSkipsEveryRowAtTheLastValue() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let open = Incremental(cursorPath: "pushed_at", rangeStart: .open)
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: [pushedRepo(1, at: 1), pushedRepo(2, at: 2)]), incremental: open))
        let rows = [pushedRepo(1, at: 1), pushedRepo(2, at: 2), pushedRepo(3, at: 2), pushedRepo(4, at: 3)]
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows), incremental: open))
        #expect(try sandbox.ids() == [1, 2, 4], "row 3 is new but at the last value, which an open start excludes")
    }

    @Test(arguments: [(Incremental.RangeBoundary.open, [2, 3] as [Int64]), (.closed, [2, 3, 4])])
    func theEndIsOpenUnlessClosed(_ end: Incremental.RangeBoundary, _ expected: [Int64]) async throws {
        let sandbox = try IngestSandbox()
        let backfill = Incremental(cursorPath: "pushed_at", initialValue: .string(minute(2)), endValue: .string(minute(4)), rangeEnd: end)
        _ = try await sandbox.pipeline().run(.rows("repos", (1...5).map { pushedRepo($0, at: $0) }, incremental: backfill))
        #expect(try sandbox.ids() == expected)
    }

    @Test func theResourceSeesTheCursorBeforeItFetches() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let seen = Recorder<IncrementalCursor>()
        let incremental = Incremental(cursorPath: "pushed_at", initialValue: .string(minute(0)))
        let api = InclusiveRepoAPI(rows: [pushedRepo(1, at: 1), pushedRepo(2, at: 2)])
        _ = try await pipeline.run(reposFromAPI(api, incremental: incremental, seen: seen))
        _ = try await pipeline.run(reposFromAPI(api, incremental: incremental, seen: seen))
        #expect(seen.values == [
            IncrementalCursor(cursorPath: "pushed_at", initialValue: .string(minute(0)), startValue: .string(minute(0)),
                              lastValue: .string(minute(0)), endValue: nil),
            IncrementalCursor(cursorPath: "pushed_at", initialValue: .string(minute(0)), startValue: .string(minute(2)),
                              lastValue: .string(minute(2)), endValue: nil),
        ])
        // A new pipeline object restores the cursor from the destination alone.
        try FileManager.default.removeItem(at: sandbox.pipelines)
        _ = try await sandbox.pipeline().run(reposFromAPI(api, incremental: incremental, seen: seen))
        #expect(seen.values.last?.startValue == .string(minute(2)))
        #expect(try sandbox.ids() == [1, 2])
    }

    @Test func theLastValueMovesWithTheRowsDuringTheRun() async throws {
        let sandbox = try IngestSandbox()
        let seen = Recorder<IngestValue?>()
        let resource = Resource("repos", incremental: Incremental(cursorPath: "pushed_at")) { emit in
            seen.append(emit.incremental?.lastValue)
            for id in [2, 1, 3] {
                try emit.row(pushedRepo(id, at: id))
                seen.append(emit.incremental?.lastValue)
            }
        }
        _ = try await sandbox.pipeline().run(resource)
        #expect(seen.values == [nil, .string(minute(2)), .string(minute(2)), .string(minute(3))])
    }

    @Test func cursorPathsReachIntoNestedObjectsAndLists() async throws {
        let sandbox = try IngestSandbox()
        func row(_ id: Int, _ day: String) -> IngestValue {
            .object([(key: "id", value: .int(Int64(id))),
                     (key: "owner", value: .object([(key: "updated_at", value: .string(day))])),
                     (key: "events", value: .array([.object([(key: "ts", value: .int(Int64(id * 10)))])]))])
        }
        let rows = [row(1, "2024-01-01"), row(2, "2024-03-01"), row(3, "2024-02-01")]
        let pipeline = try sandbox.pipeline()
        _ = try await pipeline.run(.rows("repos", rows, incremental: Incremental(cursorPath: "$.owner.updated_at", initialValue: .date(19_754))))
        #expect(try sandbox.ids() == [2, 3], "2024-02-01 is day 19,754: dates compare with date strings")
        #expect(try await pipeline.cursorState("$.owner.updated_at")?["last_value"] == .string("2024-03-01"))
        _ = try await pipeline.run(.rows("events", rows, incremental: Incremental(cursorPath: "events[0].ts", initialValue: .int(20))))
        #expect(try sandbox.ids("github.events") == [2, 3])
    }

    @Test func timestampValuesAndTimestampStringsAreTheSameCursor() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        func row(_ id: Int, _ cursor: IngestValue) -> IngestValue { .object([(key: "id", value: .int(Int64(id))), (key: "pushed_at", value: cursor)]) }
        let noon = ISO8601Timestamp.parse("2024-05-01T12:00:00Z")!
        _ = try await pipeline.run(.rows("repos", [row(1, .timestamp(noon))], hints: TableHints(table: "repos", primaryKey: ["id"]),
                                         incremental: Incremental(cursorPath: "pushed_at")))
        #expect(try await pipeline.cursorState()?["last_value"] == .string("2024-05-01T12:00:00Z"))
        // The same instant in another zone is the boundary, an hour earlier is out, a second later is in.
        let rows = [row(1, .string("2024-05-01T14:00:00+02:00")), row(2, .string("2024-05-01T11:00:00Z")), row(3, .timestamp(noon + 1_000_000))]
        _ = try await pipeline.run(.rows("repos", rows, hints: TableHints(table: "repos", primaryKey: ["id"]),
                                         incremental: Incremental(cursorPath: "pushed_at")))
        #expect(try sandbox.ids() == [1, 3])
    }
}

extension StateValue {
    var arrayCount: Int? {
        guard case .array(let items) = self else { return nil }
        return items.count
    }
}
