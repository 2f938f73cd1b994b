import ArgumentParser

/// How `hangar sql` prints results; one flag each, so `--json` and `--csv` exclude each other.
enum OutputFormat: String, EnumerableFlag {
    case table, json, csv

    static func help(for value: OutputFormat) -> ArgumentHelp? {
        switch value {
        case .table: "Print results as aligned tables (the default)."
        case .json: "Print each result as a JSON array of objects."
        case .csv: "Print each result as CSV (RFC 4180) with a header line."
        }
    }

    var formatter: any ResultFormatter {
        switch self {
        case .table: TableFormatter()
        case .json: JSONFormatter()
        case .csv: CSVFormatter()
        }
    }
}
