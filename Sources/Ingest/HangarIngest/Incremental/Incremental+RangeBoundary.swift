extension Incremental {
    /// Whether a range includes the rows exactly at its bound.
    public enum RangeBoundary: Sendable, Hashable {
        /// The bound belongs to the range.
        case closed
        /// The bound does not belong to the range.
        case open
    }
}
