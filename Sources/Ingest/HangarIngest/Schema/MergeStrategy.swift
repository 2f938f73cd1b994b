/// How `merge` combines a load with the rows already in the table.
public enum MergeStrategy: String, Sendable, Codable, CaseIterable {
    /// Delete destination rows whose primary (or merge) key appears in the load, then insert the
    /// load, deduplicated on the primary key. dlt's default.
    case deleteInsert = "delete-insert"
    /// Update rows by a unique primary key, insert the others; `_dlt_id` derives from the key.
    case upsert
    /// Insert only rows whose primary key is not in the table yet.
    case insertOnly = "insert-only"
}

/// Which row survives when one load holds several rows with the same primary key.
public struct DedupSort: Sendable, Codable, Equatable {
    public enum Order: String, Sendable, Codable { case ascending = "asc", descending = "desc" }

    public var column: String
    /// `.descending` keeps the row with the largest value, `.ascending` the smallest.
    public var order: Order

    public init(column: String, order: Order = .descending) {
        self.column = column
        self.order = order
    }
}
