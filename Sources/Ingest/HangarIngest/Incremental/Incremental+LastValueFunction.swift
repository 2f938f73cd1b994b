extension Incremental {
    /// How the last value follows the rows: the greatest cursor value seen, or the least.
    public enum LastValueFunction: Sendable, Hashable {
        /// Cursors that grow (`updated_at`, increasing ids): the range is at or above the start.
        case max
        /// Cursors that shrink: the range is at or below the start, and the end lies below it.
        case min
    }
}
