import CDuckDB

/// Up to `DataChunk.capacity` rows in columnar form: what DuckDB streams out of a query and
/// what an appender takes in.
public final class DataChunk {
    let handle: duckdb_data_chunk
    private let owned: Bool
    /// Views of the columns; rebuilt on `reset()`, which may move DuckDB's buffers.
    public private(set) var columns: [Vector]

    /// Rows a chunk holds at most (DuckDB's vector size, 2048).
    public static var capacity: Int { Int(duckdb_vector_size()) }

    init(handle: duckdb_data_chunk, owned: Bool) {
        self.handle = handle
        self.owned = owned
        columns = (0..<duckdb_data_chunk_get_column_count(handle)).map { Vector(duckdb_data_chunk_get_vector(handle, $0)!) }
    }

    /// An empty chunk to fill and append.
    public convenience init(types: [DuckDBType]) {
        var logical: [duckdb_logical_type?] = types.map { $0.makeLogicalType() }
        defer { for index in logical.indices { duckdb_destroy_logical_type(&logical[index]) } }
        let handle = logical.withUnsafeMutableBufferPointer { duckdb_create_data_chunk($0.baseAddress, UInt64(types.count)) }!
        self.init(handle: handle, owned: true)
    }

    deinit {
        if owned {
            var chunk: duckdb_data_chunk? = handle
            duckdb_destroy_data_chunk(&chunk)
        }
    }

    public var count: Int {
        get { Int(duckdb_data_chunk_get_size(handle)) }
        set { duckdb_data_chunk_set_size(handle, UInt64(newValue)) }
    }

    public subscript(column: Int) -> Vector { columns[column] }

    /// Writes a value; set `count` once the rows are written.
    public func set(_ value: DuckDBValue, column: Int, row: Int) throws {
        guard row < DataChunk.capacity else {
            throw DuckDBError.misuse("row \(row) is past a chunk's capacity of \(DataChunk.capacity)")
        }
        try columns[column].set(value, at: row)
    }

    /// Writes `count` values of `values` from index `start` into `column`, rows `row…`: whole
    /// columns at a time, as `Appender.append(columns:)` does (set `count` once the rows are written).
    public func write(_ values: ColumnValues, column: Int, from start: Int, count: Int, at row: Int) throws {
        guard start >= 0, count >= 0, start + count <= values.count, row >= 0, row + count <= DataChunk.capacity else {
            throw DuckDBError.misuse("cannot write \(count) values from \(start) of \(values.count) at row \(row) of a chunk of \(DataChunk.capacity)")
        }
        try values.write(columns[column], from: start, count: count, at: row)
    }

    /// Sets `rows` of `column` to NULL.
    public func setNull(column: Int, rows: Range<Int>) {
        for row in rows { columns[column].setNull(row) }
    }

    /// Empties the chunk for reuse.
    public func reset() {
        duckdb_data_chunk_reset(handle)
        columns = (0..<duckdb_data_chunk_get_column_count(handle)).map { Vector(duckdb_data_chunk_get_vector(handle, $0)!) }
    }

    /// The values of one row.
    public func row(_ index: Int) -> [DuckDBValue] {
        columns.map { $0.value(at: index) }
    }
}
