import DuckDB
import Foundation

/// insert_values files: SQL text of `INSERT INTO {{table}} ("a","b") VALUES` statements of at
/// most 1000 rows each, every statement starting on its own line with that exact prefix.
///
/// `{{table}}` stands for the destination table; `LoaderFileLoad` replaces it only at the start
/// of each statement, so a value containing the same characters (always inside a quoted string
/// literal) is never touched.
///
/// Values are typed literals: numbers, TRUE/FALSE, NULL, `'…'::TIMESTAMPTZ` (ISO-8601 UTC),
/// `'…'::DATE`, `'…'::TIME`, `'…'::DECIMAL(38,9)` at the column's scale, `from_hex('…')` for
/// binary, `'…'::JSON`, and `'nan'::DOUBLE`-style literals for non-finite doubles. Finite
/// doubles carry an exponent (`0.1e0`), which makes DuckDB read them as DOUBLE, exactly, rather
/// than as DECIMAL. A NUL character, which cannot travel inside SQL text, is spliced in with
/// `chr(0)`.
final class InsertValuesFileWriter: LoaderFileFormatWriter {
    static let rowsPerStatement = 1000

    private var output: BufferedFileOutput?
    private var statementColumns: [String]?
    private var statementRows = 0

    var byteCount: Int { output?.count ?? 0 }

    func open(_ url: URL, columns: [ColumnSchema]) throws {
        output = try BufferedFileOutput(creating: url)
        statementColumns = nil
        statementRows = 0
    }

    func addColumns(_ columns: [ColumnSchema]) throws {}

    func write(_ batch: TableBatch, rows: Range<Int>, byteLimit: Int) throws -> Int {
        guard let output else { throw IngestError(.loaderFile, message: "no insert_values file is open") }
        let names = batch.columns.map(\.name)
        if statementColumns != names { endStatement(output) }
        let header = Array("\(InsertValuesScript.statementPrefix) (\(names.map(quoteIdentifier).joined(separator: ","))) VALUES\n".utf8)
        let encoders = try zip(batch.columns, batch.buffers).map { try Self.encoder(for: $1, column: $0) }
        for row in rows {
            if statementRows == Self.rowsPerStatement { endStatement(output) }
            if statementColumns == nil {
                output.bytes.append(contentsOf: header)
                statementColumns = names
            } else {
                output.bytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: "\n")])
            }
            output.bytes.append(UInt8(ascii: "("))
            for (index, encode) in encoders.enumerated() {
                if index > 0 { output.bytes.append(UInt8(ascii: ",")) }
                try encode(row, &output.bytes)
            }
            output.bytes.append(UInt8(ascii: ")"))
            statementRows += 1
            try output.flushIfFull()
            if output.count >= byteLimit { return row + 1 }
        }
        return rows.upperBound
    }

    func close() throws -> Int {
        guard let output else { return 0 }
        endStatement(output)
        self.output = nil
        return try output.close()
    }

    private func endStatement(_ output: BufferedFileOutput) {
        guard statementColumns != nil else { return }
        output.bytes.append(contentsOf: [UInt8(ascii: ";"), UInt8(ascii: "\n")])
        statementColumns = nil
        statementRows = 0
    }

    private typealias CellEncoder = (Int, inout [UInt8]) throws -> Void

    private static let null = Array("NULL".utf8)

    /// Writes one column's literal at a row; the switch on the buffer's type happens once here.
    private static func encoder(for buffer: ColumnBuffer, column: ColumnSchema) throws -> CellEncoder {
        func cells<T>(_ values: [T?], _ write: @escaping (T, inout [UInt8]) throws -> Void) -> CellEncoder {
            { row, bytes in
                if let value = values[row] { try write(value, &bytes) } else { bytes.append(contentsOf: null) }
            }
        }
        func cast(_ bytes: inout [UInt8], _ type: String, _ body: (inout [UInt8]) -> Void) {
            bytes.append(UInt8(ascii: "'"))
            body(&bytes)
            bytes.append(UInt8(ascii: "'"))
            bytes.append(contentsOf: "::\(type)".utf8)
        }
        switch buffer {
        case .bigint(let v): return cells(v) { LoaderValueText.appendInteger($0, to: &$1) }
        case .double(let v):
            return cells(v) { value, bytes in
                guard value.isFinite else {
                    return cast(&bytes, "DOUBLE") { $0.append(contentsOf: LoaderValueText.nonFiniteWord(value).utf8) }
                }
                let start = bytes.count
                LoaderValueText.appendDouble(value, to: &bytes)
                if !bytes[start...].contains(UInt8(ascii: "e")) { bytes.append(contentsOf: "e0".utf8) }
            }
        case .bool(let v): return cells(v) { $1.append(contentsOf: $0 ? "TRUE".utf8 : "FALSE".utf8) }
        case .text(let v):
            return { row, bytes in
                if v.withUTF8(at: row, { appendStringLiteral(utf8: $0, to: &bytes) }) == nil { bytes.append(contentsOf: null) }
            }
        case .json(let v):
            return cells(v) { text, bytes in
                appendStringLiteral(text, to: &bytes)
                bytes.append(contentsOf: "::JSON".utf8)
            }
        case .timestamp(let v): return cells(v) { micros, bytes in cast(&bytes, "TIMESTAMPTZ") { LoaderValueText.appendTimestamp(micros, to: &$0) } }
        case .date(let v): return cells(v) { days, bytes in cast(&bytes, "DATE") { LoaderValueText.appendDate(days, to: &$0) } }
        case .time(let v): return cells(v) { micros, bytes in cast(&bytes, "TIME") { LoaderValueText.appendTime(micros, to: &$0) } }
        case .binary(let v):
            return cells(v) { data, bytes in
                bytes.append(contentsOf: "from_hex('".utf8)
                LoaderValueText.appendHex(data, to: &bytes)
                bytes.append(contentsOf: "')".utf8)
            }
        case .decimal(let v):
            let scale = DecimalText.scale(of: column.dataType)
            let type = column.dataType.duckDBType
            return cells(v) { text, bytes in
                let canonical = try DecimalText.canonical(text, scale: scale, column: column.name)
                cast(&bytes, type) { $0.append(contentsOf: canonical.utf8) }
            }
        }
    }

    /// `'it''s'`; text with NUL characters becomes `('a' || chr(0) || 'b')`.
    static func appendStringLiteral(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendStringLiteral(utf8: $0, to: &bytes) }
    }

    /// ``appendStringLiteral(_:to:)`` for valid UTF-8 bytes.
    static func appendStringLiteral(utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        let hasNul = utf8.contains(0)
        if hasNul { bytes.append(UInt8(ascii: "(")) }
        bytes.append(UInt8(ascii: "'"))
        var runStart = 0
        for index in 0..<utf8.count where utf8[index] == UInt8(ascii: "'") || utf8[index] == 0 {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            bytes.append(contentsOf: utf8[index] == 0 ? "' || chr(0) || '".utf8 : "''".utf8)
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        bytes.append(UInt8(ascii: "'"))
        if hasNul { bytes.append(UInt8(ascii: ")")) }
    }
}
