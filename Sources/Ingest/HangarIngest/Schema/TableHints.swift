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
    public var mergeStrategy: MergeStrategy
    /// For `delete-insert`: which of several rows with one key survives.
    public var dedupSort: DedupSort?
    /// A column whose true (or, for other types, non-null) value deletes the row's key instead.
    public var hardDelete: String?
    /// What this resource's data may change in the schema; nil follows the source and the run.
    public var schemaContract: SchemaContract?

    public init(table: String, writeDisposition: WriteDisposition = .append, primaryKey: [String] = [],
                mergeKey: [String] = [], columns: [ColumnHint] = [], maxTableNesting: Int? = nil,
                mergeStrategy: MergeStrategy = .deleteInsert, dedupSort: DedupSort? = nil, hardDelete: String? = nil,
                schemaContract: SchemaContract? = nil) {
        self.table = table
        self.writeDisposition = writeDisposition
        self.primaryKey = primaryKey
        self.mergeKey = mergeKey
        self.columns = columns
        self.maxTableNesting = maxTableNesting
        self.mergeStrategy = mergeStrategy
        self.dedupSort = dedupSort
        self.hardDelete = hardDelete
        self.schemaContract = schemaContract
    }
}
