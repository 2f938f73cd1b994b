import DuckDB

/// A box table in the style of DuckDB's own CLI: column names, then column types, then rows,
/// numbers right-aligned, and a closing line with the row count; or the same rows as a Markdown
/// table (`.mode markdown` in the interactive shell).
///
/// Column widths are measured on the first batch of rows only, so memory stays bounded however
/// long the result: rows after it are printed as they stream in, and a later cell wider than
/// its column pushes the rest of its line to the right rather than forcing the whole result to
/// be held before anything is printed.
struct TableFormatter: ResultFormatter {
    enum Style {
        case box, markdown
    }

    var style = Style.box
    /// The widest a line may be (the terminal's width in the interactive shell): wider columns
    /// are narrowed and their values cut with "…". nil leaves every value whole, as scripts and
    /// pipes need.
    var maxWidth: Int?
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
        var widths = names.indices.map { style == .box ? max(names[$0].count, types[$0].count) : max(names[$0].count, 3) }
        for row in batch {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        // Markdown is for pasting elsewhere, where a cut value would be a wrong one.
        let cuts = style == .box && maxWidth != nil
        if cuts, let maxWidth { widths = Self.narrowed(widths, toFit: maxWidth) }

        switch style {
        case .box:
            output.write(Self.border("┌", "┬", "┐", widths))
            output.write(Self.line(names, widths, names.map { _ in .center }, cuts: cuts))
            output.write(Self.line(types, widths, names.map { _ in .center }, cuts: cuts))
            if !batch.isEmpty { output.write(Self.border("├", "┼", "┤", widths)) }
        case .markdown:
            output.write(Self.line(names, widths, names.map { _ in .left }, separator: "|", cuts: false))
            output.write("|" + widths.indices.map { column in
                let dashes = String(repeating: "-", count: widths[column] + 2)
                return alignments[column] == .right ? dashes.dropLast() + ":" : dashes
            }.joined(separator: "|") + "|\n")
        }
        var rowCount = 0
        while !batch.isEmpty {
            for row in batch { output.write(Self.line(row, widths, alignments, separator: style == .box ? "│" : "|", cuts: cuts)) }
            rowCount += batch.count
            batch = batch.count < batchSize ? [] : try nextBatch(of: result)
        }
        guard style == .box else { return }
        output.write(Self.border("└", "┴", "┘", widths))
        output.write("(\(rowCount) \(rowCount == 1 ? "row" : "rows"))\n")
    }

    private func nextBatch(of result: StreamedResult) throws -> [[String]] {
        var batch: [[String]] = []
        while batch.count < batchSize, let row = try result.next() {
            batch.append(row.values.map { style == .box ? Self.cell($0) : Self.markdownCell($0) })
        }
        return batch
    }

    /// A value as one line of text: a line break inside a value would tear the box apart.
    private static func cell(_ value: DuckDBValue) -> String {
        TextTable.oneLine(value.description)
    }

    /// A `|` inside a value would end its Markdown cell.
    private static func markdownCell(_ value: DuckDBValue) -> String {
        cell(value).replacingOccurrences(of: "|", with: "\\|")
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

    /// Column widths whose lines fit in `maxWidth`: the widest columns are cut down to one
    /// common width, so narrow columns (ids, counts) stay whole and a long text gives up the
    /// room. A column keeps a few characters whatever happens; a result with too many columns
    /// for the terminal still overflows it rather than showing nothing.
    static func narrowed(_ widths: [Int], toFit maxWidth: Int) -> [Int] {
        // "│ " before each cell, " " after it, and the closing "│".
        let room = maxWidth - (3 * widths.count + 1)
        guard widths.reduce(0, +) > room else { return widths }
        let minimum = 5
        var cap = widths.max() ?? 0
        while cap > minimum, widths.reduce(0, { $0 + min($1, cap) }) > room { cap -= 1 }
        return widths.map { min($0, cap) }
    }

    private static func border(_ left: String, _ middle: String, _ right: String, _ widths: [Int]) -> String {
        left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right + "\n"
    }

    private static func line(_ cells: [String], _ widths: [Int], _ alignments: [Alignment], separator: String = "│",
                             cuts: Bool) -> String {
        let padded = cells.indices.map { column in
            let cell = cuts ? cut(cells[column], to: widths[column]) : cells[column]
            let room = max(0, widths[column] - cell.count)
            return switch alignments[column] {
            case .left: cell + String(repeating: " ", count: room)
            case .right: String(repeating: " ", count: room) + cell
            case .center: String(repeating: " ", count: room / 2) + cell + String(repeating: " ", count: room - room / 2)
            }
        }
        return "\(separator) " + padded.joined(separator: " \(separator) ") + " \(separator)\n"
    }

    /// A cell cut to its column's width, "…" marking the cut.
    private static func cut(_ cell: String, to width: Int) -> String {
        cell.count <= width ? cell : String(cell.prefix(max(0, width - 1))) + "…"
    }
}
