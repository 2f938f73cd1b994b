import Foundation

/// Writes the rows of one file at a time in one format. `LoaderFileWriter` decides when a file
/// opens and closes (size limit, a column changing type); an implementation only encodes.
protocol LoaderFileFormatWriter: AnyObject {
    /// Starts a file at `url`, which does not exist yet, for rows with `columns`.
    func open(_ url: URL, columns: [ColumnSchema]) throws

    /// The open file gains columns; rows written before have no value for them.
    func addColumns(_ columns: [ColumnSchema]) throws

    /// Writes `batch`'s rows from `rows.lowerBound` on, stopping after the row with which the
    /// file reaches `byteLimit`; returns the index after the last row written. Writes at least
    /// one row, so a single huge row still makes progress. `batch.columns` are all in the file.
    func write(_ batch: TableBatch, rows: Range<Int>, byteLimit: Int) throws -> Int

    /// The size of the open file so far, as the size limit counts it.
    var byteCount: Int { get }

    /// Completes the open file; returns its size on disk.
    func close() throws -> Int
}
