import DuckDB

/// A query result read row by row, with a look at the first row before anything is printed.
///
/// The look ahead is how a statement that returns nothing is recognised. DuckDB hands back a
/// placeholder result for those, an empty `Success BOOLEAN` column (SET, BEGIN, ATTACH …) or an
/// empty `Count BIGINT` column (CREATE), and the Swift binding does not pass on DuckDB's
/// `duckdb_result_return_type`, which would say so directly.
final class StreamedResult {
    private let result: ResultSet
    private var peeked: Row?
    private var hasPeeked = false

    let columnNames: [String]
    let columnTypes: [DuckDBType]

    init(_ result: ResultSet) {
        self.result = result
        columnNames = result.columnNames.names
        columnTypes = result.columnTypes
    }

    func next() throws -> Row? {
        if hasPeeked {
            hasPeeked = false
            defer { peeked = nil }
            return peeked
        }
        return try result.next()
    }

    /// True for DuckDB's placeholder results, which are not worth a table, a `[]` or a header.
    func isStatementWithoutResult() throws -> Bool {
        let placeholders: [(String, DuckDBType)] = [("Success", .boolean), ("Count", .bigint)]
        if columnNames.isEmpty { return true }
        guard columnNames.count == 1,
              placeholders.contains(where: { $0.0 == columnNames[0] && $0.1 == columnTypes[0] }) else { return false }
        if !hasPeeked {
            peeked = try result.next()
            hasPeeked = true
        }
        return peeked == nil
    }
}
