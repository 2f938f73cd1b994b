/// Options applied when a database is opened (`duckdb_set_config`).
///
/// Common options have typed properties; any other DuckDB setting goes into `options` by name
/// (for example `options["default_order"] = "desc"`).
public struct Configuration: Sendable, Equatable {
    public enum AccessMode: String, Sendable {
        case automatic, readOnly = "read_only", readWrite = "read_write"
    }

    /// Worker threads; nil lets DuckDB use every core.
    public var threads: Int?
    /// A DuckDB size such as "1GB" or "80%"; nil keeps DuckDB's default.
    public var memoryLimit: String?
    public var accessMode: AccessMode?
    /// Folder for spilling to disk when memory runs out.
    public var temporaryDirectory: String?
    public var options: [String: String]

    public init(threads: Int? = nil, memoryLimit: String? = nil, accessMode: AccessMode? = nil,
                temporaryDirectory: String? = nil, options: [String: String] = [:]) {
        self.threads = threads
        self.memoryLimit = memoryLimit
        self.accessMode = accessMode
        self.temporaryDirectory = temporaryDirectory
        self.options = options
    }

    /// Every option as DuckDB's name → value, typed properties winning over `options`.
    var settings: [(String, String)] {
        var merged = options
        if let threads { merged["threads"] = String(threads) }
        if let memoryLimit { merged["memory_limit"] = memoryLimit }
        if let accessMode { merged["access_mode"] = accessMode.rawValue }
        if let temporaryDirectory { merged["temp_directory"] = temporaryDirectory }
        return merged.sorted { $0.key < $1.key }
    }
}
