import Crypto
import Foundation
import PostgresNIO

/// Seals secret values before they reach the control database, and opens them for a run.
///
/// The SQLite store protects secrets by the file: `control.sqlite` is its owner's alone (0600),
/// values never appear in errors, and listings show keys only. A shared PostgreSQL database is
/// reached over the network by every host and by whoever holds its credentials, read by backups
/// and replicas, so file modes protect nothing there: each value set is sealed with AES-256-GCM
/// under the control key, which every Hangar host holds in a file of its own (0600) and the
/// database never sees. The secret's name is the authenticated data, so a sealed value moved to
/// another name does not open.
public struct SecretSealer: Sendable {
    private let key: SymmetricKey

    /// A key of 32 bytes, e.g. read from `HANGAR_CONTROL_KEY_FILE`.
    public init(key: Data) throws(PostgresControlError) {
        guard key.count == 32 else {
            throw PostgresControlError(.conflict, "the control key must be 32 bytes (got \(key.count)); make one with: head -c 32 /dev/urandom > control.key")
        }
        self.key = SymmetricKey(data: key)
    }

    public static func newKey() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    func seal(_ params: [String: String], name: String) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let plain = try encoder.encode(params)
        guard let combined = try AES.GCM.seal(plain, using: key, authenticating: Data(name.utf8)).combined else {
            throw PostgresControlError(.storage, "sealing secret \"\(name)\" failed")
        }
        return combined
    }

    func open(_ sealed: Data, name: String) throws(PostgresControlError) -> [String: String] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            let plain = try AES.GCM.open(box, using: key, authenticating: Data(name.utf8))
            return try JSONDecoder().decode([String: String].self, from: plain)
        } catch {
            throw PostgresControlError(.conflict, "secret \"\(name)\" does not open with this host's control key: every host must hold the same key")
        }
    }
}

extension PostgresControlStore {
    /// Creates or replaces a secret; the database receives only the sealed params.
    public func putSecret(name: String, params: [String: String], sealer: SecretSealer) async throws(PostgresControlError) {
        let sealed: Data
        do { sealed = try sealer.seal(params, name: name) } catch { throw PostgresControlError(error) }
        try await transaction { transaction in
            let now = try await now(transaction)
            try await transaction.execute("""
                INSERT INTO secrets (name, sealed_params, created_at, updated_at) VALUES (\(name), \(sealed), \(now), \(now))
                ON CONFLICT (name) DO UPDATE SET sealed_params = excluded.sealed_params, updated_at = excluded.updated_at
                """)
        }
    }

    /// The secret's params, opened with this host's key.
    public func revealSecret(name: String, sealer: SecretSealer) async throws(PostgresControlError) -> [String: String] {
        let sealed: Data = try await transaction { transaction in
            guard let row = try await transaction.rows("SELECT sealed_params FROM secrets WHERE name = \(name)").first else {
                throw PostgresControlError(.notFound, "secret \"\(name)\" does not exist; list secrets to see which exist")
            }
            return try row.decode(Data.self)
        }
        return try sealer.open(sealed, name: name)
    }
}
