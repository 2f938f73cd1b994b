import DuckDB
import Foundation
import HangarAccount

/// The account's DuckDB files (`<home>/databases/<name>.duckdb`) as the API opens them: only
/// under their leases, as `hangar sql` does, and only for one request. Each request gets an
/// in-memory DuckDB with the files it needs attached under their names; leases are taken in one
/// order (by path), so two requests never wait for each other, and released when the request's
/// work ends, so flights and other processes write between requests.
struct AccountDatabases: Sendable {
    let home: HangarHome

    struct File: Sendable {
        let name: String
        let url: URL
        let sizeBytes: Int

        /// The catalog the file is attached as: its name, except that a session's own catalogs
        /// (memory, system, temp) can't be taken, so those files get `_file` after it, as in
        /// `hangar sql`.
        var alias: String {
            ["memory", "system", "temp"].contains(name.lowercased()) ? name + "_file" : name
        }
    }

    /// The account's databases by name.
    func list() -> [File] {
        let folder = home.databases
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".duckdb") && !$0.hasPrefix(".") }.sorted().map { fileName in
            let url = folder.appendingPathComponent(fileName)
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int ?? 0
            return File(name: String(fileName.dropLast(".duckdb".count)), url: url, sizeBytes: size)
        }
    }

    /// The database of that name; `nil` when the account has none.
    func file(named name: String) -> File? {
        list().first { $0.name == name }
    }

    /// Runs `body` on a fresh in-memory connection with `files` attached under their aliases
    /// (their names) and leases; `purpose` tells waiting processes what holds them. `readOnly` attaches them read-only (browsing); the SQL box attaches them writable,
    /// as `hangar sql` does. A lease not granted within `leaseTimeout` seconds is a conflict
    /// naming its holder.
    func withAttached<T>(_ files: [File], readOnly: Bool, leaseTimeout: Double, purpose: String,
                         _ body: (Connection) throws -> T) throws -> T {
        // Small, so a browsing request can't take the machine's memory from the flights.
        let database = try Database(.inMemory, configuration: Configuration(threads: 2, memoryLimit: "512MB"))
        let connection = try database.connect()
        var leases: [DatabaseLease] = []
        defer { for lease in leases { lease.release() } }
        var attached: [File] = []
        // Runs before the leases go (defers run last first): the files are closed, and
        // checkpointed, before another process may open them.
        defer {
            // The catalog in use can't be detached.
            if !attached.isEmpty { try? connection.execute("USE memory") }
            for file in attached { try? connection.execute("DETACH \(quoteIdentifier(file.alias))") }
        }
        for file in files.sorted(by: { $0.url.path < $1.url.path }) {
            do {
                leases.append(try DatabaseLease.acquire(file.url, as: LeaseHolder(purpose: "hangar serve: \(purpose)"), timeout: leaseTimeout))
            } catch let error as AccountError {
                throw APIError(.conflict, error.message)
            }
            try connection.execute("ATTACH \(quoteLiteral(file.url.path)) AS \(quoteIdentifier(file.alias))\(readOnly ? " (READ_ONLY)" : "")")
            attached.append(file)
        }
        return try body(connection)
    }

    /// Account databases a statement names, by a plain word scan (`docs_playground.x.y` and
    /// `"docs_playground"` alike). A name that only appears in a string attaches a file the
    /// statement does not use, which is harmless.
    func named(in sql: String) -> [File] {
        let words = Set(sql.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map { $0.lowercased() })
        return list().filter { words.contains($0.alias.lowercased()) }
    }
}
