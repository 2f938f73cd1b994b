import Foundation

/// The account's MotherDuck token, given once (`hangar motherduck login`) and kept in the control
/// store like the secrets' values; or `MOTHERDUCK_TOKEN` in the environment of the process that
/// starts runs (`hangar serve`, `hangar run`). With a token, runs get `MOTHERDUCK_TOKEN` and their
/// `md:` connections go to MotherDuck itself; without one, to the local account.
public struct ConfiguredMotherDuckToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public enum Source: String, Sendable {
        /// Stored with `hangar motherduck login`.
        case account
        /// `MOTHERDUCK_TOKEN` of this process's environment.
        case environment
    }

    public let value: String
    public let source: Source
    public let updatedAt: Date?

    public init(value: String, source: Source, updatedAt: Date? = nil) {
        self.value = value
        self.source = source
        self.updatedAt = updatedAt
    }

    public var description: String { "MotherDuck token from the \(source.rawValue) (value hidden)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["source": source]) }
}

extension Flights {
    static let motherDuckTokenKey = "motherduck_token"

    /// Stores the account's MotherDuck token, replacing any before it.
    public func setMotherDuckToken(_ token: String) throws(FlightsError) {
        let token = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw FlightsError.invalid("token", "the MotherDuck token is empty") }
        guard !token.contains("\0"), !token.contains("\n") else {
            throw FlightsError.invalid("token", "the MotherDuck token holds a NUL or a line break; paste the token alone")
        }
        let now = now()
        try store.write { db in
            try db.execute("""
                INSERT INTO account_settings (key, value, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """, [Self.motherDuckTokenKey, try store.sealing.seal(token, context: Self.motherDuckTokenKey), now])
        }
    }

    /// Forgets the stored token; false when there was none.
    @discardableResult
    public func removeMotherDuckToken() throws(FlightsError) -> Bool {
        try store.write { db in
            try db.execute("DELETE FROM account_settings WHERE key = ?", [Self.motherDuckTokenKey]) == 1
        }
    }

    /// The token runs and sessions use: the stored one, else `MOTHERDUCK_TOKEN` of `environment`.
    public func motherDuckToken(environment: [String: String] = ProcessInfo.processInfo.environment) throws(FlightsError) -> ConfiguredMotherDuckToken? {
        let stored = try store.read { db in
            try db.row("SELECT value, updated_at FROM account_settings WHERE key = ?", [Self.motherDuckTokenKey])
        }
        if let stored {
            let updated: Int64 = stored["updated_at"]
            let value = try store.sealing.open(stored.value("value"), context: Self.motherDuckTokenKey)
            return ConfiguredMotherDuckToken(value: value, source: .account, updatedAt: Stored.date(updated))
        }
        if let value = environment["MOTHERDUCK_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            return ConfiguredMotherDuckToken(value: value, source: .environment)
        }
        return nil
    }
}
