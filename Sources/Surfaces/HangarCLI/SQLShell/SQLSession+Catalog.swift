import DuckDB
import Foundation
import HangarAccount

/// What `.tables`, `.schema` and `.databases` list, read from the session's catalog with its
/// databases attached as for a statement.
extension SQLSession {
    /// Tables and views: bare names for the current schema, qualified ones elsewhere; those
    /// of the current database first.
    func tableNames(matching pattern: String?) throws -> [String] {
        let filter = pattern.map { "WHERE name ILIKE \(quoteLiteral($0))" } ?? ""
        let rows = try catalogRows("""
            SELECT database_name, schema_name, name, current_database(), current_schema() FROM (
                SELECT database_name, schema_name, table_name AS name FROM duckdb_tables() WHERE NOT internal
                UNION ALL
                SELECT database_name, schema_name, view_name FROM duckdb_views() WHERE NOT internal)
            \(filter)
            ORDER BY database_name <> current_database(), database_name, schema_name <> current_schema(), schema_name, name
            """)
        return rows.map { row in
            let fields = row.map { $0.string ?? "" }
            let (database, schema, name, currentDatabase, currentSchema) = (fields[0], fields[1], fields[2], fields[3], fields[4])
            if database == currentDatabase { return schema == currentSchema ? name : "\(schema).\(name)" }
            return "\(database).\(schema).\(name)"
        }
    }

    /// The `CREATE` statements of tables and views named `[database.][schema.]pattern`
    /// (`LIKE` patterns), or of all of them. An account database named first is attached.
    func createStatements(matching qualifiedName: String?) throws -> [String] {
        var conditions = ["sql IS NOT NULL"]
        var naming: [String] = []
        if let qualifiedName {
            let parts = qualifiedName.split(separator: ".", omittingEmptySubsequences: false).map { quoteLiteral(String($0)) }
            switch parts.count {
            case 1:
                conditions.append("name ILIKE \(parts[0])")
            case 2:
                conditions.append("(schema_name ILIKE \(parts[0]) OR database_name ILIKE \(parts[0])) AND name ILIKE \(parts[1])")
            case 3:
                conditions.append("database_name ILIKE \(parts[0]) AND schema_name ILIKE \(parts[1]) AND name ILIKE \(parts[2])")
            default:
                throw InputError(message: ".schema takes [database.][schema.]name, not \(qualifiedName)")
            }
            if parts.count > 1 { naming = [String(qualifiedName.prefix { $0 != "." })] }
        }
        let rows = try catalogRows("""
            SELECT sql FROM (
                SELECT database_name, schema_name, table_name AS name, sql FROM duckdb_tables() WHERE NOT internal
                UNION ALL
                SELECT database_name, schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal)
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY database_name <> current_database(), database_name, schema_name, name
            """, naming: naming)
        return rows.compactMap { $0.first?.string.map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 } }
    }

    /// The session's databases, then the account's other databases, which a statement reaches
    /// by name (attached under their leases for it).
    func databaseList(home: HangarHome) throws -> String {
        let rows = try catalogRows("""
            SELECT database_name, path FROM duckdb_databases()
            WHERE database_name NOT IN ('system', 'temp') ORDER BY database_name <> 'memory', database_name
            """)
        var table = TextTable([.left("DATABASE"), .left("FILE")])
        var listed: Set<String> = []
        for row in rows {
            guard let name = row[0].string else { continue }
            listed.insert(name)
            table.append([name, row[1].string.flatMap { $0.isEmpty ? nil : $0 } ?? "(in memory)"])
        }
        for database in home.accountDatabases() where !listed.contains(database.alias) {
            table.append([database.alias, database.url.path])
        }
        return table.rendered()
    }
}
