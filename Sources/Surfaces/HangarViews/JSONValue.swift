import Foundation

/// A JSON value as the surfaces print and answer it. Objects keep their fields in the order given,
/// so every output lists fields in one stable order (the SQL surface's column order, then Hangar's
/// own), which `JSONSerialization` and `JSONEncoder` dictionaries would not.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// JSON text written as it is: a number with more digits than a double holds, or a value
    /// DuckDB already checked as JSON.
    case raw(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func string(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
    public static func int(_ number: Int?) -> JSONValue { number.map { .int($0) } ?? .null }
    public static func double(_ number: Double?) -> JSONValue { number.map { .double($0) } ?? .null }
    public static func strings(_ texts: [String]) -> JSONValue { .array(texts.map { .string($0) }) }
    public static func id(_ id: UUID) -> JSONValue { .string(id.uuidString.lowercased()) }
    public static func time(_ date: Date?) -> JSONValue { date.map { .string(JSONTime.iso($0)) } ?? .null }

    /// A string map as an object with its keys sorted.
    public static func map(_ entries: [String: String]) -> JSONValue {
        .object(entries.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    /// The fields of an object, in order; empty for anything else.
    public var fields: [(String, JSONValue)] {
        if case .object(let fields) = self { return fields }
        return []
    }

    /// The keys of an object, in order; empty for anything else.
    public var keys: [String] { fields.map(\.0) }

    /// Compact UTF-8 text: one line, for answers and streams of JSON lines.
    public var text: String {
        var text = ""
        write(to: &text, indent: nil)
        return text
    }

    /// Indented text, for a document printed on its own.
    public var pretty: String {
        var text = ""
        write(to: &text, indent: 0)
        return text
    }

    public var data: Data { Data(text.utf8) }

    private func write(to text: inout String, indent: Int?) {
        let newline = indent == nil ? "" : "\n"
        let inner = indent.map { String(repeating: "  ", count: $0 + 1) } ?? ""
        let outer = indent.map { String(repeating: "  ", count: $0) } ?? ""
        let deeper = indent.map { $0 + 1 }
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
        case .raw(let json): text += json
        case .array(let items):
            guard !items.isEmpty else { text += "[]"; return }
            text += "[" + newline
            for (index, item) in items.enumerated() {
                text += inner
                item.write(to: &text, indent: deeper)
                text += (index < items.count - 1 ? "," : "") + newline
            }
            text += outer + "]"
        case .object(let fields):
            guard !fields.isEmpty else { text += "{}"; return }
            text += "{" + newline
            for (index, (key, value)) in fields.enumerated() {
                text += inner
                Self.quote(key, into: &text)
                text += indent == nil ? ":" : ": "
                value.write(to: &text, indent: deeper)
                text += (index < fields.count - 1 ? "," : "") + newline
            }
            text += outer + "}"
        }
    }

    /// Escapes quotes, backslashes and control characters, and U+2028/U+2029, which a JSON
    /// document allows raw but a JavaScript string literal does not.
    public static func quote(_ string: String, into text: inout String) {
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

    /// `string` as a JSON string literal.
    public static func quoted(_ string: String) -> String {
        var text = ""
        quote(string, into: &text)
        return text
    }
}
