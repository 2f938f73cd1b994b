import Foundation

/// What a run loaded through the ingest engine: rows per table (`dataset.table`), summed over the
/// pipeline runs of the flight, and their load ids. The flight's program reports each load (the
/// FlightKit SDK and the Python helper module do it for it) as one JSON line in the file named by
/// `HANGAR_LOAD_INFO_FILE`; its supervisor reads the file when the program ends and records the
/// sum with the run, where the dashboard, the API and the metrics find it.
public struct RunLoadSummary: Sendable, Hashable, Codable {
    public var tables: [String: Int]
    public var loadIDs: [String]

    public init(tables: [String: Int] = [:], loadIDs: [String] = []) {
        self.tables = tables
        self.loadIDs = loadIDs
    }

    public var rowsLoaded: Int { tables.values.reduce(0, +) }

    enum CodingKeys: String, CodingKey {
        case tables
        case loadIDs = "load_ids"
    }

    /// One line of the load-info file: what one pipeline run loaded.
    public struct Report: Sendable, Codable, Equatable {
        public var pipeline: String
        public var dataset: String
        /// Rows per table, by the table's name in the dataset.
        public var rows: [String: Int]
        public var loadIDs: [String]

        public init(pipeline: String, dataset: String, rows: [String: Int], loadIDs: [String]) {
            self.pipeline = pipeline
            self.dataset = dataset
            self.rows = rows
            self.loadIDs = loadIDs
        }

        enum CodingKeys: String, CodingKey {
            case pipeline, dataset, rows
            case loadIDs = "load_ids"
        }

        /// The line appended to the load-info file.
        public var line: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return ((try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
        }
    }

    /// The sum of the reports in a load-info file; nil when there is none. A line that does not
    /// read (a program killed mid-write) is skipped: the others still count.
    public static func read(from file: URL) -> RunLoadSummary? {
        guard let data = try? Data(contentsOf: file), !data.isEmpty else { return nil }
        var summary = RunLoadSummary()
        var any = false
        for line in data.split(separator: 0x0A) {
            guard let report = try? JSONDecoder().decode(Report.self, from: Data(line)) else { continue }
            any = true
            for (table, rows) in report.rows {
                summary.tables["\(report.dataset).\(table)", default: 0] += rows
            }
            summary.loadIDs += report.loadIDs
        }
        return any ? summary : nil
    }
}
