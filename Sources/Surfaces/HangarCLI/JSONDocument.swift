/// A JSON value whose object keys keep the order they were given in, so every command prints
/// its fields in one stable order (the SQL surface's column order), unlike `JSONSerialization`.
indirect enum JSONDocument {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONDocument])
    case object([(String, JSONDocument)])

    static func string(_ text: String?) -> JSONDocument { text.map { .string($0) } ?? .null }
    static func int(_ number: Int?) -> JSONDocument { number.map { .int($0) } ?? .null }
    static func strings(_ texts: [String]) -> JSONDocument { .array(texts.map { .string($0) }) }
    /// A map as an object with its keys sorted.
    static func map(_ entries: [String: String]) -> JSONDocument {
        .object(entries.keys.sorted().map { ($0, .string(entries[$0]!)) })
    }

    /// Indented, for a document printed on its own.
    var pretty: String {
        var text = ""
        write(to: &text, indent: 0, pretty: true)
        return text
    }

    /// One line, for streams of JSON lines.
    var compact: String {
        var text = ""
        write(to: &text, indent: 0, pretty: false)
        return text
    }

    private func write(to text: inout String, indent: Int, pretty: Bool) {
        let newline = pretty ? "\n" : ""
        let inner = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let outer = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .int(let number): text += String(number)
        case .string(let string): Self.quote(string, into: &text)
        case .array(let items):
            guard !items.isEmpty else { text += "[]"; return }
            text += "[" + newline
            for (index, item) in items.enumerated() {
                text += inner
                item.write(to: &text, indent: indent + 1, pretty: pretty)
                text += (index < items.count - 1 ? "," : "") + newline
            }
            text += outer + "]"
        case .object(let fields):
            guard !fields.isEmpty else { text += "{}"; return }
            text += "{" + newline
            for (index, (key, value)) in fields.enumerated() {
                text += inner
                Self.quote(key, into: &text)
                text += pretty ? ": " : ":"
                value.write(to: &text, indent: indent + 1, pretty: pretty)
                text += (index < fields.count - 1 ? "," : "") + newline
            }
            text += outer + "}"
        }
    }

    private static func quote(_ string: String, into text: inout String) {
        JSONString.append(string, to: &text)
    }
}
