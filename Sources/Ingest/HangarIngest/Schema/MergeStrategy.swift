/// How `merge` combines a load with the rows already in the table.
public enum MergeStrategy: String, Sendable, Codable, CaseIterable {
    /// Delete destination rows whose primary (or merge) key appears in the load, then insert the
    /// load, deduplicated on the primary key. dlt's default.
    case deleteInsert = "delete-insert"
    /// Update rows by a unique primary key, insert the others; `_dlt_id` derives from the key.
    case upsert
    /// Insert only rows whose primary key is not in the table yet.
    case insertOnly = "insert-only"
    /// Keep history (slowly changing dimension, type 2): `_dlt_id` is a digest of the row's
    /// values; a load inserts the rows that are new, valid from the load's time
    /// (`_dlt_valid_from`), and retires current rows it no longer holds (`_dlt_valid_to` set to
    /// the load's time). With a merge key only current rows whose key the load holds can retire,
    /// so a load may be partial. Needs no primary key.
    case scd2
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
