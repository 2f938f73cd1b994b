import Foundation

/// One finished job file: rows of one table in one loader-file format, ready for
/// `LoaderFileLoad` to put into the destination.
public struct LoaderFile: Sendable, Equatable, Codable {
    public let url: URL
    public let format: LoaderFileFormat
    public let table: String
    /// Every column some row of the file may hold, in the order they first appeared. Rows written
    /// before a column appeared have no value for it, which loads as NULL.
    public let columns: [ColumnSchema]
    public let rowCount: Int
    /// The size of the file on disk.
    public let byteCount: Int

    public init(url: URL, format: LoaderFileFormat, table: String, columns: [ColumnSchema], rowCount: Int, byteCount: Int) {
        self.url = url
        self.format = format
        self.table = table
        self.columns = columns
        self.rowCount = rowCount
        self.byteCount = byteCount
    }
}
