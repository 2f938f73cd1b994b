import Foundation

/// MotherDuck through DuckDB's `motherduck` extension, loaded from the provisioned folder (never
/// downloaded while a query runs), with a token given by the caller.
///
/// The extension asks MotherDuck for the version to run as it starts, so without a network path to
/// MotherDuck every use fails; `explain` turns that (and any refusal) into one message naming
/// MotherDuck and what to check, with the token masked.
public enum MotherDuck {
    /// Loads the extension into `connection`'s database (once) and gives it `token`.
    public static func prepare(_ connection: Connection, token: String) throws {
        let loaded = try connection.scalar(
            "SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'motherduck'", as: Bool.self) ?? false
        do {
            if !loaded { try ProvisionedExtensions.load("motherduck", into: connection) }
            try connection.execute("SET motherduck_token = \(literal(token))")
        } catch let error as DuckDBError where error.kind != .io {
            throw DuckDBError(error.kind, message: explain(error.message, token: token))
        }
    }

    /// A connection of its own whose default database is MotherDuck's `database`.
    public static func connect(database: String, token: String, configuration: Configuration = Configuration()) throws -> Connection {
        let connection = try Database(.inMemory, configuration: configuration).connect()
        try prepare(connection, token: token)
        let alias = "\"" + database.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        do {
            try connection.execute("ATTACH \(literal("md:" + database)) AS \(alias)")
            try connection.execute("USE \(alias)")
        } catch let error as DuckDBError {
            throw DuckDBError(error.kind, message: explain(error.message, token: token))
        }
        return connection
    }

    /// What went wrong with MotherDuck, in words, with `token` masked.
    public static func explain(_ message: String, token: String?) -> String {
        var detail = message
        if let token, !token.isEmpty { detail = detail.replacingOccurrences(of: token, with: "***") }
        detail = detail.replacingOccurrences(of: "\n", with: " ")
        let unreachable = ["Failed to download", "Could not establish connection", "Name or service not known",
                           "Temporary failure in name resolution", "Connection refused", "timed out", "Timeout"]
        if unreachable.contains(where: { detail.contains($0) }) {
            return "MotherDuck could not be reached from this machine (\(detail)). Check its network access to MotherDuck "
                + "(api.motherduck.com, port 443, and any proxy in HTTPS_PROXY); the local account's databases work without it"
        }
        return "MotherDuck refused the request (\(detail)). Check the token given with `hangar motherduck login` "
            + "(or MOTHERDUCK_TOKEN) and the database name"
    }

    private static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
