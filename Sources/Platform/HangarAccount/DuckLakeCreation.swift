import DuckDB
import Foundation

/// Creates, configures and drops the account's DuckLake databases (`CREATE DATABASE name (TYPE ducklake,
/// DATA_PATH '/shared/folder'[, CATALOG 'postgres://…'])`).
///
/// The catalog is a PostgreSQL database: by default the control database's own server and
/// database when `HANGAR_CONTROL` is a `postgres://` URL (every host of a team reaches it
/// already), each lake in a schema of its own (`ducklake_<name>`); otherwise CATALOG must name
/// one. A lake is created by attaching it once, which makes its catalog tables and checks that
/// the catalog is reachable before the descriptor is written.
public struct DuckLakeCreation: Sendable {
    public let home: HangarHome
    public let environment: [String: String]

    public init(home: HangarHome, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.home = home
        self.environment = environment
    }

    /// The schema of the catalog database holding lake `name`'s tables.
    public static func metadataSchema(forName name: String) -> String {
        "ducklake_" + name.lowercased()
    }

    /// The catalog `CREATE DATABASE` gets when none is given: the control database's URL.
    public func defaultCatalog() throws -> String {
        let control = environment["HANGAR_CONTROL"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let lowered = control.lowercased()
        guard lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") else {
            throw DuckLakeError(.catalogRequired, "a DuckLake database keeps its catalog in PostgreSQL, and this account's control "
                + "store is not on PostgreSQL (HANGAR_CONTROL is \(control.isEmpty ? "unset" : "not a postgres:// URL")) to use by default: "
                + "give one, as in CREATE DATABASE name (TYPE ducklake, DATA_PATH '/shared/folder', CATALOG 'postgres://user@host:5432/database')")
        }
        return control
    }

    /// Records lake `name` (its catalog created or found, its data folder made) and returns its
    /// descriptor file. `replace` overwrites a descriptor of that name (never a DuckDB file).
    @discardableResult
    public func create(name: String, dataPath: String, catalog: String?, objectStore: DuckLakeObjectStore? = nil,
                       maintenance: LakeMaintenanceSettings? = nil, replace: Bool = false) throws -> URL {
        guard HangarHome.isValidDatabaseName(name) else {
            throw DuckLakeError(.invalid, "\"\(name)\" is not a database name: use letters, digits and underscores")
        }
        try FileManager.default.createDirectory(at: home.databases, withIntermediateDirectories: true)
        let descriptorFile = home.lakeDescriptor(name)
        let duckDBFile = home.databases.appendingPathComponent("\(name).duckdb")
        if FileManager.default.fileExists(atPath: duckDBFile.path) {
            throw DuckLakeError(.exists, "database \"\(name)\" already exists as a DuckDB file (\(duckDBFile.path)); DROP DATABASE \(name) first, or choose another name")
        }
        if FileManager.default.fileExists(atPath: descriptorFile.path), !replace {
            throw DuckLakeError(.exists, "database \"\(name)\" already exists (\(descriptorFile.path)); use CREATE DATABASE IF NOT EXISTS, CREATE OR REPLACE DATABASE, or DROP DATABASE \(name) first")
        }
        var path = dataPath.trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty else {
            throw DuckLakeError(.invalid, "a DuckLake database needs DATA_PATH, the folder (shared by every host that writes it) or s3:// URL of its Parquet files")
        }
        let isLocal = !path.contains("://")
        if isLocal {
            // Relative to where the statement runs; the descriptor must hold a path every process reads alike.
            path = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            if !path.hasSuffix("/") { path += "/" }
        }
        if !isLocal, !path.hasSuffix("/") { path += "/" }
        let location = DuckLakeLocation(catalog: try catalog ?? defaultCatalog(), metadataSchema: Self.metadataSchema(forName: name),
                                        dataPath: path, objectStore: objectStore)
        guard isLocal || location.isObjectStorage else {
            throw DuckLakeError(.invalid, "DATA_PATH \(path) is neither a folder nor an s3:// URL; Hangar's lakes keep their Parquet files in one of those")
        }
        if let maintenance { try LakeMaintenance.validate(maintenance) }
        let connection = try Database(.inMemory).connect()
        do {
            try DuckLake.checkObjectStore(location, alias: name, using: connection)
        } catch let error as DuckDBError {
            throw DuckLakeError(.storageUnreachable, error.message + " (check S3_ENDPOINT, S3_REGION, S3_URL_STYLE and the credentials, "
                                + "or AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_ENDPOINT_URL)")
        }
        do {
            try DuckLake.attach(location, as: name, to: connection)
        } catch let error as DuckDBError {
            throw DuckLakeError(.catalogUnreachable, error.message)
        }
        try? connection.execute("DETACH \(quoteIdentifier(name))")
        try DuckLakeDescriptor(location: location, maintenance: maintenance).write(to: descriptorFile)
        return descriptorFile
    }

    /// Sets lake `name`'s maintenance (schedule and retention); nil leaves it to be run by hand
    /// with the default retention. Returns the descriptor as written.
    @discardableResult
    public func setMaintenance(name: String, _ settings: LakeMaintenanceSettings?) throws -> DuckLakeDescriptor {
        let file = home.lakeDescriptor(name)
        var descriptor = try self.descriptor(name: name)
        if let settings { try LakeMaintenance.validate(settings) }
        descriptor.maintenance = settings
        try descriptor.write(to: file)
        return descriptor
    }

    /// Lake `name`'s descriptor; a clear error when the account has no lake of that name.
    public func descriptor(name: String) throws -> DuckLakeDescriptor {
        let file = home.lakeDescriptor(name)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw DuckLakeError(.invalid, "there is no DuckLake database \"\(name)\" in this account (\(file.path)); SHOW DATABASES lists them, CREATE DATABASE \(name) (TYPE ducklake, …) makes one")
        }
        return try DuckLakeDescriptor.read(from: file)
    }

    /// Removes lake `name`'s descriptor; its catalog rows and Parquet files stay where they are
    /// (other accounts or hosts may use them), and `create` with the same catalog and path
    /// finds them again. Returns the descriptor it removed.
    @discardableResult
    public func drop(name: String) throws -> DuckLakeDescriptor {
        let file = home.lakeDescriptor(name)
        let descriptor = try DuckLakeDescriptor.read(from: file)
        try FileManager.default.removeItem(at: file)
        return descriptor
    }
}
