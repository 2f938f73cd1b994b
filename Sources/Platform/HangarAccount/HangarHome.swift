import Foundation

/// The one folder everything of Hangar lives under: `--home`, else `$HANGAR_HOME`, else
/// `~/.hangar`. The account's databases are `databases/<name>.duckdb`, pipelines keep their
/// packages under `pipelines/`.
public struct HangarHome: Sendable, Equatable {
    public let root: URL

    public init(_ root: URL) {
        self.root = root.standardizedFileURL
    }

    /// `explicit` (a `--home` option) wins over `HANGAR_HOME`, which wins over `~/.hangar`.
    public static func resolve(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> HangarHome {
        if let explicit, !explicit.isEmpty { return HangarHome(URL(fileURLWithPath: explicit)) }
        if let fromEnvironment = environment["HANGAR_HOME"], !fromEnvironment.isEmpty {
            return HangarHome(URL(fileURLWithPath: fromEnvironment))
        }
        return HangarHome(FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".hangar"))
    }

    public var databases: URL { root.appendingPathComponent("databases", isDirectory: true) }
    public var pipelines: URL { root.appendingPathComponent("pipelines", isDirectory: true) }

    /// The file of an account database, created on first use by whoever opens it; for a
    /// DuckLake database (`CREATE DATABASE … (TYPE ducklake …)`), its descriptor
    /// `<name>.ducklake`, which callers attach with ``DuckLakeDescriptor`` instead of opening. A
    /// value ending in `.duckdb` is taken as a path instead of a name.
    public func database(_ nameOrPath: String) throws -> URL {
        if nameOrPath.hasSuffix(".duckdb") { return URL(fileURLWithPath: nameOrPath).standardizedFileURL }
        guard Self.isValidDatabaseName(nameOrPath) else {
            throw AccountError("\"\(nameOrPath)\" is not a database name: use letters, digits and underscores (or give a path ending in .duckdb)")
        }
        try FileManager.default.createDirectory(at: databases, withIntermediateDirectories: true)
        let lake = lakeDescriptor(nameOrPath)
        if FileManager.default.fileExists(atPath: lake.path) { return lake }
        return databases.appendingPathComponent("\(nameOrPath).duckdb")
    }

    /// Where the descriptor of a DuckLake database named `name` goes.
    public func lakeDescriptor(_ name: String) -> URL {
        databases.appendingPathComponent("\(name).\(DuckLakeDescriptor.fileExtension)")
    }

    static func isValidDatabaseName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first) else { return false }
        return name.count <= 128 && name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}

/// A problem with the account: a bad database name, a lease not granted in time.
public struct AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
