/// SQL text as tokens, enough for completion to know where the cursor is: in a string, a
/// quoted name or a comment (and whether it is still open), after which names and dots, inside
/// which function call. The same quoting rules as `StatementSplitter`, whose job (where
/// statements end) is a different one.
struct SQLLexer {
    enum Token: Equatable {
        /// A bare name or keyword.
        case word(String)
        /// A `"quoted name"`, as written between the quotes (doubled quotes kept).
        case quotedWord(String, closed: Bool)
        /// A `'string'`, as written between the quotes (doubled quotes kept).
        case string(String, closed: Bool)
        /// A `$$string$$` or `$tag$string$tag$`.
        case dollarQuoted(closed: Bool)
        case comment(closed: Bool)
        case number
        /// `:=`, a named argument.
        case assign
        case symbol(Unicode.Scalar)

        /// The name a word or a closed quoted word stands for.
        var name: String? {
            switch self {
            case .word(let name): name
            case .quotedWord(let raw, closed: true): raw.replacingOccurrences(of: "\"\"", with: "\"")
            default: nil
            }
        }
    }

    private let text: [Unicode.Scalar]
    private var position = 0
    /// Whether the last token ends where the text does (no space after it).
    private(set) var lastTokenTouchesEnd = false

    init(_ text: String) {
        self.text = Array(text.unicodeScalars)
    }

    /// The names of the statement at the start of `text`, up to its `;`.
    static func names(inStatementStarting text: String) -> [String] {
        var lexer = SQLLexer(text)
        let tokens = lexer.tokens()
        return tokens.prefix { $0 != .symbol(";") }.compactMap(\.name)
    }

    mutating func tokens() -> [Token] {
        var tokens: [Token] = []
        while let token = next() { tokens.append(token) }
        return tokens
    }

    private mutating func next() -> Token? {
        while position < text.count, text[position].properties.isWhitespace { position += 1 }
        guard position < text.count else { return nil }
        let token = scanToken()
        lastTokenTouchesEnd = position >= text.count
        return token
    }

    private mutating func scanToken() -> Token {
        let scalar = text[position]
        let following = position + 1 < text.count ? text[position + 1] : nil
        switch scalar {
        case "-" where following == "-":
            while position < text.count, text[position] != "\n" { position += 1 }
            return .comment(closed: position < text.count)
        case "/" where following == "*":
            return blockComment()
        case "'":
            let (raw, closed) = quoted(by: "'")
            return .string(raw, closed: closed)
        case "\"":
            let (raw, closed) = quoted(by: "\"")
            return .quotedWord(raw, closed: closed)
        case "$" where dollarTagEnd() != nil:
            return dollarString()
        case ":" where following == "=":
            position += 2
            return .assign
        case _ where Self.startsName(scalar):
            let start = position
            while position < text.count, Self.continuesName(text[position]) { position += 1 }
            return .word(String(String.UnicodeScalarView(text[start..<position])))
        case "0"..."9":
            while position < text.count, Self.continuesName(text[position]) || text[position] == "." { position += 1 }
            return .number
        default:
            position += 1
            return .symbol(scalar)
        }
    }

    /// From an opening quote to its closing one; a doubled quote is part of the text.
    private mutating func quoted(by quote: Unicode.Scalar) -> (String, Bool) {
        position += 1
        let start = position
        while position < text.count {
            if text[position] == quote {
                if position + 1 < text.count, text[position + 1] == quote {
                    position += 2
                    continue
                }
                let raw = String(String.UnicodeScalarView(text[start..<position]))
                position += 1
                return (raw, true)
            }
            position += 1
        }
        return (String(String.UnicodeScalarView(text[start...])), false)
    }

    /// Block comments nest, as in DuckDB's parser.
    private mutating func blockComment() -> Token {
        var depth = 0
        while position < text.count {
            let following = position + 1 < text.count ? text[position + 1] : nil
            if text[position] == "/", following == "*" {
                depth += 1
                position += 2
            } else if text[position] == "*", following == "/" {
                depth -= 1
                position += 2
                if depth == 0 { return .comment(closed: true) }
            } else {
                position += 1
            }
        }
        return .comment(closed: false)
    }

    /// Where the `$tag$` opening at `position` ends; nil for a `$1` parameter or a `$` in a name.
    private func dollarTagEnd() -> Int? {
        if position > 0, Self.continuesName(text[position - 1]) { return nil }
        var index = position + 1
        while index < text.count, Self.continuesName(text[index]), text[index] != "$" {
            if index == position + 1, ("0"..."9").contains(text[index]) { return nil }
            index += 1
        }
        return index < text.count && text[index] == "$" ? index : nil
    }

    private mutating func dollarString() -> Token {
        guard let tagEnd = dollarTagEnd() else { position += 1; return .symbol("$") }
        let delimiter = Array(text[position...tagEnd])
        position = tagEnd + 1
        while position + delimiter.count <= text.count {
            if Array(text[position..<(position + delimiter.count)]) == delimiter {
                position += delimiter.count
                return .dollarQuoted(closed: true)
            }
            position += 1
        }
        position = text.count
        return .dollarQuoted(closed: false)
    }

    private static func startsName(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar.value >= 0x80
    }

    private static func continuesName(_ scalar: Unicode.Scalar) -> Bool {
        startsName(scalar) || ("0"..."9").contains(scalar) || scalar == "$"
    }
}
