import DuckDB

/// One `name = value` line per column and a blank line between rows, as DuckDB's CLI prints in
/// `.mode line`: every value whole, however long, where a table would cut it to the terminal.
struct LineFormatter: ResultFormatter {
    func write(_ result: StreamedResult, to output: OutputSink) throws {
        let width = result.columnNames.map(\.count).max() ?? 0
        let labels = result.columnNames.map { String(repeating: " ", count: width - $0.count) + $0 }
        var isFirst = true
        while let row = try result.next() {
            if !isFirst { output.write("\n") }
            isFirst = false
            for (column, value) in row.values.enumerated() {
                output.write("\(labels[column]) = \(value.description)\n")
            }
        }
    }
}
