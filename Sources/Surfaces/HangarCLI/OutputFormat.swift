import ArgumentParser

/// How `hangar sql` prints results; one flag each, so `--json` and `--csv` exclude each other.
/// The interactive shell's `.mode` switches between the same formats.
enum OutputFormat: String, EnumerableFlag, CaseIterable {
    case table, json, csv, line, markdown

    static func help(for value: OutputFormat) -> ArgumentHelp? {
        switch value {
        case .table: "Print results as aligned tables (the default)."
        case .json: "Print each result as a JSON array of objects."
        case .csv: "Print each result as CSV (RFC 4180) with a header line."
        case .line: "Print each row as name = value lines, values whole."
        case .markdown: "Print results as Markdown tables."
        }
    }

    var formatter: any ResultFormatter { formatter(maxWidth: nil) }

    /// `maxWidth` cuts wide table values to fit a terminal; the other formats print them whole.
    func formatter(maxWidth: Int?) -> any ResultFormatter {
        switch self {
        case .table: TableFormatter(maxWidth: maxWidth)
        case .json: JSONFormatter()
        case .csv: CSVFormatter()
        case .line: LineFormatter()
        case .markdown: TableFormatter(style: .markdown)
        }
    }
}
