import Foundation

extension Flights {
    /// `CREATE [OR REPLACE] SECRET name (TYPE flights, PARAMS MAP {...})`. Names are
    /// lower-cased; params need at least one entry, with keys usable as environment variable
    /// names. Without `replace`, an existing secret is a conflict.
    ///
    /// Flights may name secrets that do not exist yet; a run whose secrets are missing fails at
    /// launch (see ``revealSecrets(named:)``).
    @discardableResult
    public func createSecret(name: String, params: [String: String], replace: Bool = false) throws(FlightsError) -> SecretSummary {
        let name = try Validation.secretName(name, parameter: "name")
        let params = try Validation.secretParams(params)
        let now = now()
        return try store.write { db in
            if let created = try db.value(Int64.self,"SELECT created_at FROM secrets WHERE name = ?", [name]) {
                guard replace else {
                    throw FlightsError(.secretExists, "secret \"\(name)\" already exists; use CREATE OR REPLACE SECRET (or --replace) to change it, or delete it first")
                }
                try db.execute(
                    "UPDATE secrets SET params = ?, updated_at = ? WHERE name = ?",
                    [try store.sealing.seal(Stored.json(params), context: name), now, name])
                return SecretSummary(name: name, keys: params.keys.sorted(), createdAt: Stored.date(created), updatedAt: Stored.date(now))
            }
            try db.execute(
                "INSERT INTO secrets (name, params, created_at, updated_at) VALUES (?, ?, ?, ?)",
                [name, try store.sealing.seal(Stored.json(params), context: name), now, now])
            return SecretSummary(name: name, keys: params.keys.sorted(), createdAt: Stored.date(now), updatedAt: Stored.date(now))
        }
    }

    public func deleteSecret(name: String) throws(FlightsError) {
        let name = try Validation.secretName(name, parameter: "name")
        try store.write { db in
            guard try db.execute("DELETE FROM secrets WHERE name = ?", [name]) == 1 else {
                throw FlightsError(.secretNotFound, "secret \"\(name)\" does not exist; list secrets to see which exist")
            }
        }
    }

    /// Secrets by name, with their param keys and never their values.
    public func secrets() throws(FlightsError) -> [SecretSummary] {
        try store.read { db in
            try db.rows("SELECT name, params, created_at, updated_at FROM secrets ORDER BY name").map { row in
                let name: String = row["name"]
                let params = try store.sealing.open(row.value("params"), context: name)
                return SecretSummary(
                    name: name, keys: Stored.map(params).keys.sorted(),
                    createdAt: Stored.date(row["created_at"] as Int64), updatedAt: Stored.date(row["updated_at"] as Int64))
            }
        }
    }

    /// The values of the named secrets, in the order named, for injecting into a run and masking
    /// in its logs; only the runtime should call this. Any missing secret is a not-found error
    /// naming every missing one (never any value).
    public func revealSecrets(named names: [String]) throws(FlightsError) -> [RevealedSecret] {
        var lowered: [String] = []
        for name in names { lowered.append(try Validation.secretName(name, parameter: "flight_secret_names")) }
        return try store.read { db in
            var found: [String: [String: String]] = [:]
            for name in Set(lowered) {
                if let sealed = try db.row("SELECT params FROM secrets WHERE name = ?", [name]) {
                    found[name] = Stored.map(try store.sealing.open(sealed.value("params"), context: name))
                }
            }
            let missing = lowered.filter { found[$0] == nil }
            if !missing.isEmpty {
                let list = missing.map { "\"\($0)\"" }.joined(separator: ", ")
                throw FlightsError(.secretNotFound, "the flight names secret\(missing.count == 1 ? "" : "s") \(list) that \(missing.count == 1 ? "does" : "do") not exist; create \(missing.count == 1 ? "it" : "them") with CREATE SECRET … (TYPE flights, PARAMS MAP {…}) or remove \(missing.count == 1 ? "it" : "them") from flight_secret_names")
            }
            return lowered.map { RevealedSecret(name: $0, params: found[$0]!) }
        }
    }
}
