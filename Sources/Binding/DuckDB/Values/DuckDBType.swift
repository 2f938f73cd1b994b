import Foundation
import CDuckDB

/// A DuckDB logical type, for function signatures, result columns and appended chunks.
public indirect enum DuckDBType: Sendable, Hashable, CustomStringConvertible {
    case boolean, tinyint, smallint, integer, bigint, hugeint
    case utinyint, usmallint, uinteger, ubigint, uhugeint
    case float, double
    case decimal(width: UInt8, scale: UInt8)
    case varchar, json, blob
    case date, time, timestamp, timestampTZ, timestampNanoseconds, interval, uuid
    case enumeration([String])
    case list(DuckDBType)
    case array(DuckDBType, size: Int)
    case structure([(name: String, type: DuckDBType)])
    case map(key: DuckDBType, value: DuckDBType)
    /// Any other type, by DuckDB's name for it (read as `.other` values).
    case other(String)

    public static func == (a: DuckDBType, b: DuckDBType) -> Bool { a.description == b.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    /// The SQL spelling, as DuckDB prints it.
    public var description: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .tinyint: "TINYINT"
        case .smallint: "SMALLINT"
        case .integer: "INTEGER"
        case .bigint: "BIGINT"
        case .hugeint: "HUGEINT"
        case .utinyint: "UTINYINT"
        case .usmallint: "USMALLINT"
        case .uinteger: "UINTEGER"
        case .ubigint: "UBIGINT"
        case .uhugeint: "UHUGEINT"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .decimal(let width, let scale): "DECIMAL(\(width),\(scale))"
        case .varchar: "VARCHAR"
        case .json: "JSON"
        case .blob: "BLOB"
        case .date: "DATE"
        case .time: "TIME"
        case .timestamp: "TIMESTAMP"
        case .timestampTZ: "TIMESTAMP WITH TIME ZONE"
        case .timestampNanoseconds: "TIMESTAMP_NS"
        case .interval: "INTERVAL"
        case .uuid: "UUID"
        case .enumeration(let labels): "ENUM(" + labels.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ") + ")"
        case .list(let child): "\(child)[]"
        case .array(let child, let size): "\(child)[\(size)]"
        case .structure(let fields): "STRUCT(" + fields.map { "\(quoteIdentifier($0.name)) \($0.type)" }.joined(separator: ", ") + ")"
        case .map(let key, let value): "MAP(\(key), \(value))"
        case .other(let name): name
        }
    }

    /// Reads a C logical type (not destroyed here).
    init(_ type: duckdb_logical_type) {
        if let alias = duckdb_logical_type_get_alias(type) {
            defer { duckdb_free(alias) }
            if String(cString: alias) == "JSON" {
                self = .json
                return
            }
        }
        switch duckdb_get_type_id(type) {
        case DUCKDB_TYPE_BOOLEAN: self = .boolean
        case DUCKDB_TYPE_TINYINT: self = .tinyint
        case DUCKDB_TYPE_SMALLINT: self = .smallint
        case DUCKDB_TYPE_INTEGER: self = .integer
        case DUCKDB_TYPE_BIGINT: self = .bigint
        case DUCKDB_TYPE_HUGEINT: self = .hugeint
        case DUCKDB_TYPE_UTINYINT: self = .utinyint
        case DUCKDB_TYPE_USMALLINT: self = .usmallint
        case DUCKDB_TYPE_UINTEGER: self = .uinteger
        case DUCKDB_TYPE_UBIGINT: self = .ubigint
        case DUCKDB_TYPE_UHUGEINT: self = .uhugeint
        case DUCKDB_TYPE_FLOAT: self = .float
        case DUCKDB_TYPE_DOUBLE: self = .double
        case DUCKDB_TYPE_DECIMAL: self = .decimal(width: duckdb_decimal_width(type), scale: duckdb_decimal_scale(type))
        case DUCKDB_TYPE_VARCHAR: self = .varchar
        case DUCKDB_TYPE_BLOB: self = .blob
        case DUCKDB_TYPE_DATE: self = .date
        case DUCKDB_TYPE_TIME: self = .time
        case DUCKDB_TYPE_TIMESTAMP, DUCKDB_TYPE_TIMESTAMP_S, DUCKDB_TYPE_TIMESTAMP_MS: self = .timestamp
        case DUCKDB_TYPE_TIMESTAMP_TZ: self = .timestampTZ
        case DUCKDB_TYPE_TIMESTAMP_NS: self = .timestampNanoseconds
        case DUCKDB_TYPE_INTERVAL: self = .interval
        case DUCKDB_TYPE_UUID: self = .uuid
        case DUCKDB_TYPE_ENUM:
            let count = duckdb_enum_dictionary_size(type)
            self = .enumeration((0..<count).map { index in
                let label = duckdb_enum_dictionary_value(type, UInt64(index))!
                defer { duckdb_free(label) }
                return String(cString: label)
            })
        case DUCKDB_TYPE_LIST:
            var child = duckdb_list_type_child_type(type)
            defer { duckdb_destroy_logical_type(&child) }
            self = .list(DuckDBType(child!))
        case DUCKDB_TYPE_ARRAY:
            var child = duckdb_array_type_child_type(type)
            defer { duckdb_destroy_logical_type(&child) }
            self = .array(DuckDBType(child!), size: Int(duckdb_array_type_array_size(type)))
        case DUCKDB_TYPE_STRUCT:
            let count = duckdb_struct_type_child_count(type)
            self = .structure((0..<count).map { index in
                let name = duckdb_struct_type_child_name(type, index)!
                defer { duckdb_free(name) }
                var child = duckdb_struct_type_child_type(type, index)
                defer { duckdb_destroy_logical_type(&child) }
                return (String(cString: name), DuckDBType(child!))
            })
        case DUCKDB_TYPE_MAP:
            var key = duckdb_map_type_key_type(type), value = duckdb_map_type_value_type(type)
            defer { duckdb_destroy_logical_type(&key); duckdb_destroy_logical_type(&value) }
            self = .map(key: DuckDBType(key!), value: DuckDBType(value!))
        default:
            self = .other(Self.typeName(duckdb_get_type_id(type)))
        }
    }

    /// A new C logical type; the caller destroys it.
    func makeLogicalType() -> duckdb_logical_type {
        switch self {
        case .boolean: duckdb_create_logical_type(DUCKDB_TYPE_BOOLEAN)
        case .tinyint: duckdb_create_logical_type(DUCKDB_TYPE_TINYINT)
        case .smallint: duckdb_create_logical_type(DUCKDB_TYPE_SMALLINT)
        case .integer: duckdb_create_logical_type(DUCKDB_TYPE_INTEGER)
        case .bigint: duckdb_create_logical_type(DUCKDB_TYPE_BIGINT)
        case .hugeint: duckdb_create_logical_type(DUCKDB_TYPE_HUGEINT)
        case .utinyint: duckdb_create_logical_type(DUCKDB_TYPE_UTINYINT)
        case .usmallint: duckdb_create_logical_type(DUCKDB_TYPE_USMALLINT)
        case .uinteger: duckdb_create_logical_type(DUCKDB_TYPE_UINTEGER)
        case .ubigint: duckdb_create_logical_type(DUCKDB_TYPE_UBIGINT)
        case .uhugeint: duckdb_create_logical_type(DUCKDB_TYPE_UHUGEINT)
        case .float: duckdb_create_logical_type(DUCKDB_TYPE_FLOAT)
        case .double: duckdb_create_logical_type(DUCKDB_TYPE_DOUBLE)
        case .decimal(let width, let scale): duckdb_create_decimal_type(width, scale)
        case .varchar: duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR)
        case .json:
            {
                let type = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR)!
                duckdb_logical_type_set_alias(type, "JSON")
                return type
            }()
        case .blob: duckdb_create_logical_type(DUCKDB_TYPE_BLOB)
        case .date: duckdb_create_logical_type(DUCKDB_TYPE_DATE)
        case .time: duckdb_create_logical_type(DUCKDB_TYPE_TIME)
        case .timestamp: duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP)
        case .timestampTZ: duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP_TZ)
        case .timestampNanoseconds: duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP_NS)
        case .interval: duckdb_create_logical_type(DUCKDB_TYPE_INTERVAL)
        case .uuid: duckdb_create_logical_type(DUCKDB_TYPE_UUID)
        case .enumeration(let labels):
            withCStrings(labels) { pointers in
                duckdb_create_enum_type(pointers.baseAddress, UInt64(labels.count))
            }
        case .list(let child):
            withLogicalType(child) { duckdb_create_list_type($0) }
        case .array(let child, let size):
            withLogicalType(child) { duckdb_create_array_type($0, UInt64(size)) }
        case .map(let key, let value):
            withLogicalType(key) { k in withLogicalType(value) { v in duckdb_create_map_type(k, v) } }
        case .structure(let fields):
            {
                var types: [duckdb_logical_type?] = fields.map { $0.type.makeLogicalType() }
                defer { for index in types.indices { duckdb_destroy_logical_type(&types[index]) } }
                return withCStrings(fields.map(\.name)) { names in
                    types.withUnsafeMutableBufferPointer { buffer in
                        duckdb_create_struct_type(buffer.baseAddress, names.baseAddress, UInt64(fields.count))
                    }
                }
            }()
        case .other:
            duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR)
        }
    }

    static func typeName(_ id: duckdb_type) -> String {
        switch id {
        case DUCKDB_TYPE_TIME_TZ: "TIME WITH TIME ZONE"
        case DUCKDB_TYPE_BIT: "BIT"
        case DUCKDB_TYPE_UNION: "UNION"
        case DUCKDB_TYPE_TIME_NS: "TIME_NS"
        case DUCKDB_TYPE_BIGNUM: "BIGNUM"
        default: "TYPE(\(id.rawValue))"
        }
    }
}

func withLogicalType<T>(_ type: DuckDBType, _ body: (duckdb_logical_type) -> T) -> T {
    var logical: duckdb_logical_type? = type.makeLogicalType()
    defer { duckdb_destroy_logical_type(&logical) }
    return body(logical!)
}

/// C strings for the duration of `body`.
func withCStrings<T>(_ strings: [String], _ body: (UnsafeMutableBufferPointer<UnsafePointer<CChar>?>) -> T) -> T {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    var pointers = copies.map { UnsafePointer($0) }
    return pointers.withUnsafeMutableBufferPointer { body($0) }
}

/// A double-quoted SQL identifier.
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// A single-quoted SQL string literal.
public func quoteLiteral(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
}
