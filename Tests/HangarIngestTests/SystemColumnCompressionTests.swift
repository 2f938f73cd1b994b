import DuckDB
import Foundation
@testable import HangarIngest
import Testing

/// Row-id columns are stored the way they compress best without DuckDB trying every method.
struct SystemColumnCompressionTests {
    @Test func newTablesFixTheStorageOfRowIDColumnsOnly() {
        func clause(_ name: String, _ type: DataType) -> String {
            SystemColumnCompression.clause(for: ColumnSchema(name: name, dataType: type))
        }
        #expect(clause("_dlt_id", .text) == " USING COMPRESSION uncompressed")
        #expect(clause("_dlt_parent_id", .text) == " USING COMPRESSION dictionary")
        #expect(clause("_dlt_root_id", .text) == " USING COMPRESSION dictionary")
        #expect(clause("_dlt_load_id", .text) == " USING COMPRESSION dictionary")
        #expect(clause("full_name", .text) == "")
        #expect(clause("_dlt_id", .bigint) == "", "a user's own _dlt_id of another type is left alone")
    }

    /// DuckDB takes the clause beside NOT NULL, and the table loads, appends and reads as before.
    @Test func rowIDsAreStoredUncompressedAndParentIDsAsADictionary() async throws {
        let sandbox = try IngestSandbox()
        // One topic per repository: every child row's parent and root ids are distinct, where
        // DuckDB left to itself does not choose a dictionary.
        let rows = (0..<5_000).map { repoRow($0, topics: ["sql"]) }
        // A merge: its child rows carry `_dlt_root_id` as well.
        _ = try await sandbox.pipeline().run(rows, table: "repos", writeDisposition: .merge, primaryKey: ["id"])
        func compressions(_ table: String, _ column: String) throws -> Set<String> {
            Set(try sandbox.query("""
                SELECT DISTINCT compression FROM pragma_storage_info('github.\(table)')
                WHERE column_name = '\(column)' AND segment_type = 'VARCHAR'
                """).compactMap { row -> String? in
                    guard case .varchar(let name)? = row.first else { return nil }
                    return name
                })
        }
        #expect(try compressions("repos", "_dlt_id") == ["Uncompressed"])
        #expect(try compressions("repos__topics", "_dlt_id") == ["Uncompressed"])
        #expect(try compressions("repos__topics", "_dlt_parent_id") == ["Dictionary"])
        #expect(try compressions("repos__topics", "_dlt_root_id") == ["Dictionary"])
        #expect(try sandbox.count("github.repos__topics") == 5_000)
        // A later load appends under the same storage.
        _ = try await sandbox.pipeline().run((4_000..<6_000).map { repoRow($0) }, table: "repos", writeDisposition: .merge, primaryKey: ["id"])
        #expect(try compressions("repos", "_dlt_id") == ["Uncompressed"])
        #expect(try sandbox.count("github.repos") == 6_000)
    }
}
