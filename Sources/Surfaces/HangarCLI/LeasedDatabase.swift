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
    private let main: LeasedDatabase?
    private let home: HangarHome
    private let readOnly: Bool
    private let leaseTimeout: Double
    private let errors: OutputSink
    private var attached: [LeasedDatabase] = []
    /// The catalog (and schema) the session last chose with `USE`; restored on every attach.
    private var current: String?

    init(main: URL?, home: HangarHome, readOnly: Bool, leaseTimeout: Double, errors: OutputSink) {
        self.home = home
        self.readOnly = readOnly
        self.leaseTimeout = leaseTimeout
        self.errors = errors
        self.main = main.map { LeasedDatabase(file: $0, alias: LeasedDatabase.alias(for: $0)) }
        current = self.main.map { quoteIdentifier($0.alias) }
    }

    /// `ATTACH '<home>/databases/x.duckdb'` would keep an account database open past its lease
    /// (an attachment outlives the statement), and every other process would then meet DuckDB's
    /// lock error: account databases are reached by name, which attaches them under their lease.
    func refuseAttachingAnAccountFile(_ statement: String) throws {
        guard let path = Self.attachedPath(in: statement) else { return }
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

    /// The file of an `ATTACH [DATABASE] [IF NOT EXISTS] 'path' …` statement (`duckdb:` removed);
    /// nil for any other statement and for MotherDuck.
    static func attachedPath(in statement: String) -> String? {
        let pattern = #"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*ATTACH\s+(?:DATABASE\s+)?(?:IF\s+NOT\s+EXISTS\s+)?'((?:[^']|'')*)'"#
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators]),
              let match = expression.firstMatch(in: statement, range: NSRange(statement.startIndex..., in: statement)),
              let range = Range(match.range(at: 1), in: statement) else { return nil }
        var path = statement[range].replacingOccurrences(of: "''", with: "'")
        if path.lowercased().hasPrefix("duckdb:") { path = String(path.dropFirst("duckdb:".count)) }
        let lowered = path.lowercased()
        guard !path.isEmpty, !lowered.hasPrefix("md:"), !lowered.hasPrefix("motherduck:"), !lowered.contains("://"),
              path != ":memory:" else { return nil }
        return path
    }

    /// Runs one statement with the databases it needs attached.
    func run<T>(_ statement: String, on connection: Connection, _ body: () throws -> T) throws -> T {
        try refuseAttachingAnAccountFile(statement)
        try attach(needed(by: statement), on: connection)
        defer { detachIfPossible(connection) }
        let result = try body()
        if let chosen = Self.usedCatalog(statement) { current = chosen }
        return result
    }

    /// Whether `file` is the session's own database or the one it last chose with `USE`.
    func uses(_ file: URL) -> Bool {
        let file = file.standardizedFileURL
        if main?.file == file { return true }
        guard let current else { return false }
        let stem = file.deletingPathExtension().lastPathComponent.lowercased()
        return SQLQualifiers.qualifiers(in: current + ".x").contains(stem) && file.deletingLastPathComponent() == home.databases.standardizedFileURL
    }

    /// The session's database, the `USE`d one, and the account databases the statement names.
    private func needed(by statement: String) -> [LeasedDatabase] {
        var names = SQLQualifiers.qualifiers(in: statement)
        for chosen in [current, Self.usedCatalog(statement)].compactMap({ $0 }) {
            names.formUnion(SQLQualifiers.qualifiers(in: chosen + ".x"))
        }
        var needed = main.map { [$0] } ?? []
        for name in names.sorted() {
            guard let file = accountDatabase(name), !needed.contains(where: { $0.file == file }) else { continue }
            needed.append(attached.first { $0.file == file } ?? LeasedDatabase(file: file, alias: name))
        }
        return needed.sorted { $0.file.path < $1.file.path }
    }

    /// The account's database of that name, if it exists (one is made by `CREATE DATABASE`, a
    /// flight's load, or `hangar sql NAME`).
    private func accountDatabase(_ name: String) -> URL? {
        guard !["memory", "system", "temp"].contains(name) else { return nil }
        let file = home.databases.appendingPathComponent("\(name).duckdb").standardizedFileURL
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }

    private func attach(_ databases: [LeasedDatabase], on connection: Connection) throws {
        for database in databases where !attached.contains(where: { $0 === database }) {
            try database.attach(connection, readOnly: readOnly, leaseTimeout: leaseTimeout, errors: errors)
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

    /// The target of a `USE` statement, if `statement` is one.
    static func usedCatalog(_ statement: String) -> String? {
        let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
        guard trimmed.count > 4, trimmed.prefix(4).lowercased() == "use ", !trimmed.contains(";") else { return nil }
        return String(trimmed.dropFirst(4)).trimmingCharacters(in: .whitespaces)
    }
}

/// One database file attached to the session under an alias while its lease is held.
final class LeasedDatabase {
    let file: URL
    let alias: String
    private var lease: DatabaseLease?

    init(file: URL, alias: String) {
        self.file = file.standardizedFileURL
        self.alias = alias
    }

    /// The file's name without `.duckdb`; the session's own catalogs are memory, system and
    /// temp, which a file may not take.
    static func alias(for file: URL) -> String {
        let stem = file.deletingPathExtension().lastPathComponent
        return ["memory", "system", "temp"].contains(stem.lowercased()) ? stem + "_file" : stem
    }

    func attach(_ connection: Connection, readOnly: Bool, leaseTimeout: Double, errors: OutputSink) throws {
        guard lease == nil else { return }
        let name = file.lastPathComponent
        lease = try DatabaseLease.acquire(file, as: LeaseHolder(purpose: "hangar sql"), timeout: leaseTimeout) { holder in
            errors.write("waiting for \(name): held by \(holder.map(\.description) ?? "another process")\n")
            errors.flush()
        }
        do {
            try connection.execute("ATTACH \(quoteLiteral(file.path)) AS \(quoteIdentifier(alias))\(readOnly ? " (READ_ONLY)" : "")")
        } catch {
            lease?.release()
            lease = nil
            throw error
        }
    }

    /// Detaches the file and releases its lease; false when it stays attached.
    func detach(_ connection: Connection) -> Bool {
        guard lease != nil else { return true }
        do {
            try connection.execute("DETACH \(quoteIdentifier(alias))")
        } catch {
            return false
        }
        lease?.release()
        lease = nil
        return true
    }
}

/// The names a statement uses as qualifiers (`name.` before a schema, table or column), lower
/// case: the candidates for catalogs. Strings, comments and dollar-quoted text are skipped.
enum SQLQualifiers {
    static func qualifiers(in sql: String) -> Set<String> {
        let bytes = Array(sql.utf8)
        var names: Set<String> = []
        var index = 0
        func skipSpace(_ from: Int) -> Int {
            var i = from
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
            return i
        }
        func isIdentifierByte(_ byte: UInt8, first: Bool) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || byte >= 0x80
                || (!first && ((byte >= 0x30 && byte <= 0x39) || byte == 0x24))
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            switch byte {
            case 0x27:  // '…', '' inside
                index += 1
                while index < bytes.count {
                    if bytes[index] == 0x27 {
                        if index + 1 < bytes.count, bytes[index + 1] == 0x27 { index += 2; continue }
                        break
                    }
                    index += 1
                }
                index += 1
            case 0x2D where next == 0x2D:  // -- comment
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            case 0x2F where next == 0x2A:  // /* comment */, nesting
                var depth = 0
                while index < bytes.count {
                    if bytes[index] == 0x2F, index + 1 < bytes.count, bytes[index + 1] == 0x2A { depth += 1; index += 2; continue }
                    if bytes[index] == 0x2A, index + 1 < bytes.count, bytes[index + 1] == 0x2F {
                        depth -= 1
                        index += 2
                        if depth == 0 { break }
                        continue
                    }
                    index += 1
                }
            case 0x24:  // $tag$ … $tag$
                var end = index + 1
                while end < bytes.count, isIdentifierByte(bytes[end], first: false), bytes[end] != 0x24 { end += 1 }
                guard end < bytes.count, bytes[end] == 0x24 else { index += 1; continue }
                let delimiter = Array(bytes[index...end])
                var search = end + 1
                while search + delimiter.count <= bytes.count, Array(bytes[search..<(search + delimiter.count)]) != delimiter { search += 1 }
                index = search + delimiter.count
            case 0x22:  // "quoted identifier", "" inside
                var name: [UInt8] = []
                index += 1
                while index < bytes.count {
                    if bytes[index] == 0x22 {
                        if index + 1 < bytes.count, bytes[index + 1] == 0x22 { name.append(0x22); index += 2; continue }
                        break
                    }
                    name.append(bytes[index])
                    index += 1
                }
                index += 1
                let after = skipSpace(index)
                if after < bytes.count, bytes[after] == 0x2E { names.insert(String(decoding: name, as: UTF8.self).lowercased()) }
            default:
                guard isIdentifierByte(byte, first: true) else { index += 1; continue }
                let start = index
                while index < bytes.count, isIdentifierByte(bytes[index], first: false) { index += 1 }
                // A word right after a '.' is a schema or table, not a catalog; that is still a
                // candidate only if written first.
                let after = skipSpace(index)
                let before = start > 0 ? bytes[start - 1] : 0
                if after < bytes.count, bytes[after] == 0x2E, before != 0x2E {
                    names.insert(String(decoding: bytes[start..<index], as: UTF8.self).lowercased())
                }
            }
        }
        return names
    }
}
