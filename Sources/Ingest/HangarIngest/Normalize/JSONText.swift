import Foundation

/// Renders values that stay nested (`json` columns) as compact JSON text.
enum JSONText {
    static func encode(_ value: IngestValue) -> String {
        var output: [UInt8] = []
        write(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func write(_ value: IngestValue, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let v): output.append(contentsOf: (v ? "true" : "false").utf8)
        case .int(let v): output.append(contentsOf: String(v).utf8)
        case .double(let v): output.append(contentsOf: (v.isFinite ? String(v) : "null").utf8)
        case .string(let v): writeString(v, to: &output)
        case .decimal(let v), .bigInteger(let v): output.append(contentsOf: v.utf8)
        case .date(let days): writeString(ISO8601Timestamp.formatDate(days), to: &output)
        case .time(let micros): writeString(isoTime(micros), to: &output)
        case .timestamp(let micros): writeString(isoTimestamp(micros), to: &output)
        case .binary(let data): writeString(data.base64EncodedString(), to: &output)
        case .object(let fields):
            output.append(UInt8(ascii: "{"))
            for (index, field) in fields.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(field.key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(field.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(item, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): output.append(contentsOf: [92, 92])
            case 10: output.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: output.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: output.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<32: output.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    static func isoTime(_ micros: Int64) -> String {
        let seconds = micros / 1_000_000
        return String(format: "%02d:%02d:%02d.%06d", seconds / 3600, seconds / 60 % 60, seconds % 60, micros % 1_000_000)
    }

    static func isoTimestamp(_ micros: Int64) -> String {
        var days = micros / 86_400_000_000, rest = micros % 86_400_000_000
        if rest < 0 { days -= 1; rest += 86_400_000_000 }
        return ISO8601Timestamp.formatDate(Int32(clamping: days)) + "T" + isoTime(rest) + "+00:00"
    }
}
