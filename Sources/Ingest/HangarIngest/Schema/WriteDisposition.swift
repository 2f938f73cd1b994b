/// How a load treats the rows already in a table.
public enum WriteDisposition: String, Sendable, Codable, CaseIterable {
    /// Add the new rows.
    case append
    /// Replace the table's rows (and its child tables') with the new ones, in one transaction.
    case replace
    /// Update rows by primary key; part 2 of the ingest engine.
    case merge
    /// Extract nothing into the destination for this resource.
    case skip
}

/// How `replace` swaps the rows in.
public enum ReplaceStrategy: String, Sendable, Codable {
    /// Delete the table's rows, then insert the new ones, inside the load transaction.
    case truncateAndInsert = "truncate-and-insert"
    /// Load into `<dataset>_staging` first, then delete and copy over inside the load transaction.
    case insertFromStaging = "insert-from-staging"
}
