import CDuckDB
import Foundation

/// One column of a `DataChunk`: a borrowed view, valid while its chunk is alive.
///
/// Typed accessors (`int64(at:)`, `string(at:)`, …) read straight from DuckDB's memory;
/// `value(at:)` reads any type, nested ones included.
public struct Vector {
    let handle: duckdb_vector
    /// The storage DuckDB uses, which differs from `type` for e.g. TIMESTAMP_S or enums.
    let storage: duckdb_type
    public let type: DuckDBType
    let data: UnsafeMutableRawPointer?
    let validity: UnsafeMutablePointer<UInt64>?

    init(_ handle: duckdb_vector) {
        self.handle = handle
        var logical = duckdb_vector_get_column_type(handle)
        defer { duckdb_destroy_logical_type(&logical) }
        type = DuckDBType(logical!)
        storage = Vector.storage(of: logical!)
        data = duckdb_vector_get_data(handle)
        validity = duckdb_vector_get_validity(handle)
    }

    private static func storage(of logical: duckdb_logical_type) -> duckdb_type {
        switch duckdb_get_type_id(logical) {
        case DUCKDB_TYPE_DECIMAL: duckdb_decimal_internal_type(logical)
        case DUCKDB_TYPE_ENUM: duckdb_enum_internal_type(logical)
        case let id: id
        }
    }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return validity[row >> 6] & (1 << UInt64(row & 63)) == 0
    }

    @inline(__always)
    func load<T>(_ row: Int, as _: T.Type) -> T {
        data!.load(fromByteOffset: row * MemoryLayout<T>.stride, as: T.self)
    }

    /// Any integer column, or nil for NULL or a value outside `Int64`.
    public func int64(at row: Int) -> Int64? {
        if isNull(row) { return nil }
        switch storage {
        case DUCKDB_TYPE_BIGINT: return load(row, as: Int64.self)
        case DUCKDB_TYPE_INTEGER: return Int64(load(row, as: Int32.self))
        case DUCKDB_TYPE_SMALLINT: return Int64(load(row, as: Int16.self))
        case DUCKDB_TYPE_TINYINT: return Int64(load(row, as: Int8.self))
        case DUCKDB_TYPE_UBIGINT: return Int64(exactly: load(row, as: UInt64.self))
        case DUCKDB_TYPE_UINTEGER: return Int64(load(row, as: UInt32.self))
        case DUCKDB_TYPE_USMALLINT: return Int64(load(row, as: UInt16.self))
        case DUCKDB_TYPE_UTINYINT: return Int64(load(row, as: UInt8.self))
        default: return value(at: row).int64
        }
    }

    public func double(at row: Int) -> Double? {
        if isNull(row) { return nil }
        switch storage {
        case DUCKDB_TYPE_DOUBLE: return load(row, as: Double.self)
        case DUCKDB_TYPE_FLOAT: return Double(load(row, as: Float.self))
        default: return value(at: row).double
        }
    }

    public func bool(at row: Int) -> Bool? {
        if isNull(row) { return nil }
        return storage == DUCKDB_TYPE_BOOLEAN ? load(row, as: Bool.self) : value(at: row).bool
    }

    /// VARCHAR and JSON text; nil for NULL or another type.
    public func string(at row: Int) -> String? {
        if isNull(row) || storage != DUCKDB_TYPE_VARCHAR { return isNull(row) ? nil : value(at: row).string }
        return withBytes(at: row) { String(decoding: $0, as: UTF8.self) }
    }

    /// The bytes of a VARCHAR or BLOB value, valid only inside `body`.
    @inline(__always)
    func withBytes<T>(at row: Int, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let base = data! + row * 16  // duckdb_string_t: 4-byte length, then 12 inline bytes or prefix + pointer
        let length = Int(base.load(as: UInt32.self))
        if length <= 12 {
            return body(UnsafeRawBufferPointer(start: base + 4, count: length))
        }
        let pointer = base.load(fromByteOffset: 8, as: UnsafeRawPointer.self)
        return body(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// The value at `row`, of any type.
    public func value(at row: Int) -> DuckDBValue {
        if isNull(row) { return .null }
        switch type {
        case .boolean: return .boolean(load(row, as: Bool.self))
        case .tinyint: return .tinyint(load(row, as: Int8.self))
        case .smallint: return .smallint(load(row, as: Int16.self))
        case .integer: return .integer(load(row, as: Int32.self))
        case .bigint: return .bigint(load(row, as: Int64.self))
        case .hugeint: return .hugeint(Int128(load(row, as: duckdb_hugeint.self)))
        case .utinyint: return .utinyint(load(row, as: UInt8.self))
        case .usmallint: return .usmallint(load(row, as: UInt16.self))
        case .uinteger: return .uinteger(load(row, as: UInt32.self))
        case .ubigint: return .ubigint(load(row, as: UInt64.self))
        case .uhugeint: return .uhugeint(UInt128(load(row, as: duckdb_uhugeint.self)))
        case .float: return .float(load(row, as: Float.self))
        case .double: return .double(load(row, as: Double.self))
        case .decimal(let width, let scale):
            let unscaled: Int128 = switch storage {
            case DUCKDB_TYPE_SMALLINT: Int128(load(row, as: Int16.self))
            case DUCKDB_TYPE_INTEGER: Int128(load(row, as: Int32.self))
            case DUCKDB_TYPE_BIGINT: Int128(load(row, as: Int64.self))
            default: Int128(load(row, as: duckdb_hugeint.self))
            }
            return .decimal(DuckDBDecimal(value: unscaled, width: width, scale: scale))
        case .varchar: return .varchar(withBytes(at: row) { String(decoding: $0, as: UTF8.self) })
        case .json: return .json(withBytes(at: row) { String(decoding: $0, as: UTF8.self) })
        case .blob: return .blob(withBytes(at: row) { Data($0) })
        case .date: return .date(DuckDBDate(days: load(row, as: Int32.self)))
        case .time: return .time(DuckDBTime(microseconds: load(row, as: Int64.self)))
        case .timestamp:
            let raw = load(row, as: Int64.self)
            let micros = switch storage {
            case DUCKDB_TYPE_TIMESTAMP_S: raw * 1_000_000
            case DUCKDB_TYPE_TIMESTAMP_MS: raw * 1000
            default: raw
            }
            return .timestamp(DuckDBTimestamp(microseconds: micros))
        case .timestampTZ: return .timestampTZ(DuckDBTimestamp(microseconds: load(row, as: Int64.self)))
        case .timestampNanoseconds: return .timestampNanoseconds(load(row, as: Int64.self))
        case .interval:
            let i = load(row, as: duckdb_interval.self)
            return .interval(DuckDBInterval(months: i.months, days: i.days, microseconds: i.micros))
        case .uuid:
            // Stored as a hugeint with the top bit flipped so that UUIDs sort as unsigned.
            let stored = load(row, as: duckdb_hugeint.self)
            let natural = UInt128(UInt64(bitPattern: stored.upper) ^ (1 << 63)) << 64 | UInt128(stored.lower)
            return .uuid(UUID(uint128: natural))
        case .enumeration(let labels):
            let index: Int = switch storage {
            case DUCKDB_TYPE_UTINYINT: Int(load(row, as: UInt8.self))
            case DUCKDB_TYPE_USMALLINT: Int(load(row, as: UInt16.self))
            default: Int(load(row, as: UInt32.self))
            }
            return .enumeration(labels[index])
        case .list:
            let entry = load(row, as: duckdb_list_entry.self)
            let child = Vector(duckdb_list_vector_get_child(handle)!)
            return .list((0..<Int(entry.length)).map { child.value(at: Int(entry.offset) + $0) })
        case .array(_, let size):
            let child = Vector(duckdb_array_vector_get_child(handle)!)
            return .array((0..<size).map { child.value(at: row * size + $0) })
        case .structure(let fields):
            return .structure(fields.enumerated().map { index, field in
                DuckDBStructField(field.name, Vector(duckdb_struct_vector_get_child(handle, UInt64(index))!).value(at: row))
            })
        case .map:
            let entry = load(row, as: duckdb_list_entry.self)
            let entries = Vector(duckdb_list_vector_get_child(handle)!)
            let keys = Vector(duckdb_struct_vector_get_child(entries.handle, 0)!)
            let values = Vector(duckdb_struct_vector_get_child(entries.handle, 1)!)
            return .map((0..<Int(entry.length)).map {
                DuckDBMapEntry(keys.value(at: Int(entry.offset) + $0), values.value(at: Int(entry.offset) + $0))
            })
        case .other(let name):
            return .other(typeName: name, text: "<\(name)>")
        }
    }
}
