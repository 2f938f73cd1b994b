import CivilCalendar
import Foundation

/// `load_package_state.json`: what a package is and what it holds, written at each stage.
struct PackageManifest: Codable, Equatable {
    var state: String
    var createdAt: Date
    var sourceName: String
    var resources: [ResourceEntry]
    var loaderFileFormat: LoaderFileFormat?
    var rowCounts: [String: Int]
    /// Root tables whose rows this package replaces (with their children).
    var replaceTables: [String]
    /// Every table this package wrote rows to.
    var tables: [String]

    struct ResourceEntry: Codable, Equatable {
        var index: Int
        var name: String
        var hints: TableHints
    }

    enum CodingKeys: String, CodingKey {
        case state, createdAt = "created_at", sourceName = "source_name", resources
        case loaderFileFormat = "loader_file_format", rowCounts = "row_counts", replaceTables = "replace_tables", tables
    }

    static let fileName = "load_package_state.json"

    static func read(from folder: URL) throws -> PackageManifest {
        let url = folder.appendingPathComponent(fileName)
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { decoder in
                let text = try decoder.singleValueContainer().decode(String.self)
                guard let microseconds = ISO8601Timestamp.parse(text) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time: \(text)"))
                }
                return Date(timeIntervalSince1970: Double(microseconds) / 1e6)
            }
            return try decoder.decode(PackageManifest.self, from: Data(contentsOf: url))
        } catch {
            throw IngestError(.storage, message: "cannot read the package manifest \(url.path): \(error). The package's data is still in that folder: if the file is damaged, move the folder out of the pipeline (keeping it) so later runs go on")
        }
    }

    func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Whole seconds, as `.iso8601` writes them, without its time-zone tables.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(CivilCalendar.iso8601(wholeSecondsOf: date.timeIntervalSince1970))
        }
        try PackageFiles.write(try encoder.encode(self), to: folder.appendingPathComponent(Self.fileName))
    }
}

/// Small files of a package, written so that a full disk says so.
enum PackageFiles {
    static func write(_ data: Data, to url: URL) throws {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw IngestError(.storage, message: "cannot write \(url.path): \(error.localizedDescription). Check free disk space and permissions")
        }
    }
}
