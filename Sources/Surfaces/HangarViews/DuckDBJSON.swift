import DuckDB
import Foundation

/// DuckDB values as JSON, for `hangar sql --json`, query answers and table samples alike:
/// numbers are numbers with every digit, temporal values are DuckDB's own text, JSON values nest
/// as they are, and lists, structs and maps nest as arrays and objects.
///
/// A JavaScript client reads every JSON number as a double, so integers beyond ±2^53 and decimals
/// would silently lose digits there: `Numbers.javaScriptSafe` writes those as strings instead.
public struct DuckDBJSON: Sendable {
    public enum Numbers: String, Sendable, CaseIterable {
        /// Every number as a JSON number with all its digits (DuckDB's CLI writes them so).
        case exact
        /// Integers beyond ±2^53, and decimals, as strings: nothing a JavaScript client rounds.
        case javaScriptSafe = "javascript"
    }

    public var numbers: Numbers

    public init(numbers: Numbers = .exact) {
        self.numbers = numbers
    }

    /// Integers within ±2^53 survive a JavaScript client exactly.
    static let javaScriptExactIntegers: ClosedRange<Int64> = -(1 << 53)...(1 << 53)

    public func value(_ value: DuckDBValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .boolean(let flag): return .bool(flag)
        case .tinyint, .smallint, .integer, .bigint, .utinyint, .usmallint, .uinteger, .ubigint, .hugeint, .uhugeint:
            if let number = value.int64, numbers == .exact || Self.javaScriptExactIntegers.contains(number) {
                return .int(Int(number))
            }
            return numbers == .exact ? .raw(value.description) : .string(value.description)
        case .decimal: return numbers == .exact ? .raw(value.description) : .string(value.description)
        // JSON has no spelling for infinity or NaN; a string keeps the value readable.
        case .float(let number): return number.isFinite ? .double(Double(number)) : .string(value.description)
        case .double(let number): return number.isFinite ? .double(number) : .string(value.description)
        // DuckDB checked the text when it became JSON, so it nests as it is.
        case .json(let text): return .raw(text)
        case .varchar(let text), .enumeration(let text): return .string(text)
        case .uuid(let id): return .id(id)
        case .list(let items), .array(let items): return .array(items.map(self.value))
        case .structure(let fields): return .object(fields.map { ($0.name, self.value($0.value)) })
        case .map(let entries):
            // Text keys make an object; other keys a list of {key, value} pairs.
            if entries.allSatisfy({ if case .varchar = $0.key { true } else { false } }) {
                return .object(entries.map { ($0.key.string ?? "", self.value($0.value)) })
            }
            return .array(entries.map { .object([("key", self.value($0.key)), ("value", self.value($0.value))]) })
        default:
            return .string(value.description)
        }
    }

    /// A result's columns as `[{"name", "type"}]`.
    public static func columns(names: [String], types: [DuckDBType]) -> JSONValue {
        .array(zip(names, types).map { .object([("name", .string($0)), ("type", .string($1.description))]) })
    }
}
