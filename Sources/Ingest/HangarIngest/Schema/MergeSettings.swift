/// The merge hints of a table as stored in the schema, with normalized column names.
public struct MergeSettings: Sendable, Codable, Equatable {
    public var strategy: MergeStrategy
    public var dedupSort: DedupSort?
    public var hardDelete: String?

    public init(strategy: MergeStrategy, dedupSort: DedupSort? = nil, hardDelete: String? = nil) {
        self.strategy = strategy
        self.dedupSort = dedupSort
        self.hardDelete = hardDelete
    }

    enum CodingKeys: String, CodingKey { case strategy, dedupSort = "dedup_sort", hardDelete = "hard_delete" }
}
