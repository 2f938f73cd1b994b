import DuckDB
import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights

/// The names Tab completes from: the session's own catalog (read on its connection, with the
/// databases a statement would have attached), the account's database files, the `MD_*`
/// functions and the account's flights.
struct CompletionCatalog {
    struct Schema: Equatable {
        let database: String
        let name: String
    }

    struct Table: Equatable {
        let database: String
        let schema: String
        let name: String
        var columns: [String]
        /// Names a statement gives the table (`FROM t AS x`), so that `x.` offers its columns.
        var aliases: [String] = []

        /// Whether a bare name reaches the table: the current database's current schema, or a
        /// temporary table.
        func isOnSearchPath(of catalog: CompletionCatalog) -> Bool {
            (database == catalog.currentDatabase && schema == catalog.currentSchema) || database == "temp"
        }
    }

    struct Function: Equatable {
        let name: String
        let parameters: [String]
    }

    struct FlightName: Equatable {
        let name: String
        let id: String
    }

    var keywords: [String] = []
    var databases: [String] = []
    var schemas: [Schema] = []
    var tables: [Table] = []
    var currentDatabase = "memory"
    var currentSchema = "main"
    var functions: [Function] = []
    var flights: [FlightName] = []

    func function(named name: String) -> Function? {
        functions.first { $0.name.lowercased() == name.lowercased() }
    }
}

extension CompletionCatalog {
    /// Reads the catalog for a statement that names `databaseNames` as qualifiers. A database
    /// another process holds is not waited for (the session's `stopWaiting` says so): what
    /// cannot be read is left out rather than holding up the key press.
    static func read(from session: SQLSession, home: HangarHome, naming databaseNames: [String]) -> CompletionCatalog {
        var catalog = CompletionCatalog()
        catalog.functions = flightsFunctions(home: home)
        catalog.flights = flightNames(home: home)
        catalog.databases = accountDatabaseNames(home: home)
        let sql = """
            SELECT 'current', current_database(), current_schema(), NULL, NULL
            UNION ALL
            SELECT 'keyword', keyword_name, NULL, NULL, NULL FROM duckdb_keywords()
            UNION ALL
            SELECT 'database', database_name, NULL, NULL, NULL FROM duckdb_databases() WHERE database_name <> 'system'
            UNION ALL
            SELECT 'schema', database_name, schema_name, NULL, NULL FROM duckdb_schemas() WHERE database_name <> 'system'
            UNION ALL
            SELECT 'column', database_name, schema_name, table_name, column_name FROM duckdb_columns()
            WHERE database_name <> 'system'
            UNION ALL
            SELECT 'table', database_name, schema_name, table_name, NULL FROM duckdb_tables()
            UNION ALL
            SELECT 'table', database_name, schema_name, view_name, NULL FROM duckdb_views() WHERE NOT internal
            """
        // A busy database leaves the session's own names (in memory) to complete.
        guard let rows = (try? session.catalogRows(sql, naming: databaseNames)) ?? (try? session.catalogRows(sql, attaching: false))
        else { return catalog }
        var columns: [String: [String]] = [:]
        var tables: [(String, String, String)] = []
        // Each row: its kind, then up to four names (database or keyword, schema, table, column).
        for row in rows {
            let names = row.map(\.string)
            guard let kind = names[0], let first = names[1] else { continue }
            switch kind {
            case "keyword":
                catalog.keywords.append(first)
            case "current":
                catalog.currentDatabase = first
                catalog.currentSchema = names[2] ?? "main"
            case "database":
                if !catalog.databases.contains(first) { catalog.databases.append(first) }
            case "schema":
                if let schema = names[2] { catalog.schemas.append(Schema(database: first, name: schema)) }
            case "column":
                if let schema = names[2], let table = names[3], let column = names[4] {
                    columns[Self.key(first, schema, table), default: []].append(column)
                }
            default:
                if let schema = names[2], let table = names[3] { tables.append((first, schema, table)) }
            }
        }
        catalog.tables = tables.map { database, schema, name in
            Table(database: database, schema: schema, name: name, columns: columns[Self.key(database, schema, name)] ?? [])
        }
        return catalog
    }

    private static func key(_ database: String, _ schema: String, _ table: String) -> String {
        [database, schema, table].joined(separator: "\u{1F}")
    }

    /// The account's databases, there by name in every statement, attached or not.
    static func accountDatabaseNames(home: HangarHome) -> [String] {
        home.accountDatabases().map(\.alias)
    }

    /// The `MD_*` functions and their named parameters, every alias included.
    static func flightsFunctions(home: HangarHome) -> [Function] {
        FlightsSQLFunctions(home: home, hangarExecutable: HangarExecutable.url).functions.flatMap { function in
            function.names.map { Function(name: $0, parameters: Array(function.parameters.keys)) }
        }
    }

    /// The account's flights; none when it has no control store yet (completion never makes one).
    static func flightNames(home: HangarHome) -> [FlightName] {
        guard ControlStoreSelection.storeExists(home: home),
              let flights = try? ControlStoreSelection.flights(home: home), let listed = try? flights.list() else { return [] }
        return listed.map { FlightName(name: $0.name, id: $0.id.uuidString.lowercased()) }
    }
}
