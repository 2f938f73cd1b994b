import CDuckDB

/// Bulk insert into one table, far faster than INSERT statements.
///
/// Rows (`append(_:)`) and whole columns (`append(columns:)`) are written straight into
/// DuckDB-format chunks of 2048 rows, which are handed over as they fill; `flush()` or
/// `close()` hands over the rest. Nested types (LIST, STRUCT, MAP) are supported. Data appended
/// but not yet flushed is lost if the appender is dropped without `close()`; an error names the
/// table and keeps DuckDB's text.
public final class Appender {
    private var raw: duckdb_appender?
    public let table: String
    public let columnTypes: [DuckDBType]
    private let chunk: DataChunk
    private var row = 0
    private let connection: Connection

    init(connection: Connection, catalog: String?, schema: String?, table: String) throws {
        self.connection = connection
        self.table = [catalog, schema, table].compactMap { $0 }.joined(separator: ".")
        var appender: duckdb_appender?
        let state = duckdb_appender_create_ext(connection.handle.raw, catalog, schema, table, &appender)
        guard state == DuckDBSuccess, let appender else {
            let error = Appender.error(appender, table: self.table)
            duckdb_appender_destroy(&appender)
            throw error
        }
        raw = appender
        columnTypes = (0..<duckdb_appender_column_count(appender)).map { index in
            var logical = duckdb_appender_column_type(appender, index)
            defer { duckdb_destroy_logical_type(&logical) }
            return DuckDBType(logical!)
        }
        chunk = DataChunk(types: columnTypes)
    }

    deinit {
        duckdb_appender_destroy(&raw)
    }

    private static func error(_ appender: duckdb_appender?, table: String) -> DuckDBError {
        var data = duckdb_appender_error_data(appender)
        defer { duckdb_destroy_error_data(&data) }
        guard let data, duckdb_error_data_has_error(data) else {
            return DuckDBError(.catalog, message: "could not append to \(table)")
        }
        return DuckDBError(DuckDBError.Kind(duckdb_error_data_error_type(data)),
                           message: String(cString: duckdb_error_data_message(data)), sql: "APPEND INTO \(table)")
    }

    private func ensureOpen() throws -> duckdb_appender {
        guard let raw else { throw DuckDBError.misuse("the appender for \(table) is closed") }
        return raw
    }

    /// Appends one row; values are converted to the column types where that is lossless.
    public func append(_ values: [DuckDBValue]) throws {
        _ = try ensureOpen()
        guard values.count == columnTypes.count else {
            throw DuckDBError.misuse("\(table) has \(columnTypes.count) columns, the row has \(values.count) values")
        }
        for (column, value) in values.enumerated() {
            do {
                try chunk.columns[column].set(value, at: row)
            } catch let error as DuckDBError {
                throw DuckDBError(error.kind, message: "\(table) column \(column + 1): \(error.message)")
            }
        }
        row += 1
        if row == DataChunk.capacity { try handOver() }
    }

    /// Appends one row of Swift values: `try appender.append(1, "a", nil)`.
    public func append(_ values: (any DuckDBValueConvertible)?...) throws {
        try append(values.map { $0?.duckDBValue ?? .null })
    }

    /// Appends whole columns, all of the same length: the fastest path.
    public func append(columns: [ColumnValues]) throws {
        _ = try ensureOpen()
        guard columns.count == columnTypes.count else {
            throw DuckDBError.misuse("\(table) has \(columnTypes.count) columns, \(columns.count) were given")
        }
        let count = columns.first?.count ?? 0
        guard columns.allSatisfy({ $0.count == count }) else {
            throw DuckDBError.misuse("columns appended to \(table) differ in length: \(columns.map(\.count))")
        }
        var start = 0
        while start < count {
            let n = min(DataChunk.capacity - row, count - start)
            for (index, values) in columns.enumerated() {
                do {
                    try values.write(chunk.columns[index], from: start, count: n, at: row)
                } catch let error as DuckDBError {
                    throw DuckDBError(error.kind, message: "\(table) column \(index + 1): \(error.message)")
                }
            }
            row += n
            start += n
            if row == DataChunk.capacity { try handOver() }
        }
    }

    /// Appends a chunk built by the caller (its column types must match the table's).
    public func append(_ external: DataChunk) throws {
        try handOver()
        guard duckdb_append_data_chunk(try ensureOpen(), external.handle) == DuckDBSuccess else {
            throw Appender.error(raw, table: table)
        }
    }

    private func handOver() throws {
        guard row > 0 else { return }
        chunk.count = row
        defer {
            chunk.reset()
            row = 0
        }
        guard duckdb_append_data_chunk(try ensureOpen(), chunk.handle) == DuckDBSuccess else {
            throw Appender.error(raw, table: table)
        }
    }

    /// Writes everything appended so far into the table.
    public func flush() throws {
        try handOver()
        guard duckdb_appender_flush(try ensureOpen()) == DuckDBSuccess else {
            throw Appender.error(raw, table: table)
        }
    }

    /// Flushes and closes; the appender cannot be used afterwards.
    public func close() throws {
        guard raw != nil else { return }
        defer { duckdb_appender_destroy(&raw) }
        try handOver()
        guard duckdb_appender_close(raw) == DuckDBSuccess else {
            throw Appender.error(raw, table: table)
        }
    }
}
