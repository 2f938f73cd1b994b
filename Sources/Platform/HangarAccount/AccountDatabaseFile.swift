import Foundation

/// One of the account's DuckDB files, `<home>/databases/<name>.duckdb`, and the catalog it is
/// attached as.
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

    public static func alias(forName name: String) -> String {
        ["memory", "system", "temp"].contains(name.lowercased()) ? name + "_file" : name
    }
}

extension HangarHome {
    /// The account's databases by name.
    public func accountDatabases() -> [AccountDatabaseFile] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: databases.path)) ?? []
        return names.filter { $0.hasSuffix(".duckdb") && !$0.hasPrefix(".") }.sorted().map { fileName in
            let url = databases.appendingPathComponent(fileName)
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int ?? 0
            return AccountDatabaseFile(name: String(fileName.dropLast(".duckdb".count)), url: url, sizeBytes: size)
        }
    }

    /// The account database of that name (its file name, or the alias it is attached as, in any
    /// case); nil when the account has none.
    public func accountDatabase(named name: String) -> AccountDatabaseFile? {
        let wanted = name.lowercased()
        return accountDatabases().first { $0.name == name } ?? accountDatabases().first { $0.alias.lowercased() == wanted }
    }
}
