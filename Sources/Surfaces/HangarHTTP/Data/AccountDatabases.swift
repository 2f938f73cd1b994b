import DuckDB
import Foundation
import HangarAccount

/// The account's DuckDB files as the API opens them: only under their leases, as `hangar sql`
/// does (`LeasedAttachment`), and only for one request. Each request gets an in-memory DuckDB
/// with the files it needs attached under their names, released when the request's work ends,
/// so flights and other processes write between requests.
struct AccountDatabases: Sendable {
    let home: HangarHome

    typealias File = AccountDatabaseFile

    func list() -> [File] { home.accountDatabases() }

    /// The database of that name; `nil` when the account has none.
    func file(named name: String) -> File? {
        list().first { $0.name == name }
    }

    /// Runs `body` on a fresh in-memory connection with `files` attached under their aliases
    /// and leases; `purpose` tells waiting processes what holds them. `readOnly` attaches them
    /// read-only (browsing); the SQL box attaches them writable, as `hangar sql` does. A lease not
    /// granted within `leaseTimeout` seconds is a conflict naming its holder.
    func withAttached<T>(_ files: [File], readOnly: Bool, leaseTimeout: Double, purpose: String,
                         _ body: (Connection) throws -> T) throws -> T {
        // Small, so a browsing request can't take the machine's memory from the flights.
        let database = try Database(.inMemory, configuration: Configuration(threads: 2, memoryLimit: "512MB"))
        let connection = try database.connect()
        do {
            return try LeasedAttachment.withAttached(files, on: connection, readOnly: readOnly,
                                                     holder: LeaseHolder(purpose: "hangar serve: \(purpose)"),
                                                     leaseTimeout: leaseTimeout) { try body(connection) }
        } catch let error as AccountError {
            throw APIError(.conflict, error.message)
        }
    }

    /// The account databases a statement names as catalogs (`docs_playground.x.y`,
    /// `"docs_playground".x`), read as `hangar sql` reads them.
    func named(in sql: String) -> [File] {
        let names = StatementCatalogs.qualifiers(in: sql)
        return list().filter { names.contains($0.alias.lowercased()) }
    }
}
