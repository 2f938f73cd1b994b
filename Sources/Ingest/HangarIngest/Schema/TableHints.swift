/// How one resource's rows become a table: its name, disposition, keys, column hints and how
/// deep nested data unnests.
public struct TableHints: Sendable, Equatable, Codable {
    public var table: String
    public var writeDisposition: WriteDisposition
    public var primaryKey: [String]
    public var mergeKey: [String]
    public var columns: [ColumnHint]
    /// Nested objects and lists deeper than this stay `json` columns; nil unnests everything.
    public var maxTableNesting: Int?

    public init(table: String, writeDisposition: WriteDisposition = .append, primaryKey: [String] = [],
                mergeKey: [String] = [], columns: [ColumnHint] = [], maxTableNesting: Int? = nil) {
        self.table = table
        self.writeDisposition = writeDisposition
        self.primaryKey = primaryKey
        self.mergeKey = mergeKey
        self.columns = columns
        self.maxTableNesting = maxTableNesting
    }
}
