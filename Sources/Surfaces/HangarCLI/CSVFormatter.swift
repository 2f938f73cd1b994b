import Foundation
import DuckDB

/// Each result as RFC 4180 CSV: a header line, CRLF line ends, and fields quoted when they hold
/// a comma, a quote or a line break.
///
/// NULL is an empty field and an empty string is `""`, so the two stay apart when the CSV is
/// read back (DuckDB's `read_csv` reads them that way).
struct CSVFormatter: ResultFormatter {
    func write(_ result: StreamedResult, to output: OutputSink) throws {
        output.write(result.columnNames.map(Self.field).joined(separator: ",") + "\r\n")
        while let row = try result.next() {
            output.write(row.values.map { $0.isNull ? "" : Self.field($0.description) }.joined(separator: ",") + "\r\n")
        }
    }

    private static func field(_ text: String) -> String {
        // Bytes, not Characters: Swift treats "\r\n" as one Character, which would hide a "\n".
        let needsQuotes = text.isEmpty || text.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
