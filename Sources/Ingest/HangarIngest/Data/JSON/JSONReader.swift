import Foundation

/// Reads UTF-8 JSON into `IngestValue` rows: the engine's entry point for JSON and JSON Lines
/// sources and for its own typed JSON lines.
///
/// Values map as follows: objects become `.object` with their keys in document order (a repeated
/// key keeps its first position and its last value); integers that fit `Int64` become `.int`;
/// numbers with a fraction or an exponent, and integers beyond `Int64`, become `.double` (the
/// nearest one: a 64-bit unsigned id above `Int64.max` loses precision, as in JavaScript);
/// strings decode every JSON escape, surrogate pairs included.
///
/// Malformed input throws an `IngestError` with code `.malformedJSON` whose message names the
/// row, the line and the byte offset and says what was expected, for example
/// `malformed JSON in row 3 (line 3, byte 57): expected ',' or '}' after an object member, found 'x'`.
/// Invalid UTF-8 in a string and unpaired UTF-16 surrogate escapes are errors too. A UTF-8 byte
/// order mark at the start is skipped.
///
/// A row that is not an object is not an error here: the caller decides, and can point at it
/// with the row's ``RowPosition``.
public enum JSONReader {
    /// Calls `body` with each row of `bytes` in order, with the row's position, without holding
    /// more than one row at a time.
    ///
    /// - Parameters:
    ///   - layout: where the rows are in the document; see ``JSONLayout/automatic``.
    ///   - typed: decode the typed values of typed JSON lines (see ``TypedJSONLWriter``): strings
    ///     that start with a character in U+F026…U+F02F. Leave it off for source data, whose strings
    ///     are taken as they are.
    public static func rows(
        from bytes: some ContiguousBytes,
        layout: JSONLayout = .automatic,
        typed: Bool = false,
        body: (IngestValue, RowPosition) throws -> Void
    ) throws {
        try bytes.withUnsafeBytes { buffer in
            try withParser(over: buffer, typed: typed) { parser in
                try parser.readRows(layout: layout, body: body)
            }
        }
    }

    /// ``rows(from:layout:typed:body:)``, offering each JSON Lines row to `inPlace` first, which
    /// reads it straight from the parser or returns false, having consumed nothing, to have it
    /// read whole and passed to `body`.
    static func rows(
        from bytes: some ContiguousBytes,
        layout: JSONLayout,
        typed: Bool,
        inPlace: (inout JSONParser) throws -> Bool,
        body: (IngestValue, RowPosition) throws -> Void
    ) throws {
        try bytes.withUnsafeBytes { buffer in
            try withParser(over: buffer, typed: typed) { parser in
                try parser.readRows(layout: layout, inPlace: inPlace, body: body)
            }
        }
    }

    /// All rows of `bytes`, in order. Prefer ``rows(from:layout:typed:body:)`` for large inputs.
    public static func rows(
        from bytes: some ContiguousBytes,
        layout: JSONLayout = .automatic,
        typed: Bool = false
    ) throws -> [IngestValue] {
        var rows: [IngestValue] = []
        try self.rows(from: bytes, layout: layout, typed: typed) { row, _ in rows.append(row) }
        return rows
    }

    /// `bytes` as one JSON document (a state or schema file, say): exactly one value, surrounded
    /// by nothing but whitespace.
    public static func value(from bytes: some ContiguousBytes, typed: Bool = false) throws -> IngestValue {
        try bytes.withUnsafeBytes { buffer in
            try withParser(over: buffer, typed: typed) { parser in
                try parser.readDocument()
            }
        }
    }

    private static func withParser<Result>(
        over buffer: UnsafeRawBufferPointer,
        typed: Bool,
        _ body: (inout JSONParser) throws -> Result
    ) throws -> Result {
        guard let start = buffer.baseAddress, buffer.count > 0 else {
            // An empty buffer may have no address; the parser never reads a byte of it.
            var placeholder: UInt8 = 0
            return try withUnsafePointer(to: &placeholder) { pointer in
                var parser = JSONParser(bytes: pointer, count: 0, typed: typed)
                return try body(&parser)
            }
        }
        var parser = JSONParser(bytes: start.assumingMemoryBound(to: UInt8.self), count: buffer.count, typed: typed)
        return try body(&parser)
    }
}
