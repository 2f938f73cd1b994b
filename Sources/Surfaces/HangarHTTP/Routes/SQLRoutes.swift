import DuckDB
import Foundation
import HangarAccount
import HangarViews
import Hummingbird

/// `POST /api/v1/sql`: one statement against the account's databases, with a row limit and a
/// timeout. The statement runs in a fresh in-memory session with the default database and every
/// account database it names attached under their leases (as `hangar sql` does), and with file
/// and network access switched off once they are attached, so the SQL box reaches the account's
/// data and nothing else on the machine (not the control store, not the token file).
enum SQLRoutes {
    static let defaultLimit = 1000
    static let maxLimit = 10_000
    static let defaultTimeout: Double = 30
    static let maxTimeout: Double = 300

    struct Answer: Sendable {
        var columns: JSONValue = .array([])
        var rows: [JSONValue] = []
        var truncated = false
    }

    static func register(on routes: RouterGroup<APIRequestContext>, api: HangarAPI) {
        let databases = AccountDatabases(home: api.home)

        routes.post("/api/v1/sql") { request, _ in
            let body = try await JSONBody.read(request, allowed: ["sql", "database", "limit", "timeout_sec", "numbers"])
            guard let sql = try body.string("sql").value, !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw APIError.invalid("sql", "sql is required: one SQL statement")
            }
            let limit = try body.int("limit").value ?? defaultLimit
            guard (1...maxLimit).contains(limit) else {
                throw APIError.invalid("limit", "limit must be between 1 and \(maxLimit), not \(limit)")
            }
            let timeout = try timeoutSeconds(body)
            let policy = try DuckDBJSON(numbers: QueryParameters.numbers(try body.string("numbers").value, parameter: "numbers"))
            var files = databases.named(in: sql)
            var defaultDatabase: String?
            if let name = try body.string("database").value, !name.isEmpty {
                guard let file = databases.file(named: name) else {
                    throw APIError.invalid("database", "the account has no database \"\(name)\"; GET /api/v1/databases lists them")
                }
                defaultDatabase = file.alias
                if !files.contains(where: { $0.name == file.name }) { files.append(file) }
            }
            let started = ContinuousClock.now
            let attachedFiles = files, chosenDatabase = defaultDatabase
            let answer = try await api.blocking {
                try run(sql, files: attachedFiles, defaultDatabase: chosenDatabase, limit: limit, timeout: timeout, policy: policy,
                        databases: databases)
            }
            let elapsed = ContinuousClock.now - started
            return APIResponse.json(.object([
                ("columns", answer.columns),
                ("rows", .array(answer.rows)),
                ("row_count", .int(answer.rows.count)),
                ("truncated", .bool(answer.truncated)),
                ("elapsed_sec", .double(JSONTime.seconds(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))),
            ]))
        }
    }

    private static func timeoutSeconds(_ body: JSONBody) throws -> Double {
        switch body.fields["timeout_sec"] {
        case nil, .null?: return defaultTimeout
        case .int(let seconds)?: return try checked(Double(seconds))
        case .double(let seconds)?: return try checked(seconds)
        case let other?: throw APIError.invalid("timeout_sec", "timeout_sec must be a number of seconds, not \(other.kindName)")
        }
        func checked(_ seconds: Double) throws -> Double {
            guard seconds > 0, seconds <= maxTimeout else {
                throw APIError.invalid("timeout_sec", "timeout_sec must be more than 0 and at most \(Int(maxTimeout)), not \(seconds)")
            }
            return seconds
        }
    }

    /// Runs on a worker thread: waits for the leases (within the timeout), runs the statement,
    /// and reads at most `limit` rows; a timer interrupts the statement when the time is up.
    static func run(_ sql: String, files: [AccountDatabases.File], defaultDatabase: String?, limit: Int, timeout: Double,
                    policy: DuckDBJSON, databases: AccountDatabases) throws -> Answer {
        let deadline = Date().addingTimeInterval(timeout)
        return try databases.withAttached(files, readOnly: false, leaseTimeout: timeout, purpose: "POST /api/v1/sql") { connection in
            if let defaultDatabase { try connection.execute("USE \(quoteIdentifier(defaultDatabase))") }
            // Only what is attached now is reachable: no files, no network, no extensions.
            // DuckDB refuses to switch it back on while the database is open. Its temporary folder
            // would stay reachable (DuckDB allows it to itself: `<cwd>/.tmp/` by default), so this
            // database spills nothing; a request is bounded in rows, time and memory anyway.
            try connection.execute("SET temp_directory = ''")
            // A DuckLake database's rows are Parquet files under its data folder (or S3 prefix),
            // which it must still read and write; that place, and nothing else, stays reachable.
            let lakeFolders = files.filter(\.isLake).compactMap { try? DuckLakeDescriptor.read(from: $0.url).dataPath }
            if !lakeFolders.isEmpty {
                try connection.execute("SET allowed_directories = [\(lakeFolders.map(quoteLiteral).joined(separator: ", "))]")
            }
            try connection.execute("SET enable_external_access = false")

            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw timedOut(timeout) }
            let interrupt = connection.interruptHandle
            let timer = InterruptTimer()
            let work = DispatchWorkItem {
                timer.fired()
                interrupt.interrupt()
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + remaining, execute: work)
            defer { work.cancel() }
            do {
                // One statement: DuckDB refuses to prepare several at once.
                let result = try connection.prepare(sql).query()
                var answer = Answer()
                answer.columns = DuckDBJSON.columns(names: result.columnNames.names, types: result.columnTypes)
                if result.kind == .nothing {
                    answer.columns = .array([])
                    return answer
                }
                while let row = try result.next() {
                    guard answer.rows.count < limit else {
                        answer.truncated = true
                        break
                    }
                    answer.rows.append(.array(row.values.map(policy.value)))
                }
                return answer
            } catch let error as DuckDBError {
                if error.kind == .interrupt || timer.hasFired { throw timedOut(timeout) }
                throw APIError.invalid("sql", error.message)
            }
        }
    }

    private static func timedOut(_ timeout: Double) -> APIError {
        APIError(.timeout, "the statement ran longer than timeout_sec (\(timeout) s) and was interrupted; pass a larger timeout_sec (up to \(Int(maxTimeout))) or narrow the query")
    }
}

/// Whether the timeout fired, read after the statement ends.
private final class InterruptTimer: @unchecked Sendable {
    private let lock = NSLock()
    private var didFire = false

    var hasFired: Bool { lock.withLock { didFire } }

    func fired() {
        lock.withLock { didFire = true }
    }
}
