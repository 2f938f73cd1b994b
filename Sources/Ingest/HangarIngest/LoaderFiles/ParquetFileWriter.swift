import DuckDB
import Foundation

/// Parquet files written by DuckDB's own writer (zstd): the rows of the open file are staged in
/// a table of a private in-memory database, then `COPY`'d to the file when it closes.
///
/// The size limit counts the staged rows' in-memory size (`ColumnBuffer.estimatedBytes`),
/// because the file only exists once it is complete.
final class ParquetFileWriter: LoaderFileFormatWriter {
    private let database: Database
    private let connection: Connection
    private var url: URL?
    private var columns: [ColumnSchema] = []
    private(set) var byteCount = 0

    private static let stagingTable = "staged_rows"

    init() throws {
        do {
            // One thread: the loader runs many writers side by side, and COPY keeps row order.
            database = try Database(.inMemory, configuration: Configuration(threads: 1))
            connection = try database.connect()
        } catch {
            throw IngestError(.loaderFile, message: "could not open DuckDB to write parquet: \(error)")
        }
    }

    func open(_ url: URL, columns: [ColumnSchema]) throws {
        self.url = url
        self.columns = columns
        byteCount = 0
        let definitions = columns.map { "\(quoteIdentifier($0.name)) \(Self.stagingType($0.dataType))" }
        try run("CREATE TABLE \(Self.stagingTable) (\(definitions.joined(separator: ", ")))")
    }

    func addColumns(_ added: [ColumnSchema]) throws {
        for column in added {
            try run("ALTER TABLE \(Self.stagingTable) ADD COLUMN \(quoteIdentifier(column.name)) \(Self.stagingType(column.dataType))")
        }
        columns += added
    }

    func write(_ batch: TableBatch, rows: Range<Int>, byteLimit: Int) throws -> Int {
        let end = lastRow(of: batch, rows: rows, byteLimit: byteLimit)
        let slice = rows.lowerBound..<end
        let positions = Dictionary(batch.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        // Staged columns the batch lacks are NULL for its rows.
        let values = try columns.map { column -> ColumnValues in
            guard let index = positions[column.name] else { return .values(Array(repeating: .null, count: slice.count)) }
            return try batch.buffers[index].columnValues(slice, column: column)
        }
        do {
            let appender = try connection.appender(table: Self.stagingTable)
            try appender.append(columns: values)
            try appender.close()
        } catch let error as DuckDBError {
            throw IngestError(.invalidData, message: "\(batch.table): could not stage rows for \(url?.lastPathComponent ?? "parquet"): \(error.message)")
        }
        byteCount += batch.buffers.reduce(0) { $0 + $1.estimatedBytes(slice) }
        return end
    }

    func close() throws -> Int {
        guard let url else { return 0 }
        self.url = nil
        // JSON is staged as text and checked by the cast here, as the other formats' loads check it.
        let select = columns.map { column in
            column.dataType == .json ? "CAST(\(quoteIdentifier(column.name)) AS JSON) AS \(quoteIdentifier(column.name))" : quoteIdentifier(column.name)
        }
        try run("COPY (SELECT \(select.joined(separator: ", ")) FROM \(Self.stagingTable)) TO \(quoteLiteral(url.path)) (FORMAT parquet, COMPRESSION zstd)",
                file: url)
        try run("DROP TABLE \(Self.stagingTable)")
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int else { throw IngestError(.loaderFile, message: "DuckDB did not write the parquet file \(url.path)") }
        return size
    }

    /// The end of the rows from `rows.lowerBound` that fit the file: all of them when they fit,
    /// else up to and including the row that reaches the limit (at least one row).
    private func lastRow(of batch: TableBatch, rows: Range<Int>, byteLimit: Int) -> Int {
        let remaining = byteLimit - byteCount
        if batch.buffers.reduce(0, { $0 + $1.estimatedBytes(rows) }) < remaining { return rows.upperBound }
        var total = 0
        for row in rows {
            total += batch.buffers.reduce(0) { $0 + $1.estimatedBytes(row..<(row + 1)) }
            if total >= remaining { return row + 1 }
        }
        return rows.upperBound
    }

    private static func stagingType(_ type: DataType) -> String {
        type == .json ? "VARCHAR" : type.duckDBType
    }

    private func run(_ sql: String, file: URL? = nil) throws {
        do {
            try connection.execute(sql)
        } catch let error as DuckDBError {
            let kind: IngestError.Code = error.kind == .conversion || error.kind == .outOfRange ? .invalidData : .loaderFile
            let target = file.map { "writing \($0.path)" } ?? "staging parquet rows"
            throw IngestError(kind, message: "\(target): \(error.message)")
        }
    }
}
