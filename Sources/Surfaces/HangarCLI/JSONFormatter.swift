import DuckDB

/// Each result as one JSON array of objects, one object per row, keys in column order.
///
/// Hand-rolled rather than `JSONSerialization`: that loses the column order, cannot stream, and
/// would turn 64- and 128-bit integers into doubles.
struct JSONFormatter: ResultFormatter {
    func write(_ result: StreamedResult, to output: OutputSink) throws {
        let keys = result.columnNames.map(Self.string)
        output.write("[")
        var isFirst = true
        while let row = try result.next() {
            if !isFirst { output.write(",\n") }
            isFirst = false
            var object = "{"
            for (column, value) in row.values.enumerated() {
                if column > 0 { object += "," }
                object += keys[column] + ":" + Self.encode(value)
            }
            output.write(object + "}")
        }
        output.write("]\n")
    }

    private static func encode(_ value: DuckDBValue) -> String {
        switch value {
        case .null:
            "null"
        case .boolean(let flag):
            flag ? "true" : "false"
        case .tinyint, .smallint, .integer, .bigint, .hugeint,
             .utinyint, .usmallint, .uinteger, .ubigint, .uhugeint, .decimal:
            value.description
        // JSON has no spelling for infinity or NaN; a string keeps the value readable.
        case .float(let number):
            number.isFinite ? number.description : string(number.description)
        case .double(let number):
            number.isFinite ? number.description : string(number.description)
        // DuckDB checked the text when it became JSON, so it goes in as it is, not as a string.
        case .json(let text):
            text
        case .list(let items), .array(let items):
            "[" + items.map(encode).joined(separator: ",") + "]"
        case .structure(let fields):
            "{" + fields.map { string($0.name) + ":" + encode($0.value) }.joined(separator: ",") + "}"
        // JSON keys are strings, so a map's keys of any type are written as their text.
        case .map(let entries):
            "{" + entries.map { string($0.key.string ?? $0.key.description) + ":" + encode($0.value) }.joined(separator: ",") + "}"
        default:
            string(value.description)
        }
    }

    private static func string(_ text: String) -> String {
        JSONString.quoted(text)
    }
}
