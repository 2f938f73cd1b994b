import DuckDB

/// A query result read row by row, knowing whether the statement returns anything worth printing.
final class StreamedResult {
    private let result: ResultSet

    let columnNames: [String]
    let columnTypes: [DuckDBType]

    init(_ result: ResultSet) {
        self.result = result
        columnNames = result.columnNames.names
        columnTypes = result.columnTypes
    }

    func next() throws -> Row? {
        try result.next()
    }

    /// True for statements that return nothing (CREATE, SET, BEGIN, ATTACH …): DuckDB still hands
    /// back an empty placeholder column, which is not worth a table, a `[]` or a header.
    func isStatementWithoutResult() throws -> Bool {
        result.kind == .nothing || columnNames.isEmpty
    }
}
