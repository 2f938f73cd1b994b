import Foundation

/// One of the account's databases, and the catalog it is attached as: a DuckDB file,
/// `<home>/databases/<name>.duckdb`, or a DuckLake database recorded by its descriptor,
/// `<home>/databases/<name>.ducklake` (``DuckLakeDescriptor``).
public struct AccountDatabaseFile: Sendable, Equatable {
    public let name: String
    public let url: URL
    public let sizeBytes: Int

    public init(name: String, url: URL, sizeBytes: Int) {
        self.name = name
        self.url = url.standardizedFileURL
        self.sizeBytes = sizeBytes
    }

    /// The catalog the file is attached as: its name, except that a session's own catalogs
    /// (memory, system, temp) can't be taken, so those files get `_file` after it.
    public var alias: String { Self.alias(forName: name) }

    /// Whether this is a DuckLake database (attached without a lease) rather than a DuckDB file.
    public var isLake: Bool { DuckLakeDescriptor.isDescriptor(url) }

    public static func alias(forName name: String) -> String {
        ["memory", "system", "temp"].contains(name.lowercased()) ? name + "_file" : name
    }
}

extension HangarHome {
    /// The account's databases by name.
    public func accountDatabases() -> [AccountDatabaseFile] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: databases.path)) ?? []
        let kinds = [".duckdb", "." + DuckLakeDescriptor.fileExtension]
        return names.filter { name in !name.hasPrefix(".") && kinds.contains { name.hasSuffix($0) } }.sorted().map { fileName in
            let url = databases.appendingPathComponent(fileName)
            // A lake's size is its data's, elsewhere; the descriptor's few bytes would mislead.
            let size = DuckLakeDescriptor.isDescriptor(url) ? 0 : (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int ?? 0
            return AccountDatabaseFile(name: url.deletingPathExtension().lastPathComponent, url: url, sizeBytes: size)
        }
    }

    /// The account database of that name (its file name, or the alias it is attached as, in any
    /// case); nil when the account has none.
    public func accountDatabase(named name: String) -> AccountDatabaseFile? {
        let wanted = name.lowercased()
        return accountDatabases().first { $0.name == name } ?? accountDatabases().first { $0.alias.lowercased() == wanted }
    }
}
