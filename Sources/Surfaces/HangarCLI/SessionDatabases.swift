import DuckDB
import Foundation
import HangarAccount

/// The database files a long SQL session uses without keeping them: the session's connection is
/// in memory (so variables, temporary tables and settings last), and files are attached under
/// their leases for each statement and detached afterwards, letting flights and other processes
/// write them in between. An explicit transaction keeps them attached until it ends.
///
/// A statement gets the session's own database (the one `hangar sql` was given), the catalog
/// last chosen with `USE`, and every account database (`<home>/databases/<name>.duckdb`) it
/// names, as in `docs_playground.flights_demo_dlt.github_repo_stats`, attached by its name.
/// Leases are taken in one order (by file path), so two sessions never wait for each other.
final class SessionDatabases {
    private let main: LeasedAttachment?
    private let home: HangarHome
    private let readOnly: Bool
    private let leaseTimeout: Double
    private let errors: OutputSink
    private var attached: [LeasedAttachment] = []
    /// The catalog (and schema) the session last chose with `USE`; restored on every attach.
    private var current: String?
    /// Asked while a statement waits for a database another process holds: true gives up (the
    /// interactive shell's Ctrl-C, or its completion, which never waits).
    var stopWaiting: () -> Bool = { false }

    init(main: URL?, home: HangarHome, readOnly: Bool, leaseTimeout: Double, errors: OutputSink) {
        self.home = home
        self.readOnly = readOnly
        self.leaseTimeout = leaseTimeout
        self.errors = errors
        self.main = main.map { LeasedAttachment(file: $0, alias: AccountDatabaseFile.alias(forName: $0.deletingPathExtension().lastPathComponent)) }
        current = self.main.map { quoteIdentifier($0.alias) }
    }

    /// `ATTACH '<home>/databases/x.duckdb'` would keep an account database open past its lease
    /// (an attachment outlives the statement), and every other process would then meet DuckDB's
    /// lock error: account databases are reached by name, which attaches them under their lease.
    func refuseAttachingAnAccountFile(_ statement: String) throws {
        guard let path = StatementCatalogs.attachedPath(in: statement) else { return }
        let file = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.resolvingSymlinksInPath()
        let folder = home.databases.standardizedFileURL.resolvingSymlinksInPath()
        guard file.deletingLastPathComponent().path == folder.path, file.pathExtension == "duckdb" else { return }
        let name = file.deletingPathExtension().lastPathComponent
        throw InputError(message: """
            Invalid Input Error: \(file.lastPathComponent) is an account database; ATTACH by path would hold it past its lease \
            and lock out flights and other sessions. Name it instead: FROM \(name).main.my_table (attached under its lease \
            for the statement), or USE \(name)
            """)
    }

    /// Runs one statement with the databases it needs attached.
    func run<T>(_ statement: String, on connection: Connection, _ body: () throws -> T) throws -> T {
        try refuseAttachingAnAccountFile(statement)
        try attach(needed(by: statement), on: connection)
        defer { detachIfPossible(connection) }
        let result = try body()
        if let chosen = StatementCatalogs.usedCatalog(statement) { current = chosen }
        return result
    }

    /// Whether `file` is the session's own database or the one it last chose with `USE`.
    func uses(_ file: URL) -> Bool {
        let file = file.standardizedFileURL
        if main?.file == file { return true }
        guard let current else { return false }
        let stem = file.deletingPathExtension().lastPathComponent.lowercased()
        return StatementCatalogs.qualifiers(in: current + ".x").contains(stem) && file.deletingLastPathComponent() == home.databases.standardizedFileURL
    }

    /// The session's database, the `USE`d one, and the account databases the statement names.
    private func needed(by statement: String) -> [LeasedAttachment] {
        var names = StatementCatalogs.qualifiers(in: statement)
        for chosen in [current, StatementCatalogs.usedCatalog(statement)].compactMap({ $0 }) {
            names.formUnion(StatementCatalogs.qualifiers(in: chosen + ".x"))
        }
        var needed = main.map { [$0] } ?? []
        for name in names.sorted() {
            guard !["memory", "system", "temp"].contains(name), let database = home.accountDatabase(named: name),
                  !needed.contains(where: { $0.file == database.url }) else { continue }
            needed.append(attached.first { $0.file == database.url } ?? LeasedAttachment(file: database.url, alias: database.alias))
        }
        return needed.sorted { $0.file.path < $1.file.path }
    }

    private func attach(_ databases: [LeasedAttachment], on connection: Connection) throws {
        for database in databases where !attached.contains(where: { $0 === database }) {
            let name = database.file.lastPathComponent
            try database.attach(connection, readOnly: readOnly, holder: LeaseHolder(purpose: "hangar sql"), leaseTimeout: leaseTimeout) { holder in
                errors.write("waiting for \(name): held by \(holder.map(\.description) ?? "another process")\n")
                errors.flush()
            } stopWaiting: {
                stopWaiting()
            }
            attached.append(database)
        }
        if let current {
            do {
                try connection.execute("USE \(current)")
            } catch {
                detachIfPossible(connection)
                throw error
            }
        }
    }

    /// Inside an explicit transaction the files (and their leases) stay attached until a
    /// statement ends the transaction: detaching would fail, and a failure would abort the
    /// transaction.
    private func detachIfPossible(_ connection: Connection) {
        guard !attached.isEmpty, !Self.inExplicitTransaction(connection) else { return }
        do {
            try connection.execute("USE memory")
        } catch {
            return
        }
        attached.removeAll { $0.detach(connection) }
        if !attached.isEmpty, let current { try? connection.execute("USE \(current)") }
    }

    /// Autocommit gives every statement a new transaction id; an explicit transaction keeps
    /// one. An aborted transaction refuses the query, and counts as open too.
    static func inExplicitTransaction(_ connection: Connection) -> Bool {
        guard let first = try? connection.scalar("SELECT txid_current()", as: Int64.self),
              let second = try? connection.scalar("SELECT txid_current()", as: Int64.self) else { return true }
        return first == second
    }
}
