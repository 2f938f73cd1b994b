/// Cuts SQL text into complete statements as it arrives, so a script can run while it is still
/// being read and the prompt knows when a statement is finished.
///
/// Only a `;` outside string literals, quoted identifiers, comments and dollar-quoted strings
/// ends a statement. The scan works on UTF-8 bytes: every delimiter is ASCII, and input may
/// arrive in chunks that cut a multi-byte character in two. The scanner keeps its place between
/// chunks, so feeding a large script costs time in proportion to its length.
struct StatementSplitter {
    private enum Context: Equatable {
        case code
        /// `escapes` is true for `E'…'` strings, where a backslash quotes the next character.
        case singleQuoted(escapes: Bool)
        case doubleQuoted
        case lineComment
        /// DuckDB's parser (from PostgreSQL) lets block comments nest.
        case blockComment(depth: Int)
        /// The whole opening delimiter, `$tag$` or `$$`; the string ends at the same bytes.
        case dollarQuoted(delimiter: [UInt8])
    }

    /// Text of the statement being built: everything before it has been handed out.
    private var buffer: [UInt8] = []
    /// The next byte to look at; bytes before it are classified.
    private var position = 0
    private var context = Context.code
    /// Whether the pending statement holds anything but whitespace and comments; a `;` after
    /// nothing (or only a comment) is no statement and would make DuckDB complain.
    private var hasContent = false

    /// True when no statement is under way: the prompt shows `D ` rather than `· `, and a line
    /// may be a dot command.
    var isAtStatementStart: Bool { context == .code && !hasContent && position == buffer.count }

    /// Adds text; returns the statements it completed, in order, each with its `;`.
    mutating func append(_ text: String) -> [String] {
        append(bytes: Array(text.utf8))
    }

    mutating func append(bytes: some Collection<UInt8>) -> [String] {
        buffer.append(contentsOf: bytes)
        return scan(isFinal: false)
    }

    /// Ends the input: returns the statements still pending, including a last one with no `;`,
    /// and leaves the splitter empty.
    mutating func finish() -> [String] {
        var statements = scan(isFinal: true)
        if hasContent, let last = Self.trimmedText(buffer[...]) {
            statements.append(last)
        }
        self = StatementSplitter()
        return statements
    }

    private mutating func scan(isFinal: Bool) -> [String] {
        var statements: [String] = []
        var statementStart = 0
        scanning: while position < buffer.count {
            let byte = buffer[position]
            let next: UInt8? = position + 1 < buffer.count ? buffer[position + 1] : nil
            // A two-byte token (`--`, `/*`, `*/`, `\'`) cut by the end of a chunk is decided
            // only when the next chunk comes; at the very end there is nothing left to wait for.
            let mustWait = next == nil && !isFinal
            switch context {
            case .code:
                switch byte {
                case ASCII.semicolon:
                    if hasContent, let statement = Self.trimmedText(buffer[statementStart...position]) {
                        statements.append(statement)
                    }
                    statementStart = position + 1
                    hasContent = false
                case ASCII.minus, ASCII.slash:
                    if mustWait { break scanning }
                    if byte == ASCII.minus, next == ASCII.minus {
                        context = .lineComment
                        position += 2
                        continue scanning
                    }
                    if byte == ASCII.slash, next == ASCII.star {
                        context = .blockComment(depth: 1)
                        position += 2
                        continue scanning
                    }
                    hasContent = true
                case ASCII.singleQuote:
                    hasContent = true
                    context = .singleQuoted(escapes: isEscapeStringPrefix(before: position))
                case ASCII.doubleQuote:
                    hasContent = true
                    context = .doubleQuoted
                case ASCII.dollar:
                    hasContent = true
                    switch dollarQuoteDelimiter(at: position, isFinal: isFinal) {
                    case .undecided:
                        break scanning
                    case .none:
                        break
                    case .delimiter(let delimiter):
                        context = .dollarQuoted(delimiter: delimiter)
                        position += delimiter.count
                        continue scanning
                    }
                default:
                    if !ASCII.isWhitespace(byte) { hasContent = true }
                }
            case .singleQuoted(let escapes):
                if escapes, byte == ASCII.backslash {
                    if mustWait { break scanning }
                    position += 2
                    continue scanning
                }
                // A doubled '' closes the string and at once opens another, which splits the
                // same way as one string with a quote in it.
                if byte == ASCII.singleQuote { context = .code }
            case .doubleQuoted:
                if byte == ASCII.doubleQuote { context = .code }
            case .lineComment:
                if byte == ASCII.newline { context = .code }
            case .blockComment(let depth):
                if byte == ASCII.star || byte == ASCII.slash {
                    if mustWait { break scanning }
                    if byte == ASCII.star, next == ASCII.slash {
                        context = depth == 1 ? .code : .blockComment(depth: depth - 1)
                        position += 2
                        continue scanning
                    }
                    if byte == ASCII.slash, next == ASCII.star {
                        context = .blockComment(depth: depth + 1)
                        position += 2
                        continue scanning
                    }
                }
            case .dollarQuoted(let delimiter):
                if byte == ASCII.dollar {
                    let available = buffer[position...].prefix(delimiter.count)
                    if available.elementsEqual(delimiter) {
                        context = .code
                        position += delimiter.count
                        continue scanning
                    }
                    if available.count < delimiter.count, !isFinal, delimiter.starts(with: available) {
                        break scanning
                    }
                }
            }
            position += 1
        }
        // Drop what has been handed out so the buffer only ever holds one statement.
        buffer.removeFirst(statementStart)
        position -= statementStart
        return statements
    }

    private enum DollarQuoteMatch {
        case delimiter([UInt8])
        case none
        /// The chunk ended inside what may be a `$tag$`.
        case undecided
    }

    /// Whether the `$` at `start` opens a dollar-quoted string. `$1` is a parameter and `a$b`
    /// an identifier, so a tag may not start with a digit and the `$` may not follow a word.
    private func dollarQuoteDelimiter(at start: Int, isFinal: Bool) -> DollarQuoteMatch {
        if start > 0, ASCII.isIdentifierByte(buffer[start - 1]) { return .none }
        var index = start + 1
        while index < buffer.count, ASCII.isIdentifierByte(buffer[index]), buffer[index] != ASCII.dollar {
            if index == start + 1, ASCII.isDigit(buffer[index]) { return .none }
            index += 1
        }
        guard index < buffer.count else { return isFinal ? .none : .undecided }
        guard buffer[index] == ASCII.dollar else { return .none }
        return .delimiter(Array(buffer[start...index]))
    }

    /// `E'…'` (or `e'…'`) strings take backslash escapes; `tablE'x'` is not one, hence the check
    /// on the byte before the `E`.
    private func isEscapeStringPrefix(before quote: Int) -> Bool {
        guard quote > 0, buffer[quote - 1] == ASCII.upperE || buffer[quote - 1] == ASCII.lowerE else { return false }
        return quote == 1 || !ASCII.isIdentifierByte(buffer[quote - 2])
    }

    private static func trimmedText(_ bytes: ArraySlice<UInt8>) -> String? {
        guard let first = bytes.firstIndex(where: { !ASCII.isWhitespace($0) }),
              let last = bytes.lastIndex(where: { !ASCII.isWhitespace($0) }) else { return nil }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
