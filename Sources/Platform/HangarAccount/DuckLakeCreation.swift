import DuckDB
import Foundation

/// Creates and drops the account's DuckLake databases (`CREATE DATABASE name (TYPE ducklake,
/// DATA_PATH '/shared/folder'[, CATALOG 'postgres://…'])`).
///
/// The catalog is a PostgreSQL database: by default the control database's own server and
/// database when `HANGAR_CONTROL` is a `postgres://` URL (every host of a team reaches it
/// already), each lake in a schema of its own (`ducklake_<name>`); otherwise CATALOG must name
/// one. A lake is created by attaching it once, which makes its catalog tables and checks that
/// the catalog is reachable before the descriptor is written.
public struct DuckLakeCreation {
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
    public func create(name: String, dataPath: String, catalog: String?, replace: Bool = false) throws -> URL {
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
        let location = DuckLakeLocation(catalog: try catalog ?? defaultCatalog(), metadataSchema: Self.metadataSchema(forName: name),
                                        dataPath: path)
        do {
            let connection = try Database(.inMemory).connect()
            try DuckLake.attach(location, as: name, to: connection)
            try connection.execute("DETACH \(quoteIdentifier(name))")
        } catch let error as DuckDBError {
            throw DuckLakeError(.catalogUnreachable, error.message)
        }
        try DuckLakeDescriptor(location: location).write(to: descriptorFile)
        return descriptorFile
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
