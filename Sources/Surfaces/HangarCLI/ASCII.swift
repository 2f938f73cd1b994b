/// The bytes the statement splitter looks for. SQL's delimiters are all ASCII, so matching
/// UTF-8 bytes is exact and never needs to decode the text.
enum ASCII {
    static let semicolon = UInt8(ascii: ";")
    static let minus = UInt8(ascii: "-")
    static let slash = UInt8(ascii: "/")
    static let star = UInt8(ascii: "*")
    static let singleQuote = UInt8(ascii: "'")
    static let doubleQuote = UInt8(ascii: "\"")
    static let dollar = UInt8(ascii: "$")
    static let backslash = UInt8(ascii: "\\")
    static let newline = UInt8(ascii: "\n")
    static let upperE = UInt8(ascii: "E")
    static let lowerE = UInt8(ascii: "e")

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Bytes that may continue an unquoted identifier in DuckDB's (PostgreSQL's) grammar; any
    /// byte of a non-ASCII character counts, as PostgreSQL allows letters beyond ASCII.
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == UInt8(ascii: "_") || byte == dollar || byte >= 0x80
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
