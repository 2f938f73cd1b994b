import Foundation

/// A cursor value made ready for ordering: the kind decided once per value, so a row costs one
/// conversion however many bounds it is compared with.
struct CursorValue: Sendable {
    enum Kind: Sendable {
        case integer(Int64)
        case double(Double)
        case decimal(Decimal)
        /// UTC microseconds: a `.timestamp`, or a string that is an ISO-8601 timestamp.
        case instant(Int64)
        /// Days since 1970-01-01: a `.date`, or a `YYYY-MM-DD` string.
        case date(Int32)
        case text
    }

    let value: IngestValue
    let kind: Kind
    /// The string the value came as, if it came as one: two strings that are not both
    /// timestamps (or both dates) order by their text.
    let text: String?

    /// Why a value cannot be a cursor, or two values cannot be ordered.
    struct Mismatch: Error {
        let reason: String
    }

    /// Nil for `null`, which is a missing cursor value.
    init?(_ value: IngestValue) throws(Mismatch) {
        self.value = value
        switch value {
        case .null: return nil
        case .int(let v): kind = .integer(v); text = nil
        case .double(let v): kind = .double(v); text = nil
        case .decimal(let v), .bigInteger(let v):
            guard let decimal = Decimal(string: v, locale: Locale(identifier: "en_US_POSIX")) else {
                throw Mismatch(reason: "the decimal \(v) does not parse")
            }
            kind = .decimal(decimal); text = nil
        case .timestamp(let v): kind = .instant(v); text = nil
        case .date(let v): kind = .date(v); text = nil
        case .string(let v):
            text = v
            if let micros = ISO8601Timestamp.parse(v) { kind = .instant(micros) }
            else if let days = Self.calendarDate(v) { kind = .date(days) }
            else { kind = .text }
        case .bool, .time, .binary, .object, .array:
            throw Mismatch(reason: "\(Self.describe(value)) cannot be a cursor: use a number, a timestamp, a date or a string")
        }
    }

    /// How `self` orders against `other`: negative, zero or positive.
    func compare(to other: CursorValue) throws(Mismatch) -> Int {
        switch (kind, other.kind) {
        case (.integer(let a), .integer(let b)): return a < b ? -1 : a == b ? 0 : 1
        case (.integer(let a), .double(let b)): return -Self.compare(b, a)
        case (.double(let a), .integer(let b)): return Self.compare(a, b)
        case (.double(let a), .double(let b)): return a < b ? -1 : a == b ? 0 : 1
        case (.decimal, _), (_, .decimal):
            if let a = decimal, let b = other.decimal { return a < b ? -1 : a == b ? 0 : 1 }
        case (.instant(let a), .instant(let b)): return a < b ? -1 : a == b ? 0 : 1
        case (.date(let a), .date(let b)): return a < b ? -1 : a == b ? 0 : 1
        default: break
        }
        // Two strings of different shapes ("2024-05-01" against "2024-05-01T10:00:00Z", or
        // plain text) order as text, as in dlt, where both stay Python strings.
        if let a = text, let b = other.text {
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : a == b ? 0 : 1
        }
        throw Mismatch(reason: "\(Self.describe(value)) cannot be ordered against \(Self.describe(other.value))")
    }

    /// The value as a decimal, for ordering against a decimal (state keeps decimals as strings).
    private var decimal: Decimal? {
        switch kind {
        case .integer(let v): Decimal(v)
        case .double(let v): v.isFinite ? Decimal(v) : nil
        case .decimal(let v): v
        // Double(_:) accepts only a whole number; Decimal(string:) would take "2024" of a date.
        case .text: text.flatMap { Double($0) != nil ? Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) : nil }
        case .instant, .date: nil
        }
    }

    /// Compares a double with an integer without rounding the integer to a double first.
    private static func compare(_ a: Double, _ b: Int64) -> Int {
        if a.isNaN { return 1 }
        if a < -0x1p63 { return -1 }
        if a >= 0x1p63 { return 1 }
        let whole = Int64(a.rounded(.down))
        if whole != b { return whole < b ? -1 : 1 }
        return a == a.rounded(.down) ? 0 : 1
    }

    /// `YYYY-MM-DD` as days since 1970-01-01.
    static func calendarDate(_ text: String) -> Int32? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in utf8[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month),
              (1...ISO8601Timestamp.daysIn(month: month, year: year)).contains(day) else { return nil }
        return Int32(ISO8601Timestamp.daysFromCivil(year: year, month: month, day: day))
    }

    /// "the integer 5", "the string \"abc\"", "the timestamp 2024-01-01T00:00:00Z": for messages.
    static func describe(_ value: IngestValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let v): "the boolean \(v)"
        case .int(let v): "the integer \(v)"
        case .double(let v): "the double \(v)"
        case .decimal(let v): "the decimal \(v)"
        case .bigInteger(let v): "the integer \(v)"
        case .string(let v):
            ISO8601Timestamp.parse(v) != nil ? "the timestamp \"\(v)\"" : calendarDate(v) != nil ? "the date \"\(v)\"" : "the string \"\(v.prefix(80))\""
        case .date(let v): "the date \(IngestValue.date(v).stateValue.string ?? "")"
        case .timestamp(let v): "the timestamp \(IngestValue.timestamp(v).stateValue.string ?? "")"
        case .time: "a time of day"
        case .binary: "binary data"
        case .object: "an object"
        case .array: "a list"
        }
    }
}
