/// The human form of the flights commands' listings: aligned columns under upper-case titles,
/// numbers right-aligned, in the style of `docker ps`; and label/value lists for one object.
/// Listings are small (flights, versions, runs, secrets), so rows are measured whole.
struct TextTable {
    enum Alignment {
        case left, right
    }

    struct Column {
        let title: String
        let alignment: Alignment

        static func left(_ title: String) -> Column { Column(title: title, alignment: .left) }
        static func right(_ title: String) -> Column { Column(title: title, alignment: .right) }
    }

    let columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    mutating func append(_ cells: [String]) {
        rows.append(cells.map(Self.oneLine))
    }

    func rendered() -> String {
        var widths = columns.map(\.title.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        let titles = columns.map(\.title)
        return ([titles] + rows).map { line($0, widths) }.joined()
    }

    private func line(_ cells: [String], _ widths: [Int]) -> String {
        var text = ""
        for (index, cell) in cells.enumerated() {
            let room = String(repeating: " ", count: widths[index] - cell.count)
            let isLast = index == cells.count - 1
            switch columns[index].alignment {
            case .left: text += cell + (isLast ? "" : room)
            case .right: text += room + cell
            }
            if !isLast { text += "  " }
        }
        return text + "\n"
    }

    /// One object as `label: value` lines with the values aligned.
    static func details(_ fields: [(String, String)]) -> String {
        let width = fields.map(\.0.count).max() ?? 0
        return fields.map { label, value in
            label + ":" + String(repeating: " ", count: width - label.count + 2) + oneLine(value) + "\n"
        }.joined()
    }

    /// A value as one line: a line break inside a value (a config value, say) would tear the
    /// table apart.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20: escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

extension TextTable {
    /// Short items (names) in columns across `width` characters, filled down then across as
    /// `ls` does.
    static func grid(_ items: [String], width: Int) -> String {
        guard let widest = items.map(\.count).max() else { return "" }
        let columnWidth = widest + 2
        let columns = max(1, width / columnWidth)
        let rows = (items.count + columns - 1) / columns
        var text = ""
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let index = column * rows + row
                guard index < items.count else { break }
                let item = items[index]
                let isLast = column == columns - 1 || index + rows >= items.count
                line += isLast ? item : item + String(repeating: " ", count: columnWidth - item.count)
            }
            text += line + "\n"
        }
        return text
    }
}
