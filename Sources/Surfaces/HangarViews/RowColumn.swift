import DuckDB
import Foundation

/// One column of the rows the surfaces show (flights, versions, runs, log lines): its name on the
/// SQL surface, its DuckDB type and how a value is read. The `MD_*` SQL functions, `--json` and
/// the API are all made from these lists, so names, order, types and meaning are written once:
/// the reference's columns first, Hangar's own after them.
public struct RowColumn<Subject>: @unchecked Sendable {
    public let name: String
    public let type: DuckDBType
    public let value: (Subject) -> RowValue

    public init(_ name: String, _ type: DuckDBType, _ value: @escaping (Subject) -> RowValue) {
        self.name = name
        self.type = type
        self.value = value
    }
}

/// A value of a ``RowColumn``, before it becomes JSON or a DuckDB value.
public enum RowValue {
    case null
    case bool(Bool)
    case int(Int)
    case text(String)
    case texts([String])
    case map([String: String])
    /// Counts by name (rows per table).
    case counts([String: Int])
    case id(UUID)
    case time(Date)

    public static func text(_ text: String?) -> RowValue { text.map { .text($0) } ?? .null }
    public static func int(_ number: Int?) -> RowValue { number.map { .int($0) } ?? .null }
    public static func time(_ date: Date?) -> RowValue { date.map { .time($0) } ?? .null }

    public var json: JSONValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .text(let text): .string(text)
        case .texts(let texts): .strings(texts)
        case .map(let entries): .map(entries)
        case .counts(let counts): .object(counts.keys.sorted().map { ($0, .int(counts[$0]!)) })
        case .id(let id): .string(id.uuidString.lowercased())
        case .time(let date): .time(date)
        }
    }

    /// The value as a column of `type` holds it; integers take the column's width.
    public func duckDBValue(as type: DuckDBType) -> DuckDBValue {
        switch self {
        case .null: return .null
        case .bool(let flag): return .boolean(flag)
        case .int(let number):
            switch type {
            case .integer: return .integer(Int32(clamping: number))
            case .uinteger: return .uinteger(UInt32(clamping: number))
            case .ubigint: return .ubigint(UInt64(clamping: number))
            default: return .bigint(Int64(number))
            }
        case .text(let text): return .varchar(text)
        case .texts(let texts): return .list(texts.map { .varchar($0) })
        case .map(let entries): return .map(entries.keys.sorted().map { DuckDBMapEntry(.varchar($0), .varchar(entries[$0]!)) })
        case .counts(let counts): return .map(counts.keys.sorted().map { DuckDBMapEntry(.varchar($0), .bigint(Int64(counts[$0]!))) })
        case .id(let id): return .uuid(id)
        case .time(let date):
            return .timestampTZ(DuckDBTimestamp(microseconds: Int64((date.timeIntervalSince1970 * 1_000_000).rounded())))
        }
    }
}

extension Array {
    /// The subject as a JSON object with these columns, in order.
    public func jsonFields<Subject>(of subject: Subject) -> [(String, JSONValue)] where Element == RowColumn<Subject> {
        map { ($0.name, $0.value(subject).json) }
    }

    /// The columns of a table function's result.
    public func sqlColumns<Subject>() -> [(name: String, type: DuckDBType)] where Element == RowColumn<Subject> {
        map { ($0.name, $0.type) }
    }

    /// One row of a table function's result.
    public func sqlRow<Subject>(of subject: Subject) -> [DuckDBValue] where Element == RowColumn<Subject> {
        map { $0.value(subject).duckDBValue(as: $0.type) }
    }
}
