import Foundation

/// Reads an insert_values file back as statements for one destination table.
///
/// Every statement must start (after whitespace) with `statementPrefix`; the table placeholder
/// is replaced there and nowhere else. A statement ends at the first `;` outside a quoted
/// string or identifier, tracked by a scan that toggles on each quote (a doubled quote inside a
/// literal toggles out and straight back in).
enum InsertValuesScript {
    /// The placeholder for the destination table; see `LoaderFileLoad.tablePlaceholder`.
    static let tablePlaceholder = "{{table}}"
    static let statementPrefix = "INSERT INTO \(tablePlaceholder)"

    /// Calls `body` with each statement of `data` (the file at `url`), the placeholder replaced
    /// by `qualifiedTable`, and the statement's 1-based number.
    static func forEachStatement(in data: Data, url: URL, qualifiedTable: String,
                                 _ body: (_ sql: String, _ number: Int) throws -> Void) throws {
        let prefix = Array(statementPrefix.utf8)
        let replacement = "INSERT INTO \(qualifiedTable)"
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0, number = 0
            while true {
                while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
                guard index < bytes.count else { return }
                number += 1
                guard bytes.count - index >= prefix.count, prefix.indices.allSatisfy({ bytes[index + $0] == prefix[$0] }) else {
                    throw IngestError(.loaderFile, message: "\(url.path) is not an insert_values file: statement \(number) (byte \(index)) does not start with \(statementPrefix)")
                }
                let bodyStart = index + prefix.count
                var end = bodyStart, quote: UInt8?
                while end < bytes.count {
                    let byte = bytes[end]
                    if let open = quote {
                        if byte == open { quote = nil }
                    } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                        quote = byte
                    } else if byte == UInt8(ascii: ";") {
                        break
                    }
                    end += 1
                }
                guard end < bytes.count else {
                    throw IngestError(.loaderFile, message: "\(url.path) is cut short: statement \(number) (byte \(index)) has no end")
                }
                let rest = String(decoding: UnsafeBufferPointer(rebasing: bytes[bodyStart...end]), as: UTF8.self)
                try body(replacement + rest, number)
                index = end + 1
            }
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}
