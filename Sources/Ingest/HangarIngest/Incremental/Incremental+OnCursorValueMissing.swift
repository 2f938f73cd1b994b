extension Incremental {
    /// What to do with a row whose cursor path leads nowhere or to `null`.
    public enum OnCursorValueMissing: Sendable, Hashable {
        /// Fail the run with ``IngestError/Kind/incrementalCursor``, naming the resource, the
        /// row's position and the cursor path. Nothing of the run is loaded.
        case raise
        /// Load the row; it does not move the last value.
        case include
        /// Drop the row.
        case exclude
    }
}
