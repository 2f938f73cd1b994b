import Foundation

/// Writes rows as typed JSON lines: the format extracted rows take in a load package, which keeps
/// every `IngestValue` exactly, including the values plain JSON cannot express.
///
/// Each row is one line of compact JSON. Values without a JSON form are written as strings that
/// start with a private-use character, as dlt's typed JSON lines do:
///
/// | value                    | string                                   |
/// |--------------------------|------------------------------------------|
/// | `.decimal(text)`         | U+F026 + text                            |
/// | `.date(days)`            | U+F027 + days since 1970-01-01           |
/// | `.time(micros)`          | U+F028 + microseconds since midnight     |
/// | `.timestamp(micros)`     | U+F029 + microseconds since the epoch    |
/// | `.binary(data)`          | U+F02A + base64                          |
/// | `.double` NaN, ±infinity | U+F02B + `nan`, `inf` or `-inf`          |
///
/// Integers beyond 64 bits (`.bigInteger`) are plain JSON numbers: the reader keeps their digits.
///
/// A string value that itself starts with a character in U+F026…U+F02F gets U+F02F in front, so
/// that it reads back unchanged. Object keys are never decoded and so never escaped. Read the
/// lines back with `JSONReader.rows(from:layout: .lines, typed: true)`.
///
/// Finite doubles are written in the shortest form that reads back as the identical `Double`
/// (always with a fraction or an exponent, so they read back as doubles, not integers).
public struct TypedJSONLWriter: Sendable {
    /// The lines written since the last flush.
    public private(set) var bytes: [UInt8] = []
    /// The rows written since the writer was created.
    public private(set) var rowCount = 0

    public init(reservingCapacity capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends `row` as one line.
    public mutating func write(_ row: IngestValue) {
        append(row)
        bytes.append(JSONBytes.newline)
        rowCount += 1
    }

    /// Forgets the lines written, keeping the buffer's capacity.
    mutating func emptyKeepingCapacity() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Writes the buffered lines to `file` and empties the buffer, keeping its capacity.
    public mutating func flush(to file: FileHandle) throws {
        guard !bytes.isEmpty else { return }
        try file.write(contentsOf: bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    // MARK: - Values

    private mutating func append(_ value: IngestValue) {
        switch value {
        case .null:
            appendASCII("null")
        case .bool(let flag):
            appendASCII(flag ? "true" : "false")
        case .int(let integer):
            appendInteger(integer)
        case .double(let double):
            if double.isFinite {
                // `description` is the shortest text that reads back as the same Double.
                var text = double.description
                text.withUTF8 { bytes.append(contentsOf: $0) }
            } else {
                appendTyped(.nonFiniteDouble, double.isNaN ? "nan" : double < 0 ? "-inf" : "inf")
            }
        case .string(let text):
            appendString(text, guardingMarkers: true)
        case .decimal(let text):
            appendTyped(.decimal, text)
        case .bigInteger(let digits):
            bytes.append(contentsOf: digits.utf8)
        case .date(let days):
            appendTyped(.date) { $0.appendInteger(Int64(days)) }
        case .time(let micros):
            appendTyped(.time) { $0.appendInteger(micros) }
        case .timestamp(let micros):
            appendTyped(.timestamp) { $0.appendInteger(micros) }
        case .binary(let data):
            appendTyped(.binary, data.base64EncodedString())
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(member.key, guardingMarkers: false)
                bytes.append(UInt8(ascii: ":"))
                append(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                append(item)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }

    private mutating func appendTyped(_ marker: TypedJSONMarker, _ payload: String) {
        appendTyped(marker) { $0.appendStringContent(payload) }
    }

    private mutating func appendTyped(_ marker: TypedJSONMarker, payload: (inout TypedJSONLWriter) -> Void) {
        bytes.append(JSONBytes.quote)
        bytes.append(TypedJSONMarker.leadBytes.0)
        bytes.append(TypedJSONMarker.leadBytes.1)
        bytes.append(marker.rawValue)
        payload(&self)
        bytes.append(JSONBytes.quote)
    }

    @inline(__always)
    private mutating func appendASCII(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func appendInteger(_ integer: Int64) {
        var magnitude = integer.magnitude
        if integer < 0 { bytes.append(UInt8(ascii: "-")) }
        if magnitude < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        var digitCount = 0
        var remaining = magnitude
        while remaining > 0 {
            digitCount += 1
            remaining /= 10
        }
        let end = bytes.count + digitCount
        bytes.append(contentsOf: repeatElement(0, count: digitCount))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var position = end
            while magnitude > 0 {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
        }
    }

    // MARK: - Strings

    private mutating func appendString(_ text: String, guardingMarkers: Bool) {
        bytes.append(JSONBytes.quote)
        var text = text
        text.withUTF8 { utf8 in
            if guardingMarkers, let start = utf8.baseAddress,
               TypedJSONMarker.startsWithReservedCharacter(start, count: utf8.count) {
                bytes.append(contentsOf: TypedJSONMarker.escapedString.utf8)
            }
            appendEscaped(utf8)
        }
        bytes.append(JSONBytes.quote)
    }

    private mutating func appendStringContent(_ text: String) {
        var text = text
        text.withUTF8 { appendEscaped($0) }
    }

    /// Appends `utf8` with quotes, backslashes and control characters escaped, copying the runs
    /// between them (found eight bytes at a time) in one go.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let start = utf8.baseAddress else { return }
        let raw = UnsafeRawPointer(start)
        let count = utf8.count
        var runStart = 0
        var position = 0
        while true {
            while position + 8 <= count, JSONBytes.stringStopMask(raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)) == 0 {
                position += 8
            }
            while position < count {
                let byte = start[position]
                if byte == JSONBytes.quote || byte == JSONBytes.backslash || byte < 0x20 { break }
                position += 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(start: start + runStart, count: position - runStart))
            guard position < count else { return }
            appendEscape(for: start[position])
            position += 1
            runStart = position
        }
    }

    private mutating func appendEscape(for byte: UInt8) {
        bytes.append(JSONBytes.backslash)
        switch byte {
        case JSONBytes.quote, JSONBytes.backslash: bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      hexDigits.utf8Start[Int(byte >> 4)], hexDigits.utf8Start[Int(byte & 0xF)]])
        }
    }
}
