import Foundation

/// Where a DuckLake database lives: its catalog (a PostgreSQL database, as a `postgres://…` URL
/// or libpq's `dbname=… host=…` words), the schema of that database holding the catalog's
/// tables (one per lake, so many lakes share one PostgreSQL database), and the folder (or
/// `s3://…` URL) its Parquet files go to, with how to reach that bucket.
public struct DuckLakeLocation: Sendable, Equatable, Codable {
    public var catalog: String
    public var metadataSchema: String
    public var dataPath: String
    /// For an `s3://` data path: the endpoint and credentials (what is missing comes from the environment).
    public var objectStore: DuckLakeObjectStore?

    public init(catalog: String, metadataSchema: String, dataPath: String, objectStore: DuckLakeObjectStore? = nil) {
        self.catalog = catalog
        self.metadataSchema = metadataSchema
        self.dataPath = dataPath
        self.objectStore = objectStore
    }

    enum CodingKeys: String, CodingKey {
        case catalog
        case metadataSchema = "metadata_schema"
        case dataPath = "data_path"
        case objectStore = "s3"
    }

    /// Whether the data lives in an object store (`s3://…`) rather than a folder.
    public var isObjectStorage: Bool {
        dataPath.lowercased().hasPrefix("s3://") || dataPath.lowercased().hasPrefix("s3a://")
    }

    /// As printed in messages and load info: the catalog without its password.
    public var description: String {
        "ducklake:postgres:\(Self.maskingPassword(catalog)) (schema \(metadataSchema), data \(dataPath))"
    }

    /// `postgres://user:secret@host/db` → `postgres://user:***@host/db`; `password=secret` → `password=***`.
    public static func maskingPassword(_ catalog: String) -> String {
        var text = catalog
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
           let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        if let expression = try? NSRegularExpression(pattern: #"password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)"#, options: [.caseInsensitive]) {
            text = expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "password=***")
        }
        return text
    }
}
