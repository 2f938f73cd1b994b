import CDuckDB

/// A query result, streamed from DuckDB one chunk at a time: a large result is never held in
/// memory whole. Read it once, by chunks (`nextChunk()`) or by rows (`next()`).
///
/// While a result is being read its connection is busy; running another statement on the same
/// connection ends the stream (the next read throws).
public final class ResultSet {
    private let result: UnsafeMutablePointer<duckdb_result>
    private let statement: PreparedStatement
    public let columnNames: ColumnNames
    public let columnTypes: [DuckDBType]
    private var chunk: DataChunk?
    private var rowInChunk = 0
    private var finished = false

    init(result: UnsafeMutablePointer<duckdb_result>, statement: PreparedStatement) {
        self.result = result
        self.statement = statement
        let count = duckdb_column_count(result)
        columnNames = ColumnNames((0..<count).map { String(cString: duckdb_column_name(result, $0)) })
        columnTypes = (0..<count).map { index in
            var logical = duckdb_column_logical_type(result, index)
            defer { duckdb_destroy_logical_type(&logical) }
            return DuckDBType(logical!)
        }
    }

    deinit {
        duckdb_destroy_result(result)
        result.deallocate()
    }

    public var sql: String { statement.sql }

    /// What the statement gives back, as DuckDB classifies it.
    public enum Kind: Sendable {
        /// Rows to read (SELECT, FROM, CALL, SHOW, …).
        case rows
        /// A count of changed rows (INSERT, UPDATE, DELETE, CREATE TABLE AS).
        case changedRows
        /// Nothing: DuckDB still returns an empty placeholder column (CREATE, SET, BEGIN, …).
        case nothing
    }

    public var kind: Kind {
        switch duckdb_result_return_type(result.pointee) {
        case DUCKDB_RESULT_TYPE_CHANGED_ROWS: .changedRows
        case DUCKDB_RESULT_TYPE_NOTHING: .nothing
        default: .rows
        }
    }

    /// Rows changed by an INSERT, UPDATE or DELETE.
    public var rowsChanged: Int { Int(duckdb_rows_changed(result)) }

    /// The next chunk of rows, or nil at the end.
    public func nextChunk() throws -> DataChunk? {
        guard !finished else { return nil }
        guard let handle = duckdb_fetch_chunk(result.pointee) else {
            finished = true
            chunk = nil
            if let error = duckdb_result_error(result) {
                throw DuckDBError(DuckDBError.Kind(duckdb_result_error_type(result)), message: String(cString: error), sql: sql)
            }
            return nil
        }
        return DataChunk(handle: handle, owned: true)
    }

    /// The next row, or nil at the end.
    public func next() throws -> Row? {
        while chunk == nil || rowInChunk >= chunk!.count {
            guard let next = try nextChunk() else { return nil }
            chunk = next
            rowInChunk = 0
        }
        defer { rowInChunk += 1 }
        return Row(columns: columnNames, values: chunk!.row(rowInChunk))
    }

    /// Every remaining row.
    public func all() throws -> [Row] {
        var rows: [Row] = []
        while let row = try next() { rows.append(row) }
        return rows
    }

    /// Calls `body` with each remaining row.
    public func forEach(_ body: (Row) throws -> Void) throws {
        while let row = try next() { try body(row) }
    }

    /// Every remaining row decoded into `T`, fields matched to columns by name.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> [T] {
        var decoded: [T] = []
        while let row = try next() { decoded.append(try row.decode(type)) }
        return decoded
    }
}
