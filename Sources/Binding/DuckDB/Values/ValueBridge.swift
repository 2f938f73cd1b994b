import CDuckDB
import Foundation

// Conversions between `DuckDBValue` and DuckDB's C `duckdb_value`, used for statement
// parameters, table-function arguments and row-wise appends.

extension Int128 {
    init(_ value: duckdb_hugeint) { self = Int128(value.upper) << 64 | Int128(value.lower) }
    var hugeint: duckdb_hugeint { duckdb_hugeint(lower: UInt64(truncatingIfNeeded: self), upper: Int64(truncatingIfNeeded: self >> 64)) }
}

extension UInt128 {
    init(_ value: duckdb_uhugeint) { self = UInt128(value.upper) << 64 | UInt128(value.lower) }
    var uhugeint: duckdb_uhugeint { duckdb_uhugeint(lower: UInt64(truncatingIfNeeded: self), upper: UInt64(truncatingIfNeeded: self >> 64)) }
}

extension UUID {
    /// The UUID's 16 bytes read as one big-endian number, as DuckDB's C API exchanges them.
    var uint128: UInt128 {
        withUnsafeBytes(of: uuid) { bytes in bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) } }
    }

    init(uint128: UInt128) {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 { bytes[index] = UInt8(truncatingIfNeeded: uint128 >> (8 * (15 - index))) }
        self = bytes.withUnsafeBytes { UUID(uuid: $0.load(as: uuid_t.self)) }
    }
}

extension DuckDBValue {
    /// The type DuckDB should give this value when nothing else says; lists take their first
    /// non-null element's type.
    public var inferredType: DuckDBType {
        switch self {
        case .null: .varchar
        case .boolean: .boolean
        case .tinyint: .tinyint
        case .smallint: .smallint
        case .integer: .integer
        case .bigint: .bigint
        case .hugeint: .hugeint
        case .utinyint: .utinyint
        case .usmallint: .usmallint
        case .uinteger: .uinteger
        case .ubigint: .ubigint
        case .uhugeint: .uhugeint
        case .float: .float
        case .double: .double
        case .decimal(let d): .decimal(width: d.width, scale: d.scale)
        case .varchar: .varchar
        case .json: .json
        case .blob: .blob
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .timestampTZ: .timestampTZ
        case .timestampNanoseconds: .timestampNanoseconds
        case .interval: .interval
        case .uuid: .uuid
        case .enumeration(let label): .enumeration([label])
        case .list(let items): .list(items.first { !$0.isNull }?.inferredType ?? .varchar)
        case .array(let items): .array(items.first { !$0.isNull }?.inferredType ?? .varchar, size: items.count)
        case .structure(let fields): .structure(fields.map { ($0.name, $0.value.inferredType) })
        case .map(let entries):
            .map(key: entries.first?.key.inferredType ?? .varchar,
                 value: entries.first { !$0.value.isNull }?.value.inferredType ?? .varchar)
        case .other: .varchar
        }
    }

    /// A new C value; the caller destroys it.
    func makeCValue(as type: DuckDBType? = nil) throws -> duckdb_value {
        switch self {
        case .null: return duckdb_create_null_value()
        case .boolean(let v): return duckdb_create_bool(v)
        case .tinyint(let v): return duckdb_create_int8(v)
        case .smallint(let v): return duckdb_create_int16(v)
        case .integer(let v): return duckdb_create_int32(v)
        case .bigint(let v): return duckdb_create_int64(v)
        case .hugeint(let v): return duckdb_create_hugeint(v.hugeint)
        case .utinyint(let v): return duckdb_create_uint8(v)
        case .usmallint(let v): return duckdb_create_uint16(v)
        case .uinteger(let v): return duckdb_create_uint32(v)
        case .ubigint(let v): return duckdb_create_uint64(v)
        case .uhugeint(let v): return duckdb_create_uhugeint(v.uhugeint)
        case .float(let v): return duckdb_create_float(v)
        case .double(let v): return duckdb_create_double(v)
        case .decimal(let d):
            return duckdb_create_decimal(duckdb_decimal(width: d.width, scale: d.scale, value: d.value.hugeint))
        case .varchar(let v), .other(_, let v):
            var text = v
            return text.withUTF8 { duckdb_create_varchar_length(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), UInt64($0.count)) }
        case .json(let v):
            var text = v
            let value = text.withUTF8 { duckdb_create_varchar_length(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), UInt64($0.count)) }
            return value!
        case .enumeration(let label):
            guard case .enumeration(let labels)? = type, let index = labels.firstIndex(of: label) else {
                return try DuckDBValue.varchar(label).makeCValue()
            }
            return withLogicalType(type!) { duckdb_create_enum_value($0, UInt64(index)) }
        case .blob(let data):
            let bytes = [UInt8](data) + [0]  // never an empty buffer: the C API wants a valid pointer
            return bytes.withUnsafeBufferPointer { duckdb_create_blob($0.baseAddress, UInt64(data.count)) }
        case .date(let v): return duckdb_create_date(duckdb_date(days: v.days))
        case .time(let v): return duckdb_create_time(duckdb_time(micros: v.microseconds))
        case .timestamp(let v): return duckdb_create_timestamp(duckdb_timestamp(micros: v.microseconds))
        case .timestampTZ(let v): return duckdb_create_timestamp_tz(duckdb_timestamp(micros: v.microseconds))
        case .timestampNanoseconds(let v): return duckdb_create_timestamp_ns(duckdb_timestamp_ns(nanos: v))
        case .interval(let v):
            return duckdb_create_interval(duckdb_interval(months: v.months, days: v.days, micros: v.microseconds))
        case .uuid(let v): return duckdb_create_uuid(v.uint128.uhugeint)
        case .list(let items), .array(let items):
            let listType = type ?? inferredType
            let child: DuckDBType
            switch listType {
            case .list(let c), .array(let c, _): child = c
            default: throw DuckDBError.misuse("a list value cannot take the type \(listType)")
            }
            var values = try items.map { try Optional($0.makeCValue(as: child)) }
            defer { for index in values.indices { duckdb_destroy_value(&values[index]) } }
            return withLogicalType(child) { childType in
                values.withUnsafeMutableBufferPointer { buffer in
                    if case .array = self {
                        return duckdb_create_array_value(childType, buffer.baseAddress, UInt64(items.count))
                    }
                    return duckdb_create_list_value(childType, buffer.baseAddress, UInt64(items.count))
                }
            }!
        case .structure(let fields):
            let structType = type ?? inferredType
            guard case .structure(let members) = structType, members.count == fields.count else {
                throw DuckDBError.misuse("a struct value with \(fields.count) fields cannot take the type \(structType)")
            }
            var values = try zip(fields, members).map { try Optional($0.value.makeCValue(as: $1.type)) }
            defer { for index in values.indices { duckdb_destroy_value(&values[index]) } }
            return withLogicalType(structType) { logical in
                values.withUnsafeMutableBufferPointer { duckdb_create_struct_value(logical, $0.baseAddress) }
            }!
        case .map(let entries):
            let mapType = type ?? inferredType
            guard case .map(let keyType, let valueType) = mapType else {
                throw DuckDBError.misuse("a map value cannot take the type \(mapType)")
            }
            var keys = try entries.map { try Optional($0.key.makeCValue(as: keyType)) }
            var values = try entries.map { try Optional($0.value.makeCValue(as: valueType)) }
            defer {
                for index in keys.indices { duckdb_destroy_value(&keys[index]) }
                for index in values.indices { duckdb_destroy_value(&values[index]) }
            }
            return withLogicalType(mapType) { logical in
                keys.withUnsafeMutableBufferPointer { k in
                    values.withUnsafeMutableBufferPointer { v in
                        duckdb_create_map_value(logical, k.baseAddress, v.baseAddress, UInt64(entries.count))
                    }
                }
            }!
        }
    }

    /// Reads a C value (not destroyed here).
    init(_ value: duckdb_value) {
        if duckdb_is_null_value(value) {
            self = .null
            return
        }
        let type = DuckDBType(duckdb_get_value_type(value)!)  // owned by the value: not destroyed
        switch type {
        case .boolean: self = .boolean(duckdb_get_bool(value))
        case .tinyint: self = .tinyint(duckdb_get_int8(value))
        case .smallint: self = .smallint(duckdb_get_int16(value))
        case .integer: self = .integer(duckdb_get_int32(value))
        case .bigint: self = .bigint(duckdb_get_int64(value))
        case .hugeint: self = .hugeint(Int128(duckdb_get_hugeint(value)))
        case .utinyint: self = .utinyint(duckdb_get_uint8(value))
        case .usmallint: self = .usmallint(duckdb_get_uint16(value))
        case .uinteger: self = .uinteger(duckdb_get_uint32(value))
        case .ubigint: self = .ubigint(duckdb_get_uint64(value))
        case .uhugeint: self = .uhugeint(UInt128(duckdb_get_uhugeint(value)))
        case .float: self = .float(duckdb_get_float(value))
        case .double: self = .double(duckdb_get_double(value))
        case .decimal:
            let d = duckdb_get_decimal(value)
            self = .decimal(DuckDBDecimal(value: Int128(d.value), width: d.width, scale: d.scale))
        case .varchar, .json, .enumeration, .other:
            let text = duckdb_get_varchar(value)!
            defer { duckdb_free(text) }
            let string = String(cString: text)
            switch type {
            case .json: self = .json(string)
            case .enumeration: self = .enumeration(string)
            case .other(let name): self = .other(typeName: name, text: string)
            default: self = .varchar(string)
            }
        case .blob:
            let blob = duckdb_get_blob(value)
            defer { duckdb_free(blob.data) }
            self = .blob(blob.data.map { Data(bytes: $0, count: Int(blob.size)) } ?? Data())
        case .date: self = .date(DuckDBDate(days: duckdb_get_date(value).days))
        case .time: self = .time(DuckDBTime(microseconds: duckdb_get_time(value).micros))
        case .timestamp: self = .timestamp(DuckDBTimestamp(microseconds: duckdb_get_timestamp(value).micros))
        case .timestampTZ: self = .timestampTZ(DuckDBTimestamp(microseconds: duckdb_get_timestamp_tz(value).micros))
        case .timestampNanoseconds: self = .timestampNanoseconds(duckdb_get_timestamp_ns(value).nanos)
        case .interval:
            let i = duckdb_get_interval(value)
            self = .interval(DuckDBInterval(months: i.months, days: i.days, microseconds: i.micros))
        case .uuid: self = .uuid(UUID(uint128: UInt128(duckdb_get_uuid(value))))
        case .list, .array:
            let count = duckdb_get_list_size(value)
            let items = (0..<count).map { index in
                var child = duckdb_get_list_child(value, index)
                defer { duckdb_destroy_value(&child) }
                return DuckDBValue(child!)
            }
            if case .array = type { self = .array(items) } else { self = .list(items) }
        case .structure(let members):
            self = .structure(members.enumerated().map { index, member in
                var child = duckdb_get_struct_child(value, UInt64(index))
                defer { duckdb_destroy_value(&child) }
                return DuckDBStructField(member.name, DuckDBValue(child!))
            })
        case .map:
            let count = duckdb_get_map_size(value)
            self = .map((0..<count).map { index in
                var key = duckdb_get_map_key(value, index), item = duckdb_get_map_value(value, index)
                defer { duckdb_destroy_value(&key); duckdb_destroy_value(&item) }
                return DuckDBMapEntry(DuckDBValue(key!), DuckDBValue(item!))
            })
        }
    }
}
