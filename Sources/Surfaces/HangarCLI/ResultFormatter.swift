import DuckDB

/// Writes one query result in one output format. A formatter pulls the rows itself so that it
/// decides how many to hold at once; results are streamed and may be larger than memory.
protocol ResultFormatter {
    func write(_ result: StreamedResult, to output: OutputSink) throws
}
