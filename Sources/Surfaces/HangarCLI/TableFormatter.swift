import DuckDB

/// A box table in the style of DuckDB's own CLI: column names, then column types, then rows,
/// numbers right-aligned, and a closing line with the row count.
///
/// Column widths are measured on the first batch of rows only, so memory stays bounded however
/// long the result: rows after it are printed as they stream in, and a later cell wider than
/// its column pushes the rest of its line to the right rather than forcing the whole result to
/// be held before anything is printed.
struct TableFormatter: ResultFormatter {
    var batchSize = 10_000

    private enum Alignment {
        case left, right, center
    }

    func write(_ result: StreamedResult, to output: OutputSink) throws {
        // A plan is a drawing of its own; escaped into one cell it could not be read.
        if result.columnNames == ["explain_key", "explain_value"] {
            while let row = try result.next() { output.write(row.values[1].description) }
            return
        }
        let names = result.columnNames
        let types = result.columnTypes.map(\.description)
        let alignments = result.columnTypes.map { Self.isNumeric($0) ? Alignment.right : .left }
        var batch = try nextBatch(of: result)
        var widths = names.indices.map { max(names[$0].count, types[$0].count) }
        for row in batch {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }

        output.write(Self.border("┌", "┬", "┐", widths))
        output.write(Self.line(names, widths, names.map { _ in .center }))
        output.write(Self.line(types, widths, names.map { _ in .center }))
        if !batch.isEmpty { output.write(Self.border("├", "┼", "┤", widths)) }
        var rowCount = 0
        while !batch.isEmpty {
            for row in batch { output.write(Self.line(row, widths, alignments)) }
            rowCount += batch.count
            batch = batch.count < batchSize ? [] : try nextBatch(of: result)
        }
        output.write(Self.border("└", "┴", "┘", widths))
        output.write("(\(rowCount) \(rowCount == 1 ? "row" : "rows"))\n")
    }

    private func nextBatch(of result: StreamedResult) throws -> [[String]] {
        var batch: [[String]] = []
        while batch.count < batchSize, let row = try result.next() {
            batch.append(row.values.map(Self.cell))
        }
        return batch
    }

    /// A value as one line of text: a line break inside a value would tear the box apart.
    private static func cell(_ value: DuckDBValue) -> String {
        TextTable.oneLine(value.description)
    }

    private static func isNumeric(_ type: DuckDBType) -> Bool {
        switch type {
        case .tinyint, .smallint, .integer, .bigint, .hugeint,
             .utinyint, .usmallint, .uinteger, .ubigint, .uhugeint,
             .float, .double, .decimal:
            true
        default:
            false
        }
    }

    private static func border(_ left: String, _ middle: String, _ right: String, _ widths: [Int]) -> String {
        left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right + "\n"
    }

    private static func line(_ cells: [String], _ widths: [Int], _ alignments: [Alignment]) -> String {
        let padded = cells.indices.map { column in
            let cell = cells[column], room = max(0, widths[column] - cell.count)
            return switch alignments[column] {
            case .left: cell + String(repeating: " ", count: room)
            case .right: String(repeating: " ", count: room) + cell
            case .center: String(repeating: " ", count: room / 2) + cell + String(repeating: " ", count: room - room / 2)
            }
        }
        return "│ " + padded.joined(separator: " │ ") + " │\n"
    }
}
