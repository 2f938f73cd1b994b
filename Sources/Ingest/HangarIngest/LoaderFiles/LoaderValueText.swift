import DuckDB
import Foundation

/// The text forms the jsonl and insert_values writers give values, written straight into a byte
/// buffer. Each form is one DuckDB's VARCHAR casts read back exactly: ISO-8601 timestamps in UTC
/// with microseconds, `YYYY-MM-DD` dates, `HH:MM:SS.ffffff` times, shortest round-trip doubles.
enum LoaderValueText {
    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, to: &bytes)
    }

    /// A finite double, in the shortest form that parses back to the same bits ("-0.0", "1e-07").
    static func appendDouble(_ value: Double, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: value.description.utf8)
    }

    /// The word DuckDB's DOUBLE cast reads for a non-finite double.
    static func nonFiniteWord(_ value: Double) -> String {
        value.isNaN ? "nan" : value < 0 ? "-inf" : "inf"
    }

    /// `2026-11-25T14:03:11.123456+00:00`. Years before 1 use DuckDB's own `(BC)` notation and
    /// DuckDB's infinite timestamps their words, so every value DuckDB stores round-trips.
    static func appendTimestamp(_ microseconds: Int64, to bytes: inout [UInt8]) {
        if microseconds == .max { return bytes.append(contentsOf: "infinity".utf8) }
        if microseconds == -.max { return bytes.append(contentsOf: "-infinity".utf8) }
        let perDay: Int64 = 86_400_000_000
        var days = microseconds / perDay, rest = microseconds % perDay
        if rest < 0 {
            days -= 1
            rest += perDay
        }
        let beforeCommonEra = appendCalendarDate(Int32(days), to: &bytes)
        bytes.append(contentsOf: beforeCommonEra ? " (BC) ".utf8 : "T".utf8)
        appendTime(rest, to: &bytes)
        bytes.append(contentsOf: "+00:00".utf8)
    }

    /// `2026-11-25`, `0044-03-15 (BC)`, or DuckDB's infinite dates.
    static func appendDate(_ days: Int32, to bytes: inout [UInt8]) {
        if days == .max { return bytes.append(contentsOf: "infinity".utf8) }
        if days == -.max { return bytes.append(contentsOf: "-infinity".utf8) }
        if appendCalendarDate(days, to: &bytes) { bytes.append(contentsOf: " (BC)".utf8) }
    }

    /// `14:03:11.123456`: always six fractional digits.
    static func appendTime(_ microseconds: Int64, to bytes: inout [UInt8]) {
        let seconds = microseconds / 1_000_000
        appendPadded(seconds / 3600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(seconds / 60 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(seconds % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendPadded(microseconds % 1_000_000, width: 6, to: &bytes)
    }

    /// Lower-case hex digits, two per byte.
    static func appendHex(_ data: Data, to bytes: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        bytes.reserveCapacity(bytes.count + data.count * 2)
        for byte in data {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
    }

    /// Writes `YYYY-MM-DD`; returns true when the year is before 1 and was written as a BC year
    /// (astronomical year 0 is 1 BC), for the caller to place the `(BC)` marker.
    private static func appendCalendarDate(_ days: Int32, to bytes: inout [UInt8]) -> Bool {
        let (year, month, day) = DuckDBDate(days: days).components
        let beforeCommonEra = year < 1
        appendPadded(Int64(beforeCommonEra ? 1 - year : year), width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(Int64(month), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(Int64(day), width: 2, to: &bytes)
        return beforeCommonEra
    }

    private static func appendPadded(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        let magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits = 1, rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        for _ in digits..<max(width, digits) { bytes.append(UInt8(ascii: "0")) }
        appendDigits(magnitude, to: &bytes)
    }

    private static func appendDigits(_ value: UInt64, to bytes: inout [UInt8]) {
        guard value >= 10 else { return bytes.append(UInt8(ascii: "0") + UInt8(value)) }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for UInt64's 20 digits
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var rest = value, index = buffer.count
            while rest > 0 {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: buffer[index...])
        }
    }
}
