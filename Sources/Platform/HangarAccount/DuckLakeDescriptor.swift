import DuckDB
import Foundation

/// A DuckLake account database as the home records it: `databases/<name>.ducklake`, a small JSON
/// file beside the account's `.duckdb` files, naming the lake's PostgreSQL catalog (and the schema
/// there holding its tables) and its data path:
///
///     {"type": "ducklake", "catalog": "postgres://hangar@db-host/hangar",
///      "metadata_schema": "ducklake_events", "data_path": "/shared/lake/events",
///      "maintenance": {"schedule": "0 3 * * *", "expire_older_than": "7 days", "delete_older_than": "1 day"}}
///
/// A lake on S3 adds `"s3": {"endpoint": …, "region": …, "url_style": …, "use_ssl": …}` and may
/// hold `key_id` and `secret` there; without them each process takes its own from the environment.
///
/// The lake itself (catalog rows and Parquet files) lives there, not in the home: the file only
/// lets every surface attach it by name. Being a descriptor, not a database, it takes no lease;
/// DuckLake's snapshots let many writers commit at once. The file is owner-only, since a catalog
/// URL may carry a password.
public struct DuckLakeDescriptor: Sendable, Equatable, Codable {
    public static let fileExtension = "ducklake"

    public var type = "ducklake"
    public var catalog: String
    public var metadataSchema: String
    public var dataPath: String
    public var objectStore: DuckLakeObjectStore?
    /// Snapshot expiry and compaction: when the platform runs it, and what it keeps.
    public var maintenance: LakeMaintenanceSettings?

    enum CodingKeys: String, CodingKey {
        case type, catalog, maintenance
        case metadataSchema = "metadata_schema"
        case dataPath = "data_path"
        case objectStore = "s3"
    }

    public init(location: DuckLakeLocation, maintenance: LakeMaintenanceSettings? = nil) {
        catalog = location.catalog
        metadataSchema = location.metadataSchema
        dataPath = location.dataPath
        objectStore = location.objectStore
        self.maintenance = maintenance
    }

    public var location: DuckLakeLocation {
        DuckLakeLocation(catalog: catalog, metadataSchema: metadataSchema, dataPath: dataPath, objectStore: objectStore)
    }

    /// Whether `url` names a descriptor rather than a DuckDB file.
    public static func isDescriptor(_ url: URL) -> Bool {
        url.pathExtension == fileExtension
    }

    public static func read(from url: URL) throws -> DuckLakeDescriptor {
        let descriptor: DuckLakeDescriptor
        do {
            descriptor = try JSONDecoder().decode(DuckLakeDescriptor.self, from: Data(contentsOf: url))
        } catch {
            throw AccountError("cannot read the DuckLake database descriptor \(url.path): \(error)")
        }
        guard descriptor.type == "ducklake" else {
            throw AccountError("\(url.path) describes a database of type \(descriptor.type); this Hangar knows type ducklake only")
        }
        return descriptor
    }

    /// Writes the descriptor whole (a scratch file renamed into place), owner-only.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let scratch = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        guard FileManager.default.createFile(atPath: scratch.path, contents: try encoder.encode(self) + Data("\n".utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw AccountError("cannot write the DuckLake database descriptor \(url.path)")
        }
        if rename(scratch.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: scratch)
            throw AccountError("cannot write the DuckLake database descriptor \(url.path): \(String(cString: strerror(errno)))")
        }
    }
}
