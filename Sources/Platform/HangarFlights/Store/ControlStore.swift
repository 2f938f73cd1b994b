import Foundation
import HangarAccount

/// Where the control plane's state lives: flights, versions, runs, logs, secrets and schedule
/// state. ``Flights`` enforces every rule over this interface, so the surfaces and the scheduler
/// never know which store is underneath: the embedded SQLite file (``SQLiteControlStore``, the
/// default) or a PostgreSQL database shared by many hosts (HangarControlPostgres).
///
/// Both stores give the same guarantees: a read sees one consistent state, and a write
/// transaction runs alone among writers (SQLite: an IMMEDIATE transaction; PostgreSQL: a
/// transaction-scoped advisory lock taken first), so read-then-write rules are race-free across
/// processes and hosts. Calls are synchronous and short.
public protocol ControlStore: Sendable {
    /// This host's Hangar home: runs' folders, Python environments and Swift builds live here
    /// whichever store holds the control state.
    var home: HangarHome { get }
    /// How the SQL of the two stores differs where it must (see ``ControlDialect``).
    var dialect: ControlDialect { get }
    /// True when other hosts share the store: a process id in it may be another machine's, so
    /// nothing may signal or probe it here; liveness comes from worker heartbeats instead.
    var isShared: Bool { get }
    /// Where the store is, for messages (a file path, or a URL without its password).
    var location: String { get }
    /// How secret values are kept at rest (see ``ControlSealing``).
    var sealing: any ControlSealing { get }

    /// Runs `body` against one consistent snapshot.
    func read<T>(_ body: (any ControlDatabase) throws -> T) throws(FlightsError) -> T
    /// Runs `body` in one transaction that no other writer interleaves with; commits when it
    /// returns, rolls back when it throws.
    func write<T>(_ body: (any ControlDatabase) throws -> T) throws(FlightsError) -> T
}

/// The SQL differences between the two stores, kept out of the rules.
public enum ControlDialect: Sendable {
    case sqlite
    case postgres

    /// The larger of two values: SQLite's two-argument `MAX`, PostgreSQL's `GREATEST`.
    public var greatest: String {
        switch self {
        case .sqlite: "MAX"
        case .postgres: "GREATEST"
        }
    }

    /// The bound value of `LIMIT ?` for "no limit": SQLite's -1, PostgreSQL's NULL.
    public func limit(_ limit: Int?) -> (any ControlArgument)? {
        if let limit { return limit }
        switch self {
        case .sqlite: return -1
        case .postgres: return nil
        }
    }
}

/// How secret values (a secret's params, the MotherDuck token) are stored. The SQLite store
/// keeps them as text in a file only its owner can read; a shared database seals them with a key
/// the database never sees, the secret's name as authenticated data.
public protocol ControlSealing: Sendable {
    func seal(_ text: String, context: String) throws(FlightsError) -> any ControlArgument
    func open(_ value: ControlValue, context: String) throws(FlightsError) -> String
}

/// Secret values as text: the store itself is the protection (SQLite's 0600 file).
public struct PlainTextSealing: ControlSealing {
    public init() {}

    public func seal(_ text: String, context: String) throws(FlightsError) -> any ControlArgument { text }

    public func open(_ value: ControlValue, context: String) throws(FlightsError) -> String {
        guard case .text(let text) = value else {
            throw FlightsError(.storage, "the stored value of \(context) is not text")
        }
        return text
    }
}
