import Foundation

/// A JSON value the API answers with. Objects keep their fields in the order given, so every
/// response lists fields in one stable order (the SQL surface's column order, then Hangar's own),
/// which `JSONSerialization` and `JSONEncoder` dictionaries would not.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func string(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
    static func int(_ number: Int?) -> JSONValue { number.map { .int($0) } ?? .null }
    static func double(_ number: Double?) -> JSONValue { number.map { .double($0) } ?? .null }
    static func strings(_ texts: [String]) -> JSONValue { .array(texts.map { .string($0) }) }
    static func id(_ id: UUID) -> JSONValue { .string(id.uuidString.lowercased()) }
    static func time(_ date: Date?) -> JSONValue { date.map { .string(APITime.iso($0)) } ?? .null }

    /// A string map as an object with its keys sorted.
    static func map(_ entries: [String: String]) -> JSONValue {
        .object(entries.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    /// Compact UTF-8 text.
    public var text: String {
        var text = ""
        write(to: &text)
        return text
    }

    var data: Data { Data(text.utf8) }

    private func write(to text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .int(let number): text += String(number)
        case .double(let number):
            // JSON has no NaN or infinity; integral values print without a fraction.
            if !number.isFinite {
                text += "null"
            } else if number == number.rounded(), abs(number) < 1e15 {
                text += String(Int64(number))
            } else {
                text += String(number)
            }
        case .string(let string): Self.quote(string, into: &text)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                item.write(to: &text)
            }
            text += "]"
        case .object(let fields):
            text += "{"
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { text += "," }
                Self.quote(key, into: &text)
                text += ":"
                value.write(to: &text)
            }
            text += "}"
        }
    }

    /// Escapes quotes, backslashes and control characters, and U+2028/U+2029, which a JSON
    /// document allows raw but a JavaScript string literal does not.
    static func quote(_ string: String, into text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{2028}": text += "\\u2028"
            case "\u{2029}": text += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
