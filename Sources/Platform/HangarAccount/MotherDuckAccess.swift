import DuckDB
import Foundation

/// MotherDuck itself, next to the local account: `ATTACH 'md:…'` in a DuckDB session through
/// DuckDB's `motherduck` extension (provisioned and loaded by path), with the account's token.
///
/// Without a network path to MotherDuck every use fails with one message naming MotherDuck and
/// what to check; the token never appears in it.
public struct MotherDuckAccess: Sendable {
    /// The account's token (`hangar motherduck login`, or `MOTHERDUCK_TOKEN`); nil when none is
    /// configured.
    public let token: String?

    public init(token: String?) {
        self.token = token
    }

    /// Whether `sql` names MotherDuck: an `md:` or `motherduck:` string, as in `ATTACH 'md:'`.
    public static func isNamed(in sql: String) -> Bool {
        let lowered = sql.lowercased()
        return lowered.contains("'md:") || lowered.contains("'motherduck:")
    }

    /// Loads the extension into `connection`'s database (once) and gives it the token.
    public func prepare(_ connection: Connection) throws {
        guard let token else {
            throw AccountError("MotherDuck needs a token: give it once with `hangar motherduck login` (or set MOTHERDUCK_TOKEN for Hangar); the local account's databases need none")
        }
        let loaded = try connection.scalar(
            "SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'motherduck'", as: Bool.self) ?? false
        if !loaded {
            let file: URL
            do {
                file = try ProvisionedExtensions.file("motherduck")
            } catch let error as DuckDBError {
                throw AccountError(error.message)
            }
            do {
                // Its start-up already asks MotherDuck for the version to run.
                try connection.execute("LOAD '\(file.path.replacingOccurrences(of: "'", with: "''"))'")
            } catch {
                throw AccountError(explain(error))
            }
        }
        do {
            try connection.execute("SET motherduck_token = '\(token.replacingOccurrences(of: "'", with: "''"))'")
        } catch {
            throw AccountError(explain(error))
        }
    }

    /// What went wrong with MotherDuck, in words, with the token masked.
    public func explain(_ error: any Error) -> String {
        var detail = (error as? DuckDBError)?.message ?? "\(error)"
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
}
