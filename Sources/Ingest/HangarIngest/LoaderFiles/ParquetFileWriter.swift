import DuckDB
import Foundation

/// Parquet files written by DuckDB's own writer, uncompressed: loader files are read once, by the
/// load, on the same machine, and snappy (pyarrow's default for dlt's) cost more in writing and
/// reading them than it saved, though the files take more disk for the while they exist.
/// The rows of the open file are held as
/// appender columns in Swift, then `COPY`'d to the file when it closes, read straight from them
/// by a chunk-producing table function. (Staging them in a DuckDB table first cost a second
/// copy into table storage, with its locks and statistics.)
///
/// The size limit counts the held rows' in-memory size (`ColumnBuffer.estimatedBytes`),
/// because the file only exists once it is complete. Row groups of 20,480 rows (DuckDB's default
/// is 122,880) keep DuckDB from holding a whole file's rows while it encodes them, which lowers a
/// run's peak memory, and loading reads them as fast.
final class ParquetFileWriter: LoaderFileFormatWriter {
    private let connection: Connection
    private let staged = StagedRows()
    private var url: URL?
    private(set) var byteCount = 0
    /// This writer's table function: functions live in the database's catalog, shared by all
    /// writers, so each has a name of its own.
    private let stagedRowsFunction: String

    private static let shared = SharedDatabase()

    init() throws {
        do {
            let (database, number) = try Self.shared.acquire()
            stagedRowsFunction = "hangar_staged_rows_\(number)"
            connection = try database.connect()
            let staged = staged
            try connection.register(TableFunction(name: stagedRowsFunction) { _ in
                TableFunctionResult(columns: staged.columns.map { ($0.name, Self.stagingType($0.dataType)) }) { chunk in
                    try staged.fill(chunk)
                }
            })
        } catch {
            throw IngestError(.loaderFile, message: "could not open DuckDB to write parquet: \(error)")
        }
    }

    func open(_ url: URL, columns: [ColumnSchema]) throws {
        self.url = url
        byteCount = 0
        staged.start(columns)
    }

    func addColumns(_ added: [ColumnSchema]) throws {
        staged.columns += added
    }

    func write(_ batch: TableBatch, rows: Range<Int>, byteLimit: Int) throws -> Int {
        let (end, bytes) = lastRow(of: batch, rows: rows, byteLimit: byteLimit)
        let slice = rows.lowerBound..<end
        let positions = Dictionary(batch.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        // Held columns the batch lacks are NULL for its rows (nil here).
        let values = try staged.columns.map { column -> (values: ColumnValues, first: Int)? in
            guard let index = positions[column.name] else { return nil }
            return try batch.buffers[index].columnValues(slice, column: column)
        }
        staged.segments.append(StagedRows.Segment(values: values, count: slice.count))
        byteCount += bytes
        return end
    }

    func close() throws -> Int {
        guard let url else { return 0 }
        self.url = nil
        defer { staged.start([]) }
        // JSON is held as text and checked by the cast here, as the other formats' loads check it.
        let select = staged.columns.map { column in
            column.dataType == .json ? "CAST(\(quoteIdentifier(column.name)) AS JSON) AS \(quoteIdentifier(column.name))" : quoteIdentifier(column.name)
        }
        try run("COPY (SELECT \(select.joined(separator: ", ")) FROM \(stagedRowsFunction)()) TO \(quoteLiteral(url.path)) (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 20480)",
                file: url)
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int else { throw IngestError(.loaderFile, message: "DuckDB did not write the parquet file \(url.path)") }
        return size
    }

    /// The end of the rows from `rows.lowerBound` that fit the file — all of them when they fit,
    /// else up to and including the row that reaches the limit (at least one row) — and their size.
    private func lastRow(of batch: TableBatch, rows: Range<Int>, byteLimit: Int) -> (end: Int, bytes: Int) {
        let remaining = byteLimit - byteCount
        let all = batch.buffers.reduce(0, { $0 + $1.estimatedBytes(rows) })
        if all < remaining { return (rows.upperBound, all) }
        var total = 0
        for row in rows {
            total += batch.buffers.reduce(0) { $0 + $1.estimatedBytes(row..<(row + 1)) }
            if total >= remaining { return (row + 1, total) }
        }
        return (rows.upperBound, total)
    }

    /// The column types of the table function: JSON as text, cast in the COPY.
    private static func stagingType(_ type: DataType) -> DuckDBType {
        switch type {
        case .text, .json: .varchar
        case .bigint: .bigint
        case .double: .double
        case .bool: .boolean
        case .timestamp: .timestampTZ
        case .date: .date
        case .time: .time
        case .decimal: .decimal(width: 38, scale: 9)
        case .wei: .decimal(width: 38, scale: 0)
        case .binary: .blob
        }
    }

    private func run(_ sql: String, file: URL? = nil) throws {
        do {
            try connection.execute(sql)
        } catch let error as DuckDBError {
            let kind: IngestError.Kind = error.kind == .conversion || error.kind == .outOfRange ? .invalidData : .loaderFile
            let target = file.map { "writing \($0.path)" } ?? "staging parquet rows"
            throw IngestError(kind, message: "\(target): \(error.message)")
        }
    }
}

/// The rows of the open parquet file, in the order written, and where the table function that
/// reads them during `COPY` has got to. Used by one writer on one thread: the COPY's table
/// function runs on the thread that runs the COPY (the database has one thread, the function
/// one producer), so no two threads touch it at once.
private final class StagedRows: @unchecked Sendable {
    /// Rows of one `write`: a value column per file column known then, with the index of the
    /// segment's first row in it (nil: NULL throughout); columns added later are NULL for these
    /// rows too.
    struct Segment {
        let values: [(values: ColumnValues, first: Int)?]
        let count: Int
    }

    var columns: [ColumnSchema] = []
    var segments: [Segment] = []
    private var segment = 0
    private var offset = 0

    func start(_ columns: [ColumnSchema]) {
        self.columns = columns
        segments = []
        segment = 0
        offset = 0
    }

    /// Fills `chunk` with the next rows; 0 at the end.
    func fill(_ chunk: DataChunk) throws -> Int {
        var row = 0
        while row < DataChunk.capacity, segment < segments.count {
            let current = segments[segment]
            let count = min(DataChunk.capacity - row, current.count - offset)
            for column in columns.indices {
                if column < current.values.count, let values = current.values[column] {
                    try chunk.write(values.values, column: column, from: values.first + offset, count: count, at: row)
                } else {
                    chunk.setNull(column: column, rows: row..<(row + count))
                }
            }
            row += count
            offset += count
            if offset == current.count {
                segment += 1
                offset = 0
            }
        }
        return row
    }
}

extension ParquetFileWriter {
    /// Opens the writers' database on another thread while the caller normalizes rows, which
    /// comes before any file is written, so a small package's normalize need not wait for it.
    /// The database stays open while the returned value exists.
    static func openDatabaseAhead() -> DatabaseAhead {
        DatabaseAhead(shared)
    }
}

/// Keeps the database `openDatabaseAhead` opened. (Written once, by the block that opens it,
/// before it signals; read and dropped by `finish`, after it waited for that signal.)
final class DatabaseAhead: @unchecked Sendable {
    private var database: Database?
    private let opened = DispatchSemaphore(value: 0)
    private var finished = false

    fileprivate init(_ shared: SharedDatabase) {
        DispatchQueue.global().async { [self] in
            database = try? shared.acquire().0
            opened.signal()
        }
    }

    /// Waits until the database is open, then lets it go: it closes unless writers still use it.
    /// A run that fails before any file is written must not leave DuckDB opening or closing on
    /// another thread: the process may exit right after, and DuckDB torn down under a thread
    /// still in it can crash the exit.
    func finish() {
        guard !finished else { return }
        finished = true
        opened.wait()
        database = nil
    }
}

/// One in-memory DuckDB for the writers that exist at once (a writer per table and normalize
/// worker), each on its own connection: opening a database is slow beside opening a connection.
/// It closes, handing its memory back, when the last writer using it is gone. One thread: writers
/// run side by side on the workers' threads, and COPY keeps row order.
fileprivate final class SharedDatabase: @unchecked Sendable {
    private let lock = NSLock()
    private weak var current: Database?
    /// Writers numbered so far: each names its table function by its number.
    private var numbered = 0

    /// The database, and a number for the writer's function name.
    func acquire() throws -> (Database, Int) {
        try lock.withLock {
            numbered += 1
            if let current { return (current, numbered) }
            let database = try Database(.inMemory, configuration: Configuration(threads: 1))
            current = database
            return (database, numbered)
        }
    }
}
