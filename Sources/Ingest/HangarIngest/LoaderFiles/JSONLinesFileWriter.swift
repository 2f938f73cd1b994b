import Foundation

/// jsonl files: one JSON object per row with every column of its batch, NULLs as `null`.
///
/// Value forms, chosen so that `LoaderFileLoad`'s typed `read_json` reads each back exactly:
/// numbers as JSON numbers, except non-finite doubles, which are the strings "nan", "inf" and
/// "-inf" (DuckDB's DOUBLE cast reads them); timestamps, dates and times as ISO-8601 strings
/// (`LoaderValueText`); decimals as strings at the column's scale (`DecimalText`); binary as
/// base64 strings; JSON documents as strings holding their text. The last is deliberate: DuckDB
/// re-serializes JSON embedded as a value (dropping whitespace, writing 2.50 as 2.5), while a
/// string cast to JSON keeps the text verbatim, as parquet and insert_values files do.
final class JSONLinesFileWriter: LoaderFileFormatWriter {
    private var output: BufferedFileOutput?

    var byteCount: Int { output?.count ?? 0 }

    func open(_ url: URL, columns: [ColumnSchema]) throws {
        output = try BufferedFileOutput(creating: url)
    }

    func addColumns(_ columns: [ColumnSchema]) throws {}

    func write(_ batch: TableBatch, rows: Range<Int>, byteLimit: Int) throws -> Int {
        guard let output else { throw IngestError(.loaderFile, message: "no jsonl file is open") }
        // `"name":` for each column, the first after `{`, the others after `,`.
        let keys: [[UInt8]] = batch.columns.enumerated().map { index, column in
            var key: [UInt8] = index == 0 ? [UInt8(ascii: "{")] : [UInt8(ascii: ",")]
            Self.appendString(column.name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        let encoders = try zip(batch.columns, batch.buffers).map { try Self.encoder(for: $1, column: $0) }
        for row in rows {
            if keys.isEmpty { output.bytes.append(UInt8(ascii: "{")) }
            for (key, encode) in zip(keys, encoders) {
                output.bytes.append(contentsOf: key)
                try encode(row, &output.bytes)
            }
            output.bytes.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
            try output.flushIfFull()
            if output.count >= byteLimit { return row + 1 }
        }
        return rows.upperBound
    }

    func close() throws -> Int {
        guard let output else { return 0 }
        self.output = nil
        return try output.close()
    }

    private typealias CellEncoder = (Int, inout [UInt8]) throws -> Void

    private static let null = Array("null".utf8)

    /// Writes one column's value at a row; the switch on the buffer's type happens once here
    /// rather than for every cell.
    private static func encoder(for buffer: ColumnBuffer, column: ColumnSchema) throws -> CellEncoder {
        func cells<T>(_ values: [T?], _ write: @escaping (T, inout [UInt8]) throws -> Void) -> CellEncoder {
            { row, bytes in
                if let value = values[row] { try write(value, &bytes) } else { bytes.append(contentsOf: null) }
            }
        }
        switch buffer {
        case .bigint(let v): return cells(v) { LoaderValueText.appendInteger($0, to: &$1) }
        case .double(let v):
            return cells(v) { value, bytes in
                if value.isFinite {
                    LoaderValueText.appendDouble(value, to: &bytes)
                } else {
                    appendString(LoaderValueText.nonFiniteWord(value), to: &bytes)
                }
            }
        case .bool(let v): return cells(v) { $1.append(contentsOf: $0 ? "true".utf8 : "false".utf8) }
        case .text(let v):
            return { row, bytes in
                if v.withUTF8(at: row, { appendString(utf8: $0, to: &bytes) }) == nil { bytes.append(contentsOf: null) }
            }
        case .json(let v): return cells(v) { appendString($0, to: &$1) }
        case .timestamp(let v): return cells(v) { micros, bytes in quoted(&bytes) { LoaderValueText.appendTimestamp(micros, to: &$0) } }
        case .date(let v): return cells(v) { days, bytes in quoted(&bytes) { LoaderValueText.appendDate(days, to: &$0) } }
        case .time(let v): return cells(v) { micros, bytes in quoted(&bytes) { LoaderValueText.appendTime(micros, to: &$0) } }
        case .binary(let v): return cells(v) { data, bytes in quoted(&bytes) { $0.append(contentsOf: data.base64EncodedString().utf8) } }
        case .decimal(let v):
            let scale = DecimalText.scale(of: column.dataType)
            return cells(v) { text, bytes in
                let canonical = try DecimalText.canonical(text, scale: scale, column: column.name)
                quoted(&bytes) { $0.append(contentsOf: canonical.utf8) }
            }
        }
    }

    private static func quoted(_ bytes: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        bytes.append(UInt8(ascii: "\""))
        body(&bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendString(utf8: $0, to: &bytes) }
    }

    /// ``appendString(_:to:)`` for valid UTF-8 bytes.
    static func appendString(utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }
}
