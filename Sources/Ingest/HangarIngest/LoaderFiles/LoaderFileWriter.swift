import Foundation

/// Writes the batches of one table into job files of one format, starting a new file whenever
/// the current one reaches `maxFileBytes`.
///
/// Call `write(_:)` for each batch, then `finish()` once for the files. Files are named by
/// `makeFileName(n)` for n = 0, 1, 2, … and are never overwritten: an existing file is an error.
///
/// Sizes: jsonl and insert_values count the bytes written, so a file ends after the row that
/// reaches the limit. Parquet counts the rows' in-memory size (fixed width per value, plus the
/// bytes of text, JSON and binary) because a parquet file only exists once it is complete;
/// compressed, the file comes out smaller than the limit.
///
/// Batches may grow columns from one to the next (schema evolution): the open file takes them
/// on, and earlier rows load with NULL there. A column that changes type starts a new file.
///
/// After an error the writer is unusable (every call throws), and files already written may be
/// incomplete: discard them with the rest of the package.
public final class LoaderFileWriter {
    /// 100 MB.
    public static let defaultMaxFileBytes = 100_000_000

    /// The table whose rows this writer takes.
    public let table: String
    public let format: LoaderFileFormat
    /// Where the files go.
    public let folder: URL
    /// The size at which a file is complete and the next row starts a new one.
    public let maxFileBytes: Int

    private let makeFileName: (Int) -> String
    private let encoder: any LoaderFileFormatWriter
    private var openFile: (url: URL, columns: [ColumnSchema], rowCount: Int)?
    private var finished: [LoaderFile] = []
    private var state = State.writing

    private enum State {
        case writing, finished, failed
    }

    /// A writer for `table`'s rows; `folder` is created if missing.
    /// - Parameter makeFileName: the file name (not path) for file number n, counting from 0.
    public init(table: String, format: LoaderFileFormat, folder: URL, maxFileBytes: Int = LoaderFileWriter.defaultMaxFileBytes,
                makeFileName: @escaping (Int) -> String) throws {
        guard maxFileBytes > 0 else {
            throw IngestError(.loaderFile, message: "maxFileBytes must be positive, not \(maxFileBytes)")
        }
        self.table = table
        self.format = format
        self.folder = folder
        self.maxFileBytes = maxFileBytes
        self.makeFileName = makeFileName
        switch format {
        case .parquet: encoder = try ParquetFileWriter()
        case .jsonl: encoder = JSONLinesFileWriter()
        case .insertValues: encoder = InsertValuesFileWriter()
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw IngestError(.loaderFile, message: "could not create the folder \(folder.path) for \(table)'s loader files: \(error.localizedDescription)")
        }
    }

    /// Writes every row of `batch`, which must be of this writer's table.
    public func write(_ batch: TableBatch) throws {
        try ensureWriting()
        do {
            try validate(batch)
            var start = 0
            while start < batch.rowCount {
                try prepareFile(for: batch.columns)
                let end = try encoder.write(batch, rows: start..<batch.rowCount, byteLimit: maxFileBytes)
                openFile!.rowCount += end - start
                start = end
                if encoder.byteCount >= maxFileBytes { try closeFile() }
            }
        } catch {
            state = .failed
            throw error
        }
    }

    /// Completes the last file and returns every file written, in order; none when no rows were
    /// written. The writer takes no more batches afterwards.
    public func finish() throws -> [LoaderFile] {
        try ensureWriting()
        do {
            try closeFile()
        } catch {
            state = .failed
            throw error
        }
        state = .finished
        return finished
    }

    private func ensureWriting() throws {
        switch state {
        case .writing: return
        case .finished: throw IngestError(.loaderFile, message: "the \(format.rawValue) writer for \(table) is already finished")
        case .failed: throw IngestError(.loaderFile, message: "the \(format.rawValue) writer for \(table) failed earlier; discard its files")
        }
    }

    private func validate(_ batch: TableBatch) throws {
        guard batch.table == table else {
            throw IngestError(.invalidData, message: "a batch of \(batch.table) was given to the loader-file writer of \(table)")
        }
        guard !batch.columns.isEmpty || batch.rowCount == 0 else {
            throw IngestError(.invalidData, message: "\(table): a batch has rows but no columns")
        }
        var names = Set<String>()
        for (column, buffer) in zip(batch.columns, batch.buffers) {
            guard names.insert(column.name).inserted else {
                throw IngestError(.invalidData, message: "\(table): the batch has column \(column.name) twice")
            }
            guard buffer.count == batch.rowCount else {
                throw IngestError(.invalidData, message: "\(table).\(column.name) has \(buffer.count) values, the batch \(batch.rowCount) rows")
            }
            guard buffer.holds(column.dataType) else {
                throw IngestError(.invalidData, message: "\(table).\(column.name) is \(column.dataType.rawValue) but its buffer holds other values")
            }
        }
    }

    /// Makes sure a file is open that can take rows with `columns`.
    private func prepareFile(for columns: [ColumnSchema]) throws {
        if let open = openFile {
            let known = Dictionary(open.columns.map { ($0.name, $0.dataType) }, uniquingKeysWith: { first, _ in first })
            if columns.contains(where: { column in known[column.name].map { $0 != column.dataType } ?? false }) {
                try closeFile()
            } else {
                let added = columns.filter { known[$0.name] == nil }
                if !added.isEmpty {
                    try encoder.addColumns(added)
                    openFile!.columns += added
                }
                return
            }
        }
        let url = folder.appendingPathComponent(makeFileName(finished.count))
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw IngestError(.loaderFile, message: "the loader file \(url.path) already exists; file names must be unique")
        }
        try encoder.open(url, columns: columns)
        openFile = (url, columns, 0)
    }

    private func closeFile() throws {
        guard let open = openFile else { return }
        openFile = nil
        let bytes = try encoder.close()
        finished.append(LoaderFile(url: open.url, format: format, table: table, columns: open.columns,
                                   rowCount: open.rowCount, byteCount: bytes))
    }
}
