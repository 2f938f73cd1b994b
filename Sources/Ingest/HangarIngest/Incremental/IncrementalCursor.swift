/// Where a resource's incremental stands, as the resource sees it through
/// ``ResourceEmitter/incremental``: before the first row, to ask an API only for what is new
/// (`since=<startValue>`), and while rows are emitted.
public struct IncrementalCursor: Sendable, Equatable {
    public let cursorPath: String
    /// The incremental's ``Incremental/initialValue``, as stored by the first run.
    public let initialValue: IngestValue?
    /// The lowest value this run loads (the highest, for `.min`): the stored last value minus
    /// the lag, the initial value on the first run and for backfills; nil when there is neither.
    public let startValue: IngestValue?
    /// The best cursor value so far: before the first row, the stored one (the initial value
    /// when nothing is stored, and always for backfills), then moving with this run's rows.
    public let lastValue: IngestValue?
    /// Where a backfill stops; nil for regular incremental runs.
    public let endValue: IngestValue?
}
