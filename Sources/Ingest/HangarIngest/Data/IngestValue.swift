import Foundation

/// One value of source data, JSON-like plus the types Swift code can build directly.
public enum IngestValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// An exact decimal in plain notation, such as "12.50".
    case decimal(String)
    /// An integer beyond 64 bits, as its optionally signed decimal digits ("-1180591620717411303424").
    /// Kept apart from `.decimal` because it infers dlt's `wei` type, as dlt types Python's big ints.
    case bigInteger(String)
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since midnight.
    case time(Int64)
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    case timestamp(Int64)
    case binary(Data)
    case object([(key: String, value: IngestValue)])
    case array([IngestValue])

    public static func == (a: IngestValue, b: IngestValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x == y
        case (.string(let x), .string(let y)), (.decimal(let x), .decimal(let y)), (.bigInteger(let x), .bigInteger(let y)): x == y
        case (.date(let x), .date(let y)): x == y
        case (.time(let x), .time(let y)), (.timestamp(let x), .timestamp(let y)): x == y
        case (.binary(let x), .binary(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let x), .array(let y)): x == y
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let v): hasher.combine(v)
        case .int(let v): hasher.combine(v)
        case .double(let v): hasher.combine(v)
        case .string(let v), .decimal(let v), .bigInteger(let v): hasher.combine(v)
        case .date(let v): hasher.combine(v)
        case .time(let v), .timestamp(let v): hasher.combine(v)
        case .binary(let v): hasher.combine(v)
        case .object(let fields): for field in fields { hasher.combine(field.key); hasher.combine(field.value) }
        case .array(let items): hasher.combine(items)
        }
    }

    /// Whether integer digits fit dlt's `wei`, DECIMAL(38,0): at most 38 digits past the sign.
    /// Longer integers (Ethereum's uint256 reaches 78) are kept exactly as text.
    static func fitsWei(_ digits: String) -> Bool {
        digits.utf8.count - (digits.utf8.first == UInt8(ascii: "-") ? 1 : 0) <= 38
    }

    /// The ingest type this value infers when it first reaches a column: ISO-8601 timestamp
    /// strings are timestamps, a plain date string stays text (as in dlt).
    public var inferredType: DataType? {
        switch self {
        case .null: nil
        case .bool: .bool
        case .int: .bigint
        case .double: .double
        case .string(let text): ISO8601Timestamp.parse(text) != nil ? .timestamp : .text
        case .decimal: .decimal
        case .bigInteger(let digits): Self.fitsWei(digits) ? .wei : .text
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .binary: .binary
        case .object, .array: .json
        }
    }
}
