import DuckDB
import Foundation
@testable import HangarIngest
import HangarTestSupport
import Testing

/// Runs that fail, cursor values that do not fit, and the bound on the boundary keys.
struct IncrementalFailureTests {
    static func namedRepo(_ id: Int, at minuteValue: Int) -> IngestValue {
        .object([(key: "id", value: .int(Int64(id))), (key: "name", value: .string("repo-\(id)")),
                 (key: "pushed_at", value: .string(minute(minuteValue)))])
    }

    @Test func aFailedLoadLeavesTheCursorWhereItWas() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let seen = Recorder<IncrementalCursor>()
        var rows = [Self.namedRepo(1, at: 1), Self.namedRepo(2, at: 2)]
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows), seen: seen))
        #expect(try sandbox.storedCursor()?["last_value"] == .string(minute(2)))

        // Someone changes the table by hand: the next load's text cannot go into `name` any more.
        try Database(path: sandbox.databasePath).connect().execute("ALTER TABLE github.repos ALTER name TYPE INTEGER USING NULL")
        rows += [Self.namedRepo(3, at: 3), Self.namedRepo(4, at: 4)]
        let error = await #expect(throws: IngestError.self) {
            try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows), seen: seen))
        }
        #expect(error?.kind == .loadFailed)
        #expect(try sandbox.ids() == [1, 2])
        #expect(try sandbox.storedCursor()?["last_value"] == .string(minute(2)))
        #expect(try await pipeline.cursorState()?["last_value"] == .string(minute(2)))
        #expect(try await sandbox.pipeline().cursorState()?["last_value"] == .string(minute(2)), "the local state file did not move either")

        try Database(path: sandbox.databasePath).connect().execute("ALTER TABLE github.repos ALTER name TYPE VARCHAR")
        let info = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: rows), seen: seen))
        #expect(seen.values.map(\.startValue) == [nil, .string(minute(2)), .string(minute(2))])
        #expect(info.rowCounts["repos"] == 2)
        #expect(try sandbox.ids() == [1, 2, 3, 4])
        #expect(try sandbox.storedCursor()?["last_value"] == .string(minute(4)))
    }

    @Test func aResourceFailingMidwayMovesNothing() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        struct APIDown: Error {}
        let failing = Resource("repos", hints: TableHints(table: "repos", primaryKey: ["id"]), incremental: Incremental(cursorPath: "pushed_at")) { emit in
            try emit.rows([pushedRepo(1, at: 1), pushedRepo(2, at: 2)])
            throw APIDown()
        }
        await #expect(throws: IngestError.self) { try await pipeline.run(failing) }
        #expect(try await pipeline.cursorState() == nil)
        _ = try await pipeline.run(reposFromAPI(InclusiveRepoAPI(rows: [pushedRepo(1, at: 1), pushedRepo(2, at: 2)])))
        #expect(try sandbox.ids() == [1, 2])
    }

    @Test func aCursorValueOfAnotherKindFailsTheRunAndSaysWhere() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        _ = try await pipeline.run(.rows("repos", [pushedRepo(1, at: 1)], incremental: Incremental(cursorPath: "pushed_at")))
        let numbered: IngestValue = .object([(key: "id", value: .int(2)), (key: "pushed_at", value: .int(1_700_000_000))])
        let error = await #expect(throws: IngestError.self) {
            try await pipeline.run(.rows("repos", [pushedRepo(2, at: 2), numbered], incremental: Incremental(cursorPath: "pushed_at")))
        }
        #expect(error?.kind == .incrementalCursor)
        #expect(error?.message == """
            resource repos, row 2: its cursor value at "pushed_at" cannot be compared with the start value: \
            the integer 1700000000 cannot be ordered against the timestamp "2024-01-01T00:01:00Z"
            """)
        #expect(try sandbox.ids() == [1])

        let flag: IngestValue = .object([(key: "id", value: .int(3)), (key: "pushed_at", value: .bool(true))])
        let unusable = await #expect(throws: IngestError.self) {
            try await pipeline.run(.rows("repos", [flag], incremental: Incremental(cursorPath: "pushed_at")))
        }
        #expect(unusable?.message.contains("row 1: its cursor value at \"pushed_at\" is unusable: the boolean true cannot be a cursor") == true)
    }

    @Test(arguments: [
        (Incremental(cursorPath: "$..pushed_at"), "recursive descent"),
        (Incremental(cursorPath: "items[*].ts"), "neither an index nor a quoted member name"),
        (Incremental(cursorPath: ""), "empty member name"),
        (Incremental(cursorPath: "id", lag: -1), "its lag is -1.0"),
        (Incremental(cursorPath: "id", initialValue: .int(1), endValue: .string("2024-01-01T00:00:00Z")),
         "its initial and end values cannot be compared: the integer 1 cannot be ordered against the timestamp"),
        (Incremental(cursorPath: "id", initialValue: .binary(Data([1]))), "its initial value is unusable: binary data cannot be a cursor"),
    ])
    func aMisconfiguredIncrementalFailsBeforeAnyRow(_ incremental: Incremental, _ expected: String) async throws {
        let sandbox = try IngestSandbox()
        let produced = Recorder<Int>()
        let resource = Resource("repos", incremental: incremental) { emit in
            produced.append(1)
            try emit.row(pushedRepo(1, at: 1))
        }
        let error = await #expect(throws: IngestError.self) { try await sandbox.pipeline().run(resource) }
        #expect(error?.kind == .incrementalCursor)
        #expect(error?.message.hasPrefix("resource repos: the incremental cannot run: ") == true)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        #expect(produced.values.isEmpty)
    }

    @Test func aLagNeedsACursorThatCanMove() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let named: IngestValue = .object([(key: "id", value: .int(1)), (key: "name", value: .string("alpha"))])
        _ = try await pipeline.run(.rows("repos", [named], incremental: Incremental(cursorPath: "name", lag: 1)))
        let error = await #expect(throws: IngestError.self) {
            try await pipeline.run(.rows("repos", [named], incremental: Incremental(cursorPath: "name", lag: 1)))
        }
        #expect(error?.message.contains("its lag cannot be applied: a lag needs a number, a timestamp or a date to move, and the last value is the string \"alpha\"") == true)
    }

    @Test(.fullRunOnly) func theBoundaryKeysAreBoundedAndKeepTheMostRecent() async throws {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        let limit = Incremental.boundaryKeyLimit
        let rows = (1...(limit + 5)).map { pushedRepo($0, at: 1) }
        func resource() -> Resource {
            .rows("repos", rows, hints: TableHints(table: "repos", primaryKey: ["id"]), incremental: Incremental(cursorPath: "pushed_at"))
        }
        _ = try await pipeline.run(resource())
        let keys = try #require(try await pipeline.cursorState()?["unique_hashes"])
        guard case .array(let stored) = keys else { Issue.record("unique_hashes is not a list"); return }
        #expect(stored.count == limit)
        let digest = RowKeyDigest(primaryKey: ["id"])
        #expect(stored.first == .string(digest.digest(of: rows[5])), "the 5 oldest keys were forgotten")
        #expect(stored.last == .string(digest.digest(of: rows[limit + 4])))

        // The documented consequence: exactly the forgotten rows load a second time.
        let info = try await pipeline.run(resource())
        #expect(info.rowCounts["repos"] == 5)
        #expect(try sandbox.query("SELECT id FROM github.repos GROUP BY id HAVING count(*) > 1 ORDER BY id") ==
                (1...5).map { [.bigint(Int64($0))] })
    }
}
