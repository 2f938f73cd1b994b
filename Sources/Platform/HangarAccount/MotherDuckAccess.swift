import DuckDB
import Foundation

/// MotherDuck itself, next to the local account, for a DuckDB session (`hangar sql`): statements
/// that name it (`ATTACH 'md:…'`) get DuckDB's motherduck extension with the account's token.
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
        guard let token else { throw AccountError(Self.needsToken) }
        do {
            try MotherDuck.prepare(connection, token: token)
        } catch let error as DuckDBError {
            throw AccountError(error.message)
        }
    }

    /// What went wrong with MotherDuck, in words, with the token masked.
    public func explain(_ error: any Error) -> String {
        MotherDuck.explain((error as? DuckDBError)?.message ?? "\(error)", token: token)
    }

    public static let needsToken = "MotherDuck needs a token: give it once with `hangar motherduck login` (or set MOTHERDUCK_TOKEN for Hangar); the local account's databases need none"
}
