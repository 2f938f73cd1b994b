import Foundation

/// One DuckDB value of any type, as it crosses the binding: parameters, results, appended rows,
/// and the arguments and results of functions defined in Swift.
public enum DuckDBValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case tinyint(Int8)
    case smallint(Int16)
    case integer(Int32)
    case bigint(Int64)
    case hugeint(Int128)
    case utinyint(UInt8)
    case usmallint(UInt16)
    case uinteger(UInt32)
    case ubigint(UInt64)
    case uhugeint(UInt128)
    case float(Float)
    case double(Double)
    case decimal(DuckDBDecimal)
    case varchar(String)
    /// A VARCHAR whose type carries DuckDB's JSON alias.
    case json(String)
    case blob(Data)
    case date(DuckDBDate)
    case time(DuckDBTime)
    case timestamp(DuckDBTimestamp)
    /// An instant; DuckDB stores TIMESTAMPTZ as UTC microseconds.
    case timestampTZ(DuckDBTimestamp)
    /// TIMESTAMP_NS, nanoseconds since the epoch.
    case timestampNanoseconds(Int64)
    case interval(DuckDBInterval)
    case uuid(UUID)
    /// An ENUM value, by its label.
    case enumeration(String)
    case list([DuckDBValue])
    /// A fixed-size ARRAY.
    case array([DuckDBValue])
    case structure([DuckDBStructField])
    case map([DuckDBMapEntry])
    /// A type the binding has no Swift representation for, as DuckDB renders it.
    case other(typeName: String, text: String)

    public var isNull: Bool { self == .null }
}

public struct DuckDBStructField: Sendable, Hashable {
    public var name: String
    public var value: DuckDBValue
    public init(_ name: String, _ value: DuckDBValue) {
        self.name = name
        self.value = value
    }
}

public struct DuckDBMapEntry: Sendable, Hashable {
    public var key: DuckDBValue
    public var value: DuckDBValue
    public init(_ key: DuckDBValue, _ value: DuckDBValue) {
        self.key = key
        self.value = value
    }
}

extension DuckDBValue {
    /// The value of a STRUCT field, by name.
    public subscript(field name: String) -> DuckDBValue? {
        guard case .structure(let fields) = self else { return nil }
        return fields.first { $0.name == name }?.value
    }

    /// An integer of any width that fits in `Int64`.
    public var int64: Int64? {
        switch self {
        case .tinyint(let v): Int64(v)
        case .smallint(let v): Int64(v)
        case .integer(let v): Int64(v)
        case .bigint(let v): v
        case .hugeint(let v): Int64(exactly: v)
        case .utinyint(let v): Int64(v)
        case .usmallint(let v): Int64(v)
        case .uinteger(let v): Int64(v)
        case .ubigint(let v): Int64(exactly: v)
        case .uhugeint(let v): Int64(exactly: v)
        default: nil
        }
    }

    public var double: Double? {
        switch self {
        case .float(let v): Double(v)
        case .double(let v): v
        case .decimal(let v): v.doubleValue
        default: int64.map(Double.init)
        }
    }

    public var string: String? {
        switch self {
        case .varchar(let v), .json(let v), .enumeration(let v): v
        default: nil
        }
    }

    public var bool: Bool? {
        if case .boolean(let v) = self { return v }
        return nil
    }
}

extension DuckDBValue: CustomStringConvertible {
    /// Close to how DuckDB prints values; used by the CLI's table output.
    public var description: String {
        switch self {
        case .null: "NULL"
        case .boolean(let v): v ? "true" : "false"
        case .tinyint(let v): String(v)
        case .smallint(let v): String(v)
        case .integer(let v): String(v)
        case .bigint(let v): String(v)
        case .hugeint(let v): String(v)
        case .utinyint(let v): String(v)
        case .usmallint(let v): String(v)
        case .uinteger(let v): String(v)
        case .ubigint(let v): String(v)
        case .uhugeint(let v): String(v)
        case .float(let v): String(v)
        case .double(let v): String(v)
        case .decimal(let v): v.description
        case .varchar(let v), .json(let v), .enumeration(let v): v
        case .blob(let v): v.map { byte in
                (32..<127).contains(byte) && byte != 92 ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
            }.joined()
        case .date(let v): v.description
        case .time(let v): v.description
        case .timestamp(let v): v.description
        case .timestampTZ(let v): v.description + "+00"
        case .timestampNanoseconds(let v): DuckDBTimestamp(microseconds: v / 1000).description
        case .interval(let v): v.description
        case .uuid(let v): v.uuidString.lowercased()
        case .list(let v), .array(let v): "[" + v.map(\.nestedDescription).joined(separator: ", ") + "]"
        case .structure(let fields): "{" + fields.map { "'\($0.name)': \($0.value.nestedDescription)" }.joined(separator: ", ") + "}"
        case .map(let entries): "{" + entries.map { "\($0.key.nestedDescription)=\($0.value.nestedDescription)" }.joined(separator: ", ") + "}"
        case .other(_, let text): text
        }
    }

    private var nestedDescription: String {
        switch self {
        case .varchar(let v), .enumeration(let v): "'" + v.replacingOccurrences(of: "'", with: "''") + "'"
        default: description
        }
    }
}
