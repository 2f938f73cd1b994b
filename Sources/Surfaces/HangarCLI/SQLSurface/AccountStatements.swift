import DuckDB
import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights

/// Carries out the ``AccountStatement``s of a `hangar sql` session: the account's databases are
/// files under `<home>/databases`, created and removed under their leases (so a flight writing
/// one is waited for, never cut off), and flight secrets go to the control store through the
/// platform API, the same rules as `hangar secret create`.
struct AccountStatements {
    let home: HangarHome
    let platform: LazyFlights
    let leaseTimeout: Double
    let errors: OutputSink
    /// Asked while a database file's lease is busy: true gives up (Ctrl-C in the shell).
    var stopWaiting: () -> Bool = { false }

    /// What the session does after an account statement.
    enum Outcome: Equatable {
        /// Done; print the result of this SQL (`Success`, a database list), or nothing.
        case handled(resultSQL: String?)
        /// Not the account's after all (DuckDB's own secret): DuckDB runs the statement.
        case notMine
    }

    func run(_ statement: AccountStatement, on connection: Connection, session: SessionDatabases?) throws -> Outcome {
        switch statement {
        case .showDatabases:
            return .handled(resultSQL: try databaseList(connection))
        case let .createDatabase(name, orReplace, ifNotExists, copyFrom, options):
            try refuseInsideTransaction(connection, "CREATE DATABASE")
            if !options.isEmpty {
                try createLake(name, orReplace: orReplace, ifNotExists: ifNotExists, copyFrom: copyFrom, options: options)
                return .handled(resultSQL: nil)
            }
            try createDatabase(name, orReplace: orReplace, ifNotExists: ifNotExists, copyFrom: copyFrom)
            return .handled(resultSQL: nil)
        case let .dropDatabase(name, ifExists):
            try refuseInsideTransaction(connection, "DROP DATABASE")
            try dropDatabase(name, ifExists: ifExists, session: session)
            return .handled(resultSQL: nil)
        case let .createSecret(name, orReplace, ifNotExists, inMotherDuck, options):
            try createSecret(name, orReplace: orReplace, ifNotExists: ifNotExists, inMotherDuck: inMotherDuck,
                             options: options, connection: connection)
            return .handled(resultSQL: Self.success)
        case let .dropSecret(name, ifExists, fromMotherDuck):
            return try dropSecret(name, ifExists: ifExists, fromMotherDuck: fromMotherDuck)
        }
    }

    /// DuckDB answers `CREATE SECRET` and `DROP SECRET` with one `Success` row.
    static let success = "SELECT true AS \"Success\""

    // MARK: - Databases

    /// The account's databases, and any other file the session attached itself.
    private func databaseList(_ connection: Connection) throws -> String {
        var names = Set(accountDatabaseNames())
        // A lake's catalog is attached beside it as __ducklake_metadata_<lake>: DuckLake's, not the account's.
        let attached = try connection.query("""
            SELECT database_name FROM duckdb_databases()
            WHERE NOT internal AND database_name <> 'memory' AND NOT starts_with(database_name, '__ducklake_metadata_')
            """)
        for row in try attached.all() { if case .varchar(let name) = row[0] { names.insert(name) } }
        guard !names.isEmpty else { return "SELECT NULL::VARCHAR AS database_name WHERE false" }
        let values = names.sorted().map { "(\(quoteLiteral($0)))" }.joined(separator: ", ")
        return "SELECT database_name FROM (VALUES \(values)) AS databases(database_name) ORDER BY database_name"
    }

    private func accountDatabaseNames() -> [String] {
        home.accountDatabases().map(\.name).sorted()
    }

    /// `CREATE DATABASE name (TYPE ducklake, DATA_PATH '…'[, CATALOG 'postgres://…'])`: a
    /// DuckLake database, recorded by a descriptor beside the account's files (``DuckLakeCreation``).
    private func createLake(_ name: String, orReplace: Bool, ifNotExists: Bool, copyFrom: String?,
                            options: [AccountStatement.SecretOption]) throws {
        var type: String?, dataPath: String?, catalog: String?
        var store = DuckLakeObjectStore(), schedule: String?, expire: String?, delete: String?
        for option in options {
            let value = AccountStatement.unquoted(option.value)
            switch option.key {
            case "TYPE": type = value.lowercased()
            case "DATA_PATH": dataPath = value
            case "CATALOG", "METADATA_PATH": catalog = value
            case "S3_ENDPOINT": store.endpoint = value
            case "S3_REGION": store.region = value
            case "S3_URL_STYLE": store.urlStyle = value.lowercased()
            case "S3_USE_SSL": store.useSSL = ["true", "1", "yes", "on"].contains(value.lowercased())
            case "S3_KEY_ID": store.keyID = value
            case "S3_SECRET": store.secret = value
            case "S3_SESSION_TOKEN": store.sessionToken = value
            case "MAINTENANCE_SCHEDULE": schedule = value
            case "EXPIRE_OLDER_THAN": expire = value
            case "DELETE_OLDER_THAN": delete = value
            default:
                throw InputError(message: "Invalid Input Error: CREATE DATABASE \(name) does not know the option \(option.key); a DuckLake database takes TYPE ducklake, DATA_PATH '/shared/folder' or 's3://bucket/path' and, unless the control store is on PostgreSQL, CATALOG 'postgres://user@host/database'; on S3 also S3_ENDPOINT, S3_REGION, S3_URL_STYLE, S3_USE_SSL, S3_KEY_ID, S3_SECRET; and MAINTENANCE_SCHEDULE, EXPIRE_OLDER_THAN, DELETE_OLDER_THAN")
            }
        }
        if let urlStyle = store.urlStyle, urlStyle != "path", urlStyle != "vhost" {
            throw InputError(message: "Invalid Input Error: S3_URL_STYLE is 'path' (endpoint/bucket/key, for most S3-compatible servers) or 'vhost' (bucket.endpoint/key, AWS's default), not '\(urlStyle)'")
        }
        let maintenance = schedule == nil && expire == nil && delete == nil ? nil : LakeMaintenanceSettings(
            schedule: schedule, expireOlderThan: expire ?? LakeMaintenanceSettings.defaultExpireOlderThan,
            deleteOlderThan: delete ?? LakeMaintenanceSettings.defaultDeleteOlderThan)
        guard type == "ducklake" else {
            throw InputError(message: "Invalid Input Error: CREATE DATABASE \(name) (…) creates a DuckLake database: give TYPE ducklake (a DuckDB file database takes no options)")
        }
        guard copyFrom == nil else {
            throw InputError(message: "Invalid Input Error: CREATE DATABASE \(name) (TYPE ducklake) cannot copy FROM another database; create it, then INSERT INTO \(name).schema.table SELECT …")
        }
        if ifNotExists, !orReplace, home.accountDatabase(named: name) != nil { return }
        do {
            try DuckLakeCreation(home: home).create(name: name, dataPath: dataPath ?? "", catalog: catalog,
                                                    objectStore: store == DuckLakeObjectStore() ? nil : store,
                                                    maintenance: maintenance, replace: orReplace)
        } catch let error as DuckLakeError {
            let prefix = [.exists: "Catalog Error", .catalogUnreachable: "IO Error", .storageUnreachable: "IO Error"][error.kind] ?? "Invalid Input Error"
            throw InputError(message: "\(prefix): \(error.message)")
        } catch let error as AccountError {
            throw InputError(message: "IO Error: \(error.message)")
        }
    }

    private func file(of name: String) throws -> URL {
        do {
            return try home.database(name)
        } catch let error as AccountError {
            throw InputError(message: "Invalid Input Error: \(error.message)")
        }
    }

    private func createDatabase(_ name: String, orReplace: Bool, ifNotExists: Bool, copyFrom: String?) throws {
        var target = try file(of: name)
        // A DuckLake database of that name: replaced by a file only when asked to (its data stays).
        if DuckLakeDescriptor.isDescriptor(target) {
            if ifNotExists, !orReplace { return }
            guard orReplace else {
                throw InputError(message: "Catalog Error: database \"\(name)\" already exists (a DuckLake database, \(target.path)); use CREATE DATABASE IF NOT EXISTS, CREATE OR REPLACE DATABASE, or DROP DATABASE \(name) first")
            }
            try FileManager.default.removeItem(at: target)
            target = home.databases.appendingPathComponent("\(name).duckdb")
        }
        let exists = FileManager.default.fileExists(atPath: target.path)
        if exists, !orReplace {
            if ifNotExists { return }
            throw InputError(message: "Catalog Error: database \"\(name)\" already exists (\(target.path)); use CREATE DATABASE IF NOT EXISTS, CREATE OR REPLACE DATABASE, or DROP DATABASE \(name) first")
        }
        let source: URL?
        if let copyFrom {
            let sourceFile = try file(of: copyFrom)
            if DuckLakeDescriptor.isDescriptor(sourceFile) {
                throw InputError(message: "Invalid Input Error: CREATE DATABASE \(name) FROM \(copyFrom) cannot copy a DuckLake database; create \(name), then CREATE TABLE \(name).main.t AS SELECT * FROM \(copyFrom).main.t for each table")
            }
            guard FileManager.default.fileExists(atPath: sourceFile.path) else {
                throw InputError(message: "Catalog Error: database \"\(copyFrom)\" does not exist; SHOW DATABASES lists the account's databases")
            }
            guard sourceFile != target.standardizedFileURL else {
                throw InputError(message: "Invalid Input Error: CREATE DATABASE \(name) FROM \(copyFrom) names the same database twice")
            }
            source = sourceFile
        } else {
            source = nil
        }
        // Leases in path order, as the session takes them, so two processes never wait on each other.
        let files = ([target] + (source.map { [$0] } ?? [])).sorted { $0.path < $1.path }
        let leases = try files.map { try lease($0, for: "CREATE DATABASE \(name)") }
        defer { leases.forEach { $0.release() } }
        if orReplace { try removeDatabaseFiles(target) }
        // A new database is written complete in a scratch file, then moved into place, so a
        // failed copy leaves no half database behind.
        let scratch = target.deletingLastPathComponent().appendingPathComponent(".\(name).creating-\(getpid()).duckdb")
        try? removeDatabaseFiles(scratch)
        do {
            let database = try Database(path: scratch.path)
            let connection = try database.connect()
            if let source {
                try connection.execute("ATTACH \(quoteLiteral(source.path)) AS copy_source (READ_ONLY)")
                let scratchCatalog = try connection.scalar("SELECT current_database()", as: String.self) ?? "memory"
                try connection.execute("COPY FROM DATABASE copy_source TO \(quoteIdentifier(scratchCatalog))")
                try connection.execute("DETACH copy_source")
            }
            try connection.execute("CHECKPOINT")
        } catch {
            try? removeDatabaseFiles(scratch)
            throw error
        }
        try FileManager.default.moveItem(at: scratch, to: target)
    }

    private func dropDatabase(_ name: String, ifExists: Bool, session: SessionDatabases?) throws {
        let target = try file(of: name)
        if DuckLakeDescriptor.isDescriptor(target) {
            if let session, session.uses(target) {
                throw InputError(message: "Invalid Input Error: cannot drop \(name): this session uses it; USE another database (or start hangar sql without it) first")
            }
            do {
                let dropped = try DuckLakeCreation(home: home).drop(name: name)
                // The lake's rows live in its catalog and data path, which other hosts may share.
                errors.write("dropped the DuckLake database \(name) from the account; its data (\(dropped.dataPath)) and its catalog "
                             + "(schema \(dropped.metadataSchema)) are kept: CREATE DATABASE \(name) (TYPE ducklake, DATA_PATH '\(dropped.dataPath)', "
                             + "CATALOG '…') finds them again\n")
                errors.flush()
            } catch let error as AccountError {
                throw InputError(message: "IO Error: \(error.message)")
            }
            return
        }
        guard FileManager.default.fileExists(atPath: target.path) else {
            if ifExists { return }
            throw InputError(message: "Catalog Error: database \"\(name)\" does not exist; SHOW DATABASES lists the account's databases")
        }
        if let session, session.uses(target) {
            throw InputError(message: "Invalid Input Error: cannot drop \(name): this session uses it; USE another database (or start hangar sql without it) first")
        }
        let held = try lease(target, for: "DROP DATABASE \(name)")
        defer { held.release() }
        try removeDatabaseFiles(target)
    }

    private func removeDatabaseFiles(_ file: URL) throws {
        for path in [file.path, file.path + ".wal"] where FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }

    private func lease(_ file: URL, for purpose: String) throws -> DatabaseLease {
        do {
            return try DatabaseLease.acquire(file, as: LeaseHolder(purpose: "hangar sql: \(purpose)"), timeout: leaseTimeout) { holder in
                errors.write("waiting for \(file.lastPathComponent): held by \(holder.map(\.description) ?? "another process")\n")
                errors.flush()
            } stopWaiting: {
                stopWaiting()
            }
        } catch let error as AccountError {
            throw InputError(message: "IO Error: \(error.message)")
        }
    }

    private func refuseInsideTransaction(_ connection: Connection, _ statement: String) throws {
        if SessionDatabases.inExplicitTransaction(connection) {
            throw InputError(message: "Invalid Input Error: \(statement) cannot run inside a transaction; COMMIT or ROLLBACK first")
        }
    }

    // MARK: - Secrets

    private func createSecret(_ name: String, orReplace: Bool, ifNotExists: Bool, inMotherDuck: Bool,
                              options: [AccountStatement.SecretOption], connection: Connection) throws {
        let type = options.last { $0.key == "TYPE" }.map { AccountStatement.unquoted($0.value).lowercased() }
        guard let type else {
            throw InputError(message: "Invalid Input Error: CREATE SECRET \(name) needs TYPE flights: CREATE SECRET \(name) IN MOTHERDUCK (TYPE flights, PARAMS MAP {'API_KEY': '…'})")
        }
        guard type == "flights" else {
            throw InputError(message: "Invalid Input Error: the account keeps secrets of TYPE flights only (for runs to read); a TYPE \(type) secret is DuckDB's own: create it without IN \(inMotherDuck ? "MOTHERDUCK" : "…")")
        }
        var params: [String: String]?
        for option in options {
            switch option.key {
            case "TYPE":
                continue
            case "PROVIDER":
                guard AccountStatement.unquoted(option.value).lowercased() == "config" else {
                    throw InputError(message: "Invalid Input Error: a flights secret has only the config provider; leave PROVIDER out")
                }
            case "PARAMS":
                params = try Self.evaluateParams(option.value, connection: connection)
            default:
                throw InputError(message: "Invalid Input Error: Unknown parameter '\(option.key.lowercased())' for secret type 'flights'; a flights secret takes TYPE flights and PARAMS MAP {'KEY': 'value', …}")
            }
        }
        guard let params else {
            throw InputError(message: "Invalid Input Error: CREATE SECRET \(name) needs PARAMS MAP {'KEY': 'value', …} with at least one entry")
        }
        let flights = try platform.flights()
        if ifNotExists, !orReplace, try flights.secrets().contains(where: { $0.name == name.lowercased() }) { return }
        do {
            try flights.createSecret(name: name, params: params, replace: orReplace)
        } catch {
            throw InputError(message: "Invalid Input Error: \(error.message)")
        }
    }

    /// The PARAMS value as DuckDB reads it (a MAP literal, `map([...], [...])`, a variable …),
    /// cast to a map of text. DuckDB's own message is not passed on: it may quote a value.
    static func evaluateParams(_ expression: String, connection: Connection) throws -> [String: String] {
        let map: DuckDBValue
        let type: String
        do {
            let result = try connection.query("SELECT typeof(params), CAST(params AS MAP(VARCHAR, VARCHAR)) FROM (SELECT (\(expression)) AS params)")
            guard let row = try result.next(), case .varchar(let typeName) = row[0] else { throw InputError(message: "no value") }
            type = typeName
            map = row[1]
        } catch {
            throw InputError(message: "Invalid Input Error: PARAMS must be a MAP of text keys and values, as in PARAMS MAP {'API_KEY': '…'}; DuckDB could not read it as one (its message is not shown, since it may quote a secret value)")
        }
        // Text, numbers and the like become text; a list or a struct as a value is a mistake.
        let valueType = type.hasPrefix("MAP(") ? String(type.dropFirst(4)) : type
        guard type.hasPrefix("MAP("), !["[", "STRUCT", "MAP(", "UNION"].contains(where: valueType.contains) else {
            throw InputError(message: "Invalid Input Error: PARAMS must be a MAP of text keys and values, as in PARAMS MAP {'API_KEY': '…'}, not a \(type.hasPrefix("MAP(") ? "map of lists or structs" : type)")
        }
        guard case .map(let entries) = map else {
            throw InputError(message: "Invalid Input Error: PARAMS must be a MAP {'KEY': 'value', …}, not NULL")
        }
        var params: [String: String] = [:]
        for entry in entries {
            guard case .varchar(let key) = entry.key else { continue }
            guard case .varchar(let value) = entry.value else {
                throw InputError(message: "Invalid Input Error: PARAMS entry '\(key)' has no value; give every key a text value")
            }
            params[key] = value
        }
        return params
    }

    private func dropSecret(_ name: String, ifExists: Bool, fromMotherDuck: Bool) throws -> Outcome {
        // Without FROM MOTHERDUCK the name may be DuckDB's own secret; the account is asked first
        // only if it has a store at all.
        let hasStore = ControlStoreSelection.storeExists(home: home)
        guard fromMotherDuck || hasStore else { return .notMine }
        let flights = try platform.flights()
        let exists = try flights.secrets().contains { $0.name == name.lowercased() }
        guard exists else {
            guard fromMotherDuck else { return .notMine }
            if ifExists { return .handled(resultSQL: Self.success) }
            throw InputError(message: "Invalid Input Error: Failed to remove non-existent secret with name '\(name)'; FROM duckdb_secrets() lists the secrets")
        }
        do {
            try flights.deleteSecret(name: name)
        } catch {
            throw InputError(message: "Invalid Input Error: \(error.message)")
        }
        return .handled(resultSQL: Self.success)
    }
}
