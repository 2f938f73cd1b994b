import DuckDB
import Foundation
import HangarAccount

/// A database file used by a long SQL session without keeping it: the session's connection is
/// in memory (so variables, temporary tables and settings last), and the file is attached under
/// its lease for each statement and detached afterwards, letting flights and other processes
/// write it in between. An explicit transaction keeps it attached until it ends.
final class LeasedDatabase {
    let file: URL
    let alias: String
    private let readOnly: Bool
    private let leaseTimeout: Double
    private let errors: OutputSink
    private var lease: DatabaseLease?
    /// The catalog (and schema) the session last chose with `USE`; restored on every attach.
    private var current: String

    init(file: URL, readOnly: Bool, leaseTimeout: Double, errors: OutputSink) {
        self.file = file
        self.readOnly = readOnly
        self.leaseTimeout = leaseTimeout
        self.errors = errors
        let stem = file.deletingPathExtension().lastPathComponent
        // The session's own catalogs are memory, system and temp; a file may not take those names.
        alias = ["memory", "system", "temp"].contains(stem.lowercased()) ? stem + "_file" : stem
        current = quoteIdentifier(alias)
    }

    /// Runs one statement with the file attached.
    func run<T>(_ statement: String, on connection: Connection, _ body: () throws -> T) throws -> T {
        try attach(connection)
        defer { detachIfPossible(connection) }
        let result = try body()
        if let chosen = Self.usedCatalog(statement) { current = chosen }
        return result
    }

    private func attach(_ connection: Connection) throws {
        guard lease == nil else { return }
        let errors = self.errors, name = file.lastPathComponent
        lease = try DatabaseLease.acquire(file, as: LeaseHolder(purpose: "hangar sql"), timeout: leaseTimeout) { holder in
            errors.write("waiting for \(name): held by \(holder.map(\.description) ?? "another process")\n")
            errors.flush()
        }
        do {
            try connection.execute("ATTACH \(quoteLiteral(file.path)) AS \(quoteIdentifier(alias))\(readOnly ? " (READ_ONLY)" : "")")
            try connection.execute("USE \(current)")
        } catch {
            lease?.release()
            lease = nil
            throw error
        }
    }

    /// Inside an explicit transaction the file (and its lease) stay attached until a statement
    /// ends the transaction: detaching would fail, and a failure would abort the transaction.
    private func detachIfPossible(_ connection: Connection) {
        guard lease != nil, !Self.inExplicitTransaction(connection) else { return }
        do {
            try connection.execute("USE memory")
            try connection.execute("DETACH \(quoteIdentifier(alias))")
        } catch {
            try? connection.execute("USE \(current)")
            return
        }
        lease?.release()
        lease = nil
    }

    /// Autocommit gives every statement a new transaction id; an explicit transaction keeps
    /// one. An aborted transaction refuses the query, and counts as open too.
    static func inExplicitTransaction(_ connection: Connection) -> Bool {
        guard let first = try? connection.scalar("SELECT txid_current()", as: Int64.self),
              let second = try? connection.scalar("SELECT txid_current()", as: Int64.self) else { return true }
        return first == second
    }


    /// The target of a `USE` statement, if `statement` is one.
    static func usedCatalog(_ statement: String) -> String? {
        let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
        guard trimmed.count > 4, trimmed.prefix(4).lowercased() == "use ", !trimmed.contains(";") else { return nil }
        return String(trimmed.dropFirst(4)).trimmingCharacters(in: .whitespaces)
    }
}
