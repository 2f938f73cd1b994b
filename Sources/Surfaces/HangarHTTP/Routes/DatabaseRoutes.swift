import DuckDB
import Foundation
import HangarViews
import Hummingbird

/// `/api/v1/databases…`: the account's databases, their tables (row counts and columns) and a
/// bounded sample of a table, each read under the database's lease for this request only.
enum DatabaseRoutes {
    static let defaultSample = 20
    static let maxSample = 1000
    /// How long browsing waits for a database another process (a flight's load) is writing.
    static let leaseTimeout: Double = 10

    struct Table: Sendable {
        let schema: String
        let name: String
        var rowCount = 0
        var columns: [(name: String, type: String)] = []

        var json: [(String, JSONValue)] {
            [
                ("schema", .string(schema)), ("table", .string(name)), ("row_count", .int(rowCount)),
                ("columns", .array(columns.map { .object([("name", .string($0.name)), ("type", .string($0.type))]) })),
            ]
        }
    }

    static func register(on routes: RouterGroup<APIRequestContext>, api: HangarAPI) {
        let databases = AccountDatabases(home: api.home)

        routes.get("/api/v1/databases") { _, _ in
            let files = try await api.blocking { databases.list() }
            return APIResponse.json(.object([("items", .array(files.map { file in
                .object([("name", .string(file.name)), ("path", .string(file.url.path)), ("size_bytes", .int(file.sizeBytes)),
                         ("type", .string(file.isLake ? "ducklake" : "duckdb"))])
            }))]))
        }

        routes.get("/api/v1/databases/{db}/tables") { _, context in
            let file = try database(databases, context)
            let tables = try await api.blocking {
                try databases.withAttached([file], readOnly: true, leaseTimeout: leaseTimeout, purpose: "listing tables") { connection in
                    try Self.tables(of: file.alias, on: connection)
                }
            }
            return APIResponse.json(.object([("items", .array(tables.map { .object($0.json) }))]))
        }

        routes.get("/api/v1/databases/{db}/tables/{schema}/{table}") { request, context in
            let file = try database(databases, context)
            let schema = context.parameters.decoded("schema") ?? ""
            let name = context.parameters.decoded("table") ?? ""
            let limit = try QueryParameters.int(request, "limit", default: defaultSample, in: 1...maxSample)
            let policy = try DuckDBJSON(numbers: QueryParameters.numbers(QueryParameters.string(request, "numbers"), parameter: "numbers"))
            let (table, rows) = try await api.blocking { () -> (Table, [JSONValue]) in
                try databases.withAttached([file], readOnly: true, leaseTimeout: leaseTimeout, purpose: "sampling a table") { connection in
                    guard let table = try Self.tables(of: file.alias, on: connection).first(where: { $0.schema == schema && $0.name == name }) else {
                        throw APIError(.notFound, "database \"\(file.name)\" has no table \(schema).\(name); list its tables at /api/v1/databases/\(file.name)/tables")
                    }
                    let result = try connection.query("SELECT * FROM \(qualified(file.alias, schema, name)) LIMIT \(limit)")
                    var rows: [JSONValue] = []
                    while let row = try result.next() { rows.append(.array(row.values.map(policy.value))) }
                    return (table, rows)
                }
            }
            return APIResponse.json(.object(table.json + [("limit", .int(limit)), ("rows", .array(rows))]))
        }
    }

    /// The database named in the path, or 404 naming the ones there are.
    static func database(_ databases: AccountDatabases, _ context: APIRequestContext) throws -> AccountDatabases.File {
        let name = context.parameters.decoded("db") ?? ""
        guard let file = databases.file(named: name) else {
            let names = databases.list().map(\.name)
            let known = names.isEmpty ? "the account has no databases yet" : "its databases are \(names.joined(separator: ", "))"
            throw APIError(.notFound, "the account has no database \"\(name)\"; \(known)")
        }
        return file
    }

    /// The attached database's tables with their columns and exact row counts.
    static func tables(of database: String, on connection: Connection) throws -> [Table] {
        var tables: [Table] = []
        let listed = try connection.query(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY schema_name, table_name",
            [database])
        while let row = try listed.next() {
            tables.append(Table(schema: row[0].string ?? "", name: row[1].string ?? ""))
        }
        let columns = try connection.query(
            "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = ? ORDER BY schema_name, table_name, column_index",
            [database])
        while let row = try columns.next() {
            let schema = row[0].string ?? "", table = row[1].string ?? ""
            if let index = tables.firstIndex(where: { $0.schema == schema && $0.name == table }) {
                tables[index].columns.append((row[2].string ?? "", row[3].string ?? ""))
            }
        }
        for index in tables.indices {
            let table = tables[index]
            let count = try connection.scalar("SELECT count(*) FROM \(qualified(database, table.schema, table.name))", as: Int64.self)
            tables[index].rowCount = Int(count ?? 0)
        }
        return tables
    }

    static func qualified(_ parts: String...) -> String {
        parts.map(quoteIdentifier).joined(separator: ".")
    }
}
