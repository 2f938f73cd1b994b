import CDuckDB

/// A whole column of values for `Appender.append(columns:)`; typed cases are copied into
/// DuckDB's memory without a per-value detour.
public enum ColumnValues: Sendable {
    case booleans([Bool?])
    case int32s([Int32?])
    case int64s([Int64?])
    case doubles([Double?])
    case strings([String?])
    /// Text held in one buffer (see `UTF8Column`).
    case utf8(UTF8Column)
    case timestamps([DuckDBTimestamp?])
    case values([DuckDBValue])

    public var count: Int {
        switch self {
        case .booleans(let v): v.count
        case .int32s(let v): v.count
        case .int64s(let v): v.count
        case .doubles(let v): v.count
        case .strings(let v): v.count
        case .utf8(let v): v.count
        case .timestamps(let v): v.count
        case .values(let v): v.count
        }
    }

    func write(_ vector: Vector, from start: Int, count: Int, at row: Int) throws {
        switch (self, vector.storage) {
        case (.booleans(let v), DUCKDB_TYPE_BOOLEAN): Self.copy(v, start, count, vector, row)
        case (.int32s(let v), DUCKDB_TYPE_INTEGER): Self.copy(v, start, count, vector, row)
        case (.int64s(let v), DUCKDB_TYPE_BIGINT): Self.copy(v, start, count, vector, row)
        case (.doubles(let v), DUCKDB_TYPE_DOUBLE): Self.copy(v, start, count, vector, row)
        case (.timestamps(let v), DUCKDB_TYPE_TIMESTAMP), (.timestamps(let v), DUCKDB_TYPE_TIMESTAMP_TZ):
            // Only the rows written are converted: callers write a long column 2048 rows at a time.
            Self.copy(v[start..<(start + count)].map { $0?.microseconds }, 0, count, vector, row)
        case (.strings(let v), DUCKDB_TYPE_VARCHAR):
            for offset in 0..<count {
                if let text = v[start + offset] { vector.setString(text, row + offset) } else { vector.setNull(row + offset) }
            }
        case (.utf8(let column), DUCKDB_TYPE_VARCHAR):
            column.bytes.withUnsafeBufferPointer { bytes in
                for offset in 0..<count {
                    let index = start + offset
                    if column.isNull(at: index) {
                        vector.setNull(row + offset)
                    } else {
                        let from = column.start(of: index)
                        vector.setString(validUTF8: bytes.baseAddress.map { $0 + from }, count: column.end(of: index) - from, row + offset)
                    }
                }
            }
        default:
            for offset in 0..<count { try vector.set(value(at: start + offset), at: row + offset) }
        }
    }

    private static func copy<T>(_ values: [T?], _ start: Int, _ count: Int, _ vector: Vector, _ row: Int) {
        let data = vector.data!.bindMemory(to: T.self, capacity: row + count)
        for offset in 0..<count {
            if let value = values[start + offset] {
                data[row + offset] = value
            } else {
                vector.setNull(row + offset)
            }
        }
    }

    private func value(at index: Int) -> DuckDBValue {
        switch self {
        case .booleans(let v): v[index].map(DuckDBValue.boolean) ?? .null
        case .int32s(let v): v[index].map(DuckDBValue.integer) ?? .null
        case .int64s(let v): v[index].map(DuckDBValue.bigint) ?? .null
        case .doubles(let v): v[index].map(DuckDBValue.double) ?? .null
        case .strings(let v): v[index].map(DuckDBValue.varchar) ?? .null
        case .utf8(let v): v[index].map(DuckDBValue.varchar) ?? .null
        case .timestamps(let v): v[index].map(DuckDBValue.timestamp) ?? .null
        case .values(let v): v[index]
        }
    }
}
