/// Where a row starts in its document, so that callers can point at it in their own messages.
public struct RowPosition: Sendable, Hashable, CustomStringConvertible {
    /// The row's number, counting from 1 (the element index plus one, or the non-blank line count).
    public let row: Int
    /// The line the row starts on, counting from 1.
    public let line: Int
    /// The offset of the row's first byte from the start of the input, counting from 0 (a byte
    /// order mark counts), so `dd`/`xxd` find it directly.
    public let byteOffset: Int

    public init(row: Int, line: Int, byteOffset: Int) {
        self.row = row
        self.line = line
        self.byteOffset = byteOffset
    }

    /// "row 3 (line 3, byte 57)": the wording the reader's own error messages use.
    public var description: String { "row \(row) (line \(line), byte \(byteOffset))" }
}
