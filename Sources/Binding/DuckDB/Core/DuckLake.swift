import Foundation

/// DuckLake databases (DuckDB's lakehouse format: the catalog in PostgreSQL, the data as Parquet
/// files) through DuckDB's `ducklake` and `postgres_scanner` extensions (and `httpfs` for an
/// `s3://` data path), loaded by path from the provisioned folder (`make setup`). Autoloading and
/// autoinstalling are turned off first, so a missing extension is an error naming `make setup`
/// rather than a download while a query runs.
public enum DuckLake {
    /// The extensions a lake at `dataPath` needs, in load order.
    public static func extensions(forDataPath dataPath: String) -> [String] {
        let remote = ["s3://", "s3a://", "gcs://", "gs://", "r2://", "http://", "https://", "az://", "abfss://"]
        return ["ducklake", "postgres_scanner"] + (remote.contains { dataPath.lowercased().hasPrefix($0) } ? ["httpfs"] : [])
    }

    /// Loads the extensions `location` needs into `connection`'s database (each once).
    public static func prepare(_ connection: Connection, for location: DuckLakeLocation) throws {
        try connection.execute("SET autoinstall_known_extensions = false")
        try connection.execute("SET autoload_known_extensions = false")
        for name in extensions(forDataPath: location.dataPath) {
            let loaded = try connection.scalar(
                "SELECT loaded FROM duckdb_extensions() WHERE extension_name = ?", [name], as: Bool.self) ?? false
            if !loaded { try ProvisionedExtensions.load(name, into: connection) }
        }
    }

    /// `ATTACH` of `location` as `alias`. DuckLake creates the catalog's tables (in their own
    /// schema) on the first attach, and records the data path there.
    public static func attachStatement(_ location: DuckLakeLocation, alias: String, readOnly: Bool = false) -> String {
        var options = ["DATA_PATH \(quoteLiteral(location.dataPath))", "METADATA_SCHEMA \(quoteLiteral(location.metadataSchema))"]
        if readOnly { options.append("READ_ONLY") }
        return "ATTACH \(quoteLiteral("ducklake:postgres:" + location.catalog)) AS \(quoteIdentifier(alias)) (\(options.joined(separator: ", ")))"
    }

    /// Attaches `location` as `alias` to `connection`, loading the extensions first.
    public static func attach(_ location: DuckLakeLocation, as alias: String, to connection: Connection, readOnly: Bool = false) throws {
        try prepare(connection, for: location)
        do {
            try connection.execute(attachStatement(location, alias: alias, readOnly: readOnly))
        } catch let error as DuckDBError {
            // libpq's messages may quote the connection string, password included.
            throw DuckDBError(error.kind, message: "cannot attach the DuckLake database \(alias) at \(location.description): "
                              + maskingCatalog(error.message, location))
        }
    }

    /// A connection of its own (an in-memory DuckDB) whose default database is the lake,
    /// attached as `alias`.
    public static func connect(_ location: DuckLakeLocation, alias: String = "lake",
                               configuration: Configuration = Configuration()) throws -> Connection {
        let connection = try Database(.inMemory, configuration: configuration).connect()
        try attach(location, as: alias, to: connection)
        try connection.execute("USE \(quoteIdentifier(alias))")
        return connection
    }

    /// Whether `error` is a commit that lost to a concurrent one (DuckLake retries those itself
    /// `ducklake_max_retry_count` times before giving up with this).
    public static func isCommitConflict(_ error: DuckDBError) -> Bool {
        let message = error.message.lowercased()
        return error.kind == .transaction || message.contains("conflict") || message.contains("retry")
            || message.contains("could not serialize") || message.contains("duplicate key value")
    }

    static func maskingCatalog(_ message: String, _ location: DuckLakeLocation) -> String {
        message.replacingOccurrences(of: location.catalog, with: DuckLakeLocation.maskingPassword(location.catalog))
    }
}
