import Foundation

/// DuckDB extensions provisioned beside the library (`make setup`: pinned official builds, cached),
/// loaded by path so that nothing is downloaded while a query runs.
///
/// They are looked for in `HANGAR_DUCKDB_EXTENSIONS` when set, else in `extensions/` beside the
/// folder of the `libduckdb.so` this process loaded (an installed layout), else in the cache
/// `make setup` fills (`$HANGAR_CACHE_DIR`, else `~/.cache/hangar`, `duckdb-<version>-extensions-<arch>`).
public enum ProvisionedExtensions {
    /// The folders searched, in order.
    public static func directories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        if let override = environment["HANGAR_DUCKDB_EXTENSIONS"], !override.isEmpty {
            return [URL(fileURLWithPath: override, isDirectory: true)]
        }
        var folders: [URL] = []
        if let library = loadedLibrary() {
            folders.append(library.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("extensions", isDirectory: true))
        }
        let cache = environment["HANGAR_CACHE_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
            ?? URL(fileURLWithPath: environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                   ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache", isDirectory: true).appendingPathComponent("hangar")
        #if arch(arm64)
        let arch = "aarch64"
        #else
        let arch = "x86_64"
        #endif
        folders.append(cache.appendingPathComponent("duckdb-\(Database.libraryVersion.dropFirst())-extensions-\(arch)", isDirectory: true))
        return folders
    }

    /// The file of extension `name`; throws, saying how to provision it, when it is not there.
    public static func file(_ name: String) throws -> URL {
        let folders = directories()
        for folder in folders {
            let file = folder.appendingPathComponent("\(name).duckdb_extension")
            if FileManager.default.isReadableFile(atPath: file.path) { return file }
        }
        throw DuckDBError(.io, message: "DuckDB's \(name) extension is not provisioned (looked in \(folders.map(\.path).joined(separator: ", "))); run make setup, or python3 scripts/provision_extensions.py \(name)")
    }

    /// Loads extension `name` from the provisioned folder into `connection`'s database.
    public static func load(_ name: String, into connection: Connection) throws {
        let file = try file(name)
        try connection.execute("LOAD '\(file.path.replacingOccurrences(of: "'", with: "''"))'")
    }

    /// The path the dynamic loader mapped `libduckdb.so` from, as this process's memory map
    /// names it (the rpath's folder, not a symlink's target).
    private static func loadedLibrary() -> URL? {
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return nil }
        for line in maps.split(separator: "\n") where line.hasSuffix("/libduckdb.so") {
            if let slash = line.firstIndex(of: "/") { return URL(fileURLWithPath: String(line[slash...])) }
        }
        return nil
    }
}
