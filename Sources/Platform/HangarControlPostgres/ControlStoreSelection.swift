import Foundation
import HangarAccount
import HangarFlights

#if canImport(Glibc)
import Glibc
#endif

/// Which control store a Hangar process uses, decided by one setting: `HANGAR_CONTROL` (the
/// `--control` option sets it for the process and the supervisors it starts). A
/// `postgres://…` URL selects the shared PostgreSQL store; nothing (or `sqlite:`) selects the
/// embedded SQLite file of the home, today's default.
public enum ControlStoreSelection {
    public static let variable = "HANGAR_CONTROL"
    /// The file holding the 32-byte key secrets are sealed with on a shared store; every host
    /// of a team holds the same one.
    public static let keyFileVariable = "HANGAR_CONTROL_KEY_FILE"

    public static func open(
        home: HangarHome, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(FlightsError) -> any ControlStore {
        let setting = environment[variable]?.trimmingCharacters(in: .whitespaces) ?? ""
        if setting.isEmpty || setting == "sqlite:" || setting == "sqlite" {
            return try SQLiteControlStore(home: home)
        }
        guard PostgresControlURL.isPostgres(setting) else {
            throw FlightsError.storage("\(variable) is neither empty (the home's SQLite file) nor a postgres:// URL; set it to postgres://user@host:port/database, or unset it")
        }
        let url = try PostgresControlURL(setting, environment: environment)
        let keyFile = environment[keyFileVariable].map { URL(fileURLWithPath: $0) } ?? home.root.appendingPathComponent("control.key")
        let existingKey = FileManager.default.contents(atPath: keyFile.path)
        let key = existingKey ?? SecretSealer.newKey()
        let store = try PostgresControlStore(url: url, home: home, sealer: try SecretSealer(key: key))
        try checkKey(store, keyFile: keyFile, isNew: existingKey == nil, key: key)
        return store
    }

    static let keyCheckName = "control_key_check"

    /// Every host must seal with the same key, or secrets set on one host would not open on
    /// another. The first host records a value sealed with its key; the others must open it.
    /// A host without a key file gets a new key only for a database that has none yet.
    static func checkKey(_ store: PostgresControlStore, keyFile: URL, isNew: Bool, key: Data) throws(FlightsError) {
        let recorded = try store.read { db in try db.row("SELECT value FROM account_settings WHERE key = ?", [keyCheckName]) }
        if let recorded {
            let opened = try? store.sealing.open(recorded.value("value"), context: keyCheckName)
            guard opened == keyCheckName else {
                throw FlightsError.storage(isNew
                    ? "this host has no control key (\(keyFile.path)) and the control database \(store.location) already has one: copy control.key from a host that uses this database to \(keyFile.path) (or point \(keyFileVariable) at it), owner-only"
                    : "the control key \(keyFile.path) is not the key the control database \(store.location) was set up with, so its secrets would not open here: copy control.key from a host that uses this database")
            }
            return
        }
        if isNew { try writeKey(key, to: keyFile) }
        let sealed = try store.sealing.seal(keyCheckName, context: keyCheckName)
        try store.write { db in
            try db.execute("""
                INSERT INTO account_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING
                """, [keyCheckName, sealed, PostgresControlStore.microseconds(Date())])
        }
        // Two first hosts at once: the one whose check was recorded wins; the other must match.
        try checkKey(store, keyFile: keyFile, isNew: false, key: key)
    }

    /// Writes a new key, owner-only; a key another process wrote meanwhile is kept instead.
    static func writeKey(_ key: Data, to file: URL) throws(FlightsError) {
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw FlightsError.storage("cannot create the folder of the control key \(file.path): \(error)")
        }
        let descriptor = Glibc.open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw FlightsError.storage("cannot create the control key \(file.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let written = key.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == key.count else {
            throw FlightsError.storage("cannot write the control key \(file.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether the selected store holds anything yet: a shared store always may; the embedded
    /// one only once its file exists. Listings and completion ask first so as never to create
    /// a store where there is none.
    public static func storeExists(home: HangarHome, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        let setting = environment[variable]?.trimmingCharacters(in: .whitespaces) ?? ""
        if PostgresControlURL.isPostgres(setting) { return true }
        return FileManager.default.fileExists(atPath: SQLiteControlStore.file(in: home).path)
    }

    /// The platform API on the selected store.
    public static func flights(
        home: HangarHome, owner: String = Flights.defaultOwner(), environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(FlightsError) -> Flights {
        Flights(store: try open(home: home, environment: environment), owner: owner)
    }
}
