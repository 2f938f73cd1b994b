import DuckDB
import HangarViews

/// Each result as one JSON array of objects, one object per row, keys in column order, values
/// as `DuckDBJSON` writes them (the API's SQL answers use the same policy).
///
/// Streamed row by row rather than built whole: a result may be larger than memory.
struct JSONFormatter: ResultFormatter {
    var policy = DuckDBJSON()

    func write(_ result: StreamedResult, to output: OutputSink) throws {
        let keys = result.columnNames.map(JSONValue.quoted)
        output.write("[")
        var isFirst = true
        while let row = try result.next() {
            if !isFirst { output.write(",\n") }
            isFirst = false
            var object = "{"
            for (column, value) in row.values.enumerated() {
                if column > 0 { object += "," }
                object += keys[column] + ":" + policy.value(value).text
            }
            output.write(object + "}")
        }
        output.write("]\n")
    }
}
