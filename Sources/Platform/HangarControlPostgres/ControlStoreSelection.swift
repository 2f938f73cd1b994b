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
        let sealer = try SecretSealer(key: try controlKey(home: home, environment: environment))
        return try PostgresControlStore(url: url, home: home, sealer: sealer)
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

    /// The control key: `HANGAR_CONTROL_KEY_FILE`, else `<home>/control.key`, made (owner-only)
    /// when missing. Copy it to every host that shares the control database.
    static func controlKey(home: HangarHome, environment: [String: String]) throws(FlightsError) -> Data {
        let file = environment[keyFileVariable].map { URL(fileURLWithPath: $0) } ?? home.root.appendingPathComponent("control.key")
        if let key = FileManager.default.contents(atPath: file.path) { return key }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let descriptor = Glibc.open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor < 0 {
                // Another process made it meanwhile.
                if let key = FileManager.default.contents(atPath: file.path) { return key }
                throw FlightsError.storage("cannot create the control key \(file.path): \(String(cString: strerror(errno)))")
            }
            let key = SecretSealer.newKey()
            _ = key.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
            return key
        } catch let error as FlightsError {
            throw error
        } catch {
            throw FlightsError.storage("cannot create the control key \(file.path): \(error)")
        }
    }
}
