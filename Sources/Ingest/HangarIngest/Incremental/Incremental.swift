/// Loads only what is new since the last run, dlt's `incremental(...)`: a cursor field in each
/// row (an `updated_at`, an increasing id), whose best value so far — the *last value* — is kept
/// in the resource's state and commits with the data.
///
///     let repos = Resource("repos", hints: TableHints(table: "repos", primaryKey: ["id"]),
///                          incremental: Incremental(cursorPath: "pushed_at",
///                                                   initialValue: .string("2024-01-01T00:00:00Z"))) { emit in
///         // Ask the API only for what is new: the cursor is known before the first row.
///         let since = emit.incremental?.startValue
///         for page in try await api.repos(pushedSince: since) {
///             try emit.rows(page)
///         }
///     }
///
/// As rows are emitted (before anything is written to the load package):
/// - rows whose cursor value is outside the range `[startValue, endValue)` are dropped (the
///   bounds' openness is ``rangeStart`` and ``rangeEnd``; for ``LastValueFunction/min`` the
///   range runs downwards);
/// - rows exactly at the stored last value that were loaded by an earlier run are dropped: their
///   keys (``primaryKey``, else a digest of the whole row) are kept in state, so an API that
///   answers `since=` inclusively does not load them twice while new rows at that value load;
/// - the best cursor value seen (``lastValueFunction``) becomes the new last value.
///
/// The state is `state["incremental"][cursorPath] = {"initial_value", "last_value",
/// "unique_hashes"}` in the resource's section. It goes into the package with the rows and
/// reaches the destination in the load's transaction, so a run that fails anywhere leaves the
/// cursor where it was, and the next run asks for the same rows again.
///
/// Cursor values compare by kind: integers, doubles and decimals numerically; `.timestamp` values
/// and ISO-8601 timestamp strings as instants (`…Z` and `…+00:00` are the same instant); `.date`
/// values and `YYYY-MM-DD` strings as days; other strings by their UTF-8 bytes (code points).
/// Values of kinds that cannot be ordered against each other (a number and a timestamp) fail the
/// run with ``IngestError/Kind/incrementalCursor``. State stores timestamps as ISO-8601 strings
/// and dates as `YYYY-MM-DD`, so a cursor read back from state (``IncrementalCursor/lastValue``)
/// is a string even if the rows carried `.timestamp` values; they still compare as instants.
public struct Incremental: Sendable, Equatable {
    /// Where the cursor value is in a raw row: `"pushed_at"`, `"owner.updated_at"`, or a simple
    /// JSONPath: `"$.owner.updated_at"`, `"items[0].ts"`, `"$['odd.key'].ts"`. Wildcards,
    /// recursive descent and filters are not supported.
    public var cursorPath: String
    /// Where the first run starts; nil starts with the first row. Later runs start at the
    /// stored last value.
    public var initialValue: IngestValue?
    /// Which end of the range moves: `.max` for cursors that grow (the default), `.min` for
    /// cursors that shrink.
    public var lastValueFunction: LastValueFunction
    /// Where a backfill stops. When set, rows are taken from `[initialValue, endValue)` (from
    /// everything before the end without an initial value), boundary deduplication is off, and
    /// the state is neither read nor written: backfills can run in any order next to the regular
    /// incremental runs without moving their cursor.
    public var endValue: IngestValue?
    /// How the resource's rows are sorted by the cursor, if they are. Sorted rows let the
    /// resource stop early: once a row is past the range in the direction they are sorted,
    /// nothing after it can be loaded and ``ResourceEmitter/shouldStop`` turns true.
    public var rowOrder: RowOrder?
    /// What happens to a row without a cursor value (path absent or `null`).
    public var onCursorValueMissing: OnCursorValueMissing
    /// How far to reach back behind the stored last value: numbers subtract it, timestamps
    /// take it in seconds, dates in days (for `.min`, it is added). The start never goes behind
    /// ``initialValue``. The lagged window is meant to be read again (with a merge replacing
    /// updated rows), so boundary deduplication is off when a lag is set. Must not be negative.
    public var lag: Double?
    /// Whether rows exactly at the start value belong to the range (`.closed`, the default, with
    /// boundary deduplication) or not (`.open`: only strictly newer rows, no deduplication
    /// needed).
    public var rangeStart: RangeBoundary
    /// Whether rows exactly at ``endValue`` belong to the range (`.open` by default).
    public var rangeEnd: RangeBoundary
    /// The row fields whose values identify a row for boundary deduplication; nil takes the
    /// resource's ``TableHints/primaryKey``. Without a key, a digest of the whole row is used.
    public var primaryKey: [String]?

    /// At most this many keys of rows at the last value are remembered. dlt keeps all of them, so
    /// its state grows without bound when many rows share one cursor value; here, beyond the
    /// bound the most recent keys are kept. The consequence: only when more than this many rows
    /// share the exact last value can a few of them load twice on the next run.
    public static let boundaryKeyLimit = 10_000

    public init(cursorPath: String, initialValue: IngestValue? = nil, lastValueFunction: LastValueFunction = .max,
                endValue: IngestValue? = nil, rowOrder: RowOrder? = nil,
                onCursorValueMissing: OnCursorValueMissing = .raise, lag: Double? = nil,
                rangeStart: RangeBoundary = .closed, rangeEnd: RangeBoundary = .open, primaryKey: [String]? = nil) {
        self.cursorPath = cursorPath
        self.initialValue = initialValue
        self.lastValueFunction = lastValueFunction
        self.endValue = endValue
        self.rowOrder = rowOrder
        self.onCursorValueMissing = onCursorValueMissing
        self.lag = lag
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
        self.primaryKey = primaryKey
    }
}
