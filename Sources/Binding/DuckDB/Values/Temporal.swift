import CivilCalendar
import Foundation

/// A DATE: days since 1970-01-01.
public struct DuckDBDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var days: Int32
    public init(days: Int32) { self.days = days }

    public init(year: Int, month: Int, day: Int) {
        days = Int32(CivilCalendar.days(year: year, month: month, day: day))
    }

    public var components: (year: Int, month: Int, day: Int) {
        CivilCalendar.civil(fromDays: Int(days))
    }

    public var description: String {
        let (y, m, d) = components
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    public static func < (a: Self, b: Self) -> Bool { a.days < b.days }
}

/// A TIME: microseconds since midnight.
public struct DuckDBTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var microseconds: Int64
    public init(microseconds: Int64) { self.microseconds = microseconds }
    public init(hour: Int, minute: Int, second: Int, microsecond: Int = 0) {
        microseconds = ((Int64(hour) * 60 + Int64(minute)) * 60 + Int64(second)) * 1_000_000 + Int64(microsecond)
    }

    public var description: String {
        let seconds = microseconds / 1_000_000, fraction = microseconds % 1_000_000
        let base = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        return fraction == 0 ? base : base + String(format: ".%06d", fraction)
    }

    public static func < (a: Self, b: Self) -> Bool { a.microseconds < b.microseconds }
}

/// A TIMESTAMP (or TIMESTAMPTZ in UTC): microseconds since 1970-01-01 00:00:00.
public struct DuckDBTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var microseconds: Int64
    public init(microseconds: Int64) { self.microseconds = microseconds }

    public init(_ date: Date) {
        microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public init(date: DuckDBDate, time: DuckDBTime) {
        microseconds = Int64(date.days) * 86_400_000_000 + time.microseconds
    }

    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    public var description: String {
        let perDay: Int64 = 86_400_000_000
        var days = microseconds / perDay, rest = microseconds % perDay
        if rest < 0 { days -= 1; rest += perDay }
        return DuckDBDate(days: Int32(days)).description + " " + DuckDBTime(microseconds: rest).description
    }

    public static func < (a: Self, b: Self) -> Bool { a.microseconds < b.microseconds }
}

/// An INTERVAL: months, days and microseconds are kept apart, as DuckDB does.
public struct DuckDBInterval: Sendable, Hashable, CustomStringConvertible {
    public var months: Int32
    public var days: Int32
    public var microseconds: Int64
    public init(months: Int32 = 0, days: Int32 = 0, microseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.microseconds = microseconds
    }

    public var description: String {
        var parts: [String] = []
        if months / 12 != 0 { parts.append("\(months / 12) year\(abs(months / 12) == 1 ? "" : "s")") }
        if months % 12 != 0 { parts.append("\(months % 12) month\(abs(months % 12) == 1 ? "" : "s")") }
        if days != 0 { parts.append("\(days) day\(abs(days) == 1 ? "" : "s")") }
        if microseconds != 0 || parts.isEmpty {
            let negative = microseconds < 0
            let time = DuckDBTime(microseconds: abs(microseconds)).description
            parts.append((negative ? "-" : "") + time)
        }
        return parts.joined(separator: " ")
    }
}

/// A DECIMAL(width, scale), exact: `value` is the unscaled integer (123.45 is 12345, scale 2).
public struct DuckDBDecimal: Sendable, Hashable, CustomStringConvertible {
    public var value: Int128
    public var width: UInt8
    public var scale: UInt8

    public init(value: Int128, width: UInt8, scale: UInt8) {
        self.value = value
        self.width = width
        self.scale = scale
    }

    /// Exact conversion from Foundation's Decimal; throws past DuckDB's 38 digits.
    public init(_ decimal: Decimal) throws {
        try self.init(exactly: NSDecimalNumber(decimal: decimal).description(withLocale: Locale(identifier: "en_US_POSIX")))
    }

    /// Parses plain decimal notation such as "-12.3400".
    public init(exactly text: String) throws {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              !(parts[0].isEmpty && (parts.count == 1 || parts[1].isEmpty)) else {
            throw DuckDBError(.conversion, message: "'\(text)' is not a decimal number")
        }
        let integer = parts[0].drop { $0 == "0" }
        let fraction = parts.count == 2 ? parts[1] : ""
        let all = integer + fraction
        guard all.count <= 38 else {
            throw DuckDBError(.outOfRange, message: "\(text) has more than the 38 digits a DuckDB DECIMAL holds")
        }
        let magnitude = all.isEmpty ? 0 : Int128(String(all))!
        value = negative ? -magnitude : magnitude
        scale = UInt8(fraction.count)
        width = UInt8(max(all.count, Int(scale) + 1, 1))
    }

    public var decimal: Decimal {
        Decimal(string: description, locale: Locale(identifier: "en_US_POSIX")) ?? .nan
    }

    public var doubleValue: Double { Double(value) / pow(10, Double(scale)) }

    public var description: String {
        let magnitude = String(value.magnitude)
        guard scale > 0 else { return (value < 0 ? "-" : "") + magnitude }
        let padded = String(repeating: "0", count: max(0, Int(scale) + 1 - magnitude.count)) + magnitude
        let split = padded.index(padded.endIndex, offsetBy: -Int(scale))
        return (value < 0 ? "-" : "") + padded[..<split] + "." + padded[split...]
    }
}
