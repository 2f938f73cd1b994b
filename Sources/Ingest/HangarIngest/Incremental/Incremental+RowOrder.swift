extension Incremental {
    /// The order the resource yields rows in, by cursor value.
    public enum RowOrder: Sendable, Hashable {
        case ascending
        case descending
    }
}
