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
            try giveObjectStoreAccess(location, alias: alias, to: connection)
            try connection.execute(attachStatement(location, alias: alias, readOnly: readOnly))
        } catch let error as DuckDBError {
            // libpq's messages may quote the connection string, password included.
            throw DuckDBError(error.kind, message: "cannot attach the DuckLake database \(alias) at \(location.description): "
                              + maskingCatalog(error.message, location))
        }
    }

    /// Lists an `s3://` data path with the lake's credentials (attaching never touches the
    /// bucket), so a wrong endpoint, bucket or key shows before anything is recorded.
    public static func checkObjectStore(_ location: DuckLakeLocation, alias: String, using connection: Connection) throws {
        guard location.isObjectStorage else { return }
        try prepare(connection, for: location)
        do {
            try giveObjectStoreAccess(location, alias: alias, to: connection)
            _ = try connection.query("SELECT count(*) FROM glob(\(quoteLiteral(location.dataPath + "*")))").all()
        } catch let error as DuckDBError {
            // The probe's own SQL (DuckDB quotes it under the message) is not the user's.
            let message = error.message.components(separatedBy: "\nLINE 1:").first ?? error.message
            throw DuckDBError(error.kind, message: "cannot reach the data path \(location.dataPath) of the DuckLake database \(alias): "
                              + maskingCatalog(message.trimmingCharacters(in: .whitespacesAndNewlines), location))
        }
    }

    /// For an `s3://` data path, a temporary secret (this connection's database only) scoped to
    /// that path, from the location's object store and the environment. Nothing is created when
    /// neither names credentials or an endpoint: DuckDB then reads the bucket anonymously.
    static func giveObjectStoreAccess(_ location: DuckLakeLocation, alias: String, to connection: Connection) throws {
        guard location.isObjectStorage else { return }
        let store = (location.objectStore ?? DuckLakeObjectStore()).resolved()
        guard store.keyID != nil || store.endpoint != nil || store.region != nil else { return }
        try connection.execute(store.secretStatement(name: "hangar_lake_\(alias)", scope: location.dataPath))
    }

    /// A connection of its own (an in-memory DuckDB) whose default database is the lake,
    /// attached as `alias`.
    public static func connect(_ location: DuckLakeLocation, alias: String = "lake",
                               configuration: Configuration = Configuration()) throws -> Connection {
        var configuration = configuration
        // An in-memory database spills to `.tmp` in the working directory, which every process
        // started there would share, and each removes the others' files when it ends (a load then
        // fails to read back what it spilled, or crashes): a folder of this process's own.
        if configuration.temporaryDirectory == nil {
            configuration.temporaryDirectory = ProcessTemporaryFolders.make("hangar-duckdb")
        }
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

    /// `message` without the catalog's password or the object store's secrets.
    public static func maskingCatalog(_ message: String, _ location: DuckLakeLocation) -> String {
        var text = message.replacingOccurrences(of: location.catalog, with: DuckLakeLocation.maskingPassword(location.catalog))
        for value in (location.objectStore ?? DuckLakeObjectStore()).resolved().confidentialValues {
            text = text.replacingOccurrences(of: value, with: "***")
        }
        return text
    }
}
