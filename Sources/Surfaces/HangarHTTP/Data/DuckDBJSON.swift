import DuckDB
import Foundation

/// DuckDB values as JSON, for samples and SQL results: numbers stay numbers while JSON (a double
/// in JavaScript) holds them exactly, larger integers and decimals become strings rather than
/// silently lose digits, temporal values are DuckDB's own text, and nested values nest.
enum DuckDBJSON {
    /// Integers within ±2^53 survive a JavaScript client exactly.
    static let exactIntegers: ClosedRange<Int64> = -(1 << 53)...(1 << 53)

    static func value(_ value: DuckDBValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .boolean(let flag): return .bool(flag)
        case .tinyint, .smallint, .integer, .bigint, .utinyint, .usmallint, .uinteger, .ubigint, .hugeint, .uhugeint:
            if let number = value.int64, exactIntegers.contains(number) { return .int(Int(number)) }
            return .string(value.description)
        case .float(let number): return number.isFinite ? .double(Double(number)) : .string(value.description)
        case .double(let number): return number.isFinite ? .double(number) : .string(value.description)
        case .decimal: return .string(value.description)
        case .varchar(let text), .json(let text), .enumeration(let text): return .string(text)
        case .uuid(let id): return .id(id)
        case .list(let items), .array(let items): return .array(items.map(Self.value))
        case .structure(let fields): return .object(fields.map { ($0.name, Self.value($0.value)) })
        case .map(let entries):
            // Text keys make an object; other keys a list of {key, value} pairs.
            if entries.allSatisfy({ if case .varchar = $0.key { true } else { false } }) {
                return .object(entries.map { ($0.key.string ?? "", Self.value($0.value)) })
            }
            return .array(entries.map { .object([("key", Self.value($0.key)), ("value", Self.value($0.value))]) })
        default:
            return .string(value.description)
        }
    }

    static func columns(names: [String], types: [DuckDBType]) -> JSONValue {
        .array(zip(names, types).map { .object([("name", .string($0)), ("type", .string($1.description))]) })
    }
}
