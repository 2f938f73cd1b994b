import DuckDB
import Foundation
@testable import HangarIngest
import HangarTestSupport
import Testing

/// Deleted rows wait in a table until they are a share of it; the checkpoint of the first load
/// that finds them above it compacts them. Checked on a real DuckDB file, with DuckDB's own
/// checkpoints.
struct DeletedRowsCompactionTests {
    @Test func deletedRowsWaitUntilTheyAreAShareOfTheTableThenACheckpointCompactsThem() throws {
        let scratch = try ScratchDirectory(), folder = scratch.url
        let connection = try Database(path: folder.appendingPathComponent("d.duckdb").path).connect()
        // Five row groups of DuckDB's 122,880 rows: enough for a compaction to save row groups.
        try connection.execute("CREATE TABLE t AS SELECT range AS id, 'repository ' || range AS name FROM range(600000)")
        try connection.execute("CHECKPOINT")
        let compaction = DeletedRowsCompaction(threshold: 0.2)

        // A load deletes 30% of the rows; before it, none were deleted: compaction is not due.
        let beforeFirst = try DeletedRowsCompaction.storedRows(schema: "main", table: "t", on: connection)
        #expect(beforeFirst == .init(stored: 600_000, live: 600_000))
        #expect(!compaction.isDue([beforeFirst]))
        try connection.execute("DELETE FROM t WHERE id % 10 < 3")
        try compaction.apply(due: false, on: connection)
        try connection.execute("CHECKPOINT")
        let afterFirst = try DeletedRowsCompaction.storedRows(schema: "main", table: "t", on: connection)
        #expect(afterFirst == .init(stored: 600_000, live: 420_000), "the deleted rows are kept")
        #expect(try connection.scalar("SELECT count(*) FROM t WHERE id % 10 < 3", as: Int.self) == 0)

        // The next load finds 30% deleted, above the share: its checkpoint compacts.
        #expect(compaction.isDue([afterFirst]))
        try connection.execute("DELETE FROM t WHERE id = 5")
        try compaction.apply(due: true, on: connection)
        try connection.execute("CHECKPOINT")
        let afterSecond = try DeletedRowsCompaction.storedRows(schema: "main", table: "t", on: connection)
        #expect(afterSecond.live == 419_999)
        #expect(afterSecond.stored < 500_000, "row groups were merged without their deleted rows")
        #expect(try connection.scalar("SELECT sum(id) FROM t", as: Int.self)
                == (0..<600_000).reduce(0) { $0 + ($1 % 10 < 3 || $1 == 5 ? 0 : $1) })
    }

    @Test func aShareIsMeasuredPerTableAndAnEmptyTableHasNone() {
        let compaction = DeletedRowsCompaction(threshold: 0.2)
        #expect(DeletedRowsCompaction.StoredRows(stored: 0, live: 0).deletedShare == 0)
        #expect(!compaction.isDue([.init(stored: 100, live: 81), .init(stored: 0, live: 0)]))
        #expect(compaction.isDue([.init(stored: 100, live: 100), .init(stored: 100, live: 80)]))
        #expect(DeletedRowsCompaction(threshold: 0).isDue([.init(stored: 10, live: 10)]), "0 compacts at every load")
    }
}
