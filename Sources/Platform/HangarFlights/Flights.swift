import Foundation
import HangarAccount

/// The flights platform API: every surface (CLI, SQL functions, HTTP) calls this, and every rule
/// on flights, versions, runs, logs, secrets and schedules is enforced here and nowhere else.
///
/// Each call is one transaction on the ``ControlStore``, safe beside other processes and hosts
/// doing the same. Calls are synchronous (SQLite work is short); call them off the main actor.
public struct Flights: Sendable {
    public let store: any ControlStore
    /// The `owner_name` of flights this instance creates.
    public let owner: String
    let clock: @Sendable () -> Date

    /// - clock: the time every timestamp and `nextFire` is taken from; tests pass their own.
    public init(store: any ControlStore, owner: String = Flights.defaultOwner(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.owner = owner
        self.clock = clock
    }

    public init(home: HangarHome, owner: String = Flights.defaultOwner(), clock: @escaping @Sendable () -> Date = { Date() }) throws(FlightsError) {
        self.init(store: try SQLiteControlStore(home: home), owner: owner, clock: clock)
    }

    /// The local account's owner: the login name, else "local".
    public static func defaultOwner(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
        return "local"
    }

    /// Now, in the store's precision (microseconds), so returned rows equal re-read ones.
    func now() -> Int64 { Stored.microseconds(clock()) }

    // MARK: - Flights

    /// Creates a flight and its version 1.
    public func create(_ new: NewFlight) throws(FlightsError) -> Flight {
        let name = try Validation.flightName(new.name)
        let content = try VersionContent(validating: new)
        let cron = try Validation.scheduleCron(new.scheduleCron)
        let now = now()
        let id = Stored.id(UUID())
        return try store.write { db in
            try ensureNameIsFree(db, name, except: nil)
            try db.execute(
                """
                    INSERT INTO flights (id, name, schedule_cron, schedule_status, schedule_since, catch_up, current_version,
                        owner_name, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
                    """,
                [
                    id, name, cron, cron == nil ? nil : ScheduleStatus.active.rawValue, cron == nil ? nil : now,
                    new.catchUp.rawValue, owner, now, now,
                ])
            try content.insert(db, flightID: id, number: 1, at: now)
            return try summary(db, id: id)
        }
    }

    /// Applies a PATCH (see ``FlightUpdate``): content changes make a new version, metadata
    /// changes don't, and an update that changes nothing leaves the flight untouched.
    public func update(_ selector: FlightSelector, _ update: FlightUpdate) throws(FlightsError) -> Flight {
        let now = now()
        return try store.write { db in
            let row = try flightRow(db, selector)
            let id: String = row["id"]
            var changed = false

            let oldName: String = row["name"]
            var name = oldName
            switch update.name {
            case .keep: break
            case .null: throw FlightsError.invalid("name", "name can't be NULL: leave it out to keep \"\(oldName)\"")
            case .set(let newName): name = try Validation.flightName(newName)
            }
            if name != oldName {
                try ensureNameIsFree(db, name, except: id)
                changed = true
            }

            let oldCron: String? = row["schedule_cron"]
            let oldStatus = (row["schedule_status"] as String?).flatMap(ScheduleStatus.init(rawValue:))
            var cron = oldCron
            var status = oldStatus
            var since: Int64? = row["schedule_since"]
            switch update.scheduleCron {
            case .keep: break
            case .null: cron = nil
            case .set(let expression): cron = try Validation.scheduleCron(expression)
            }
            if cron != oldCron {
                // A new schedule starts now: fires of the old one are not "missed" by the new.
                status = cron == nil ? nil : (oldStatus ?? .active)
                since = cron == nil ? nil : now
            }
            switch update.scheduleStatus {
            case .keep: break
            case .null:
                throw FlightsError.invalid("schedule_status", "schedule_status can't be NULL: pass 'ACTIVE' or 'DISABLED', or schedule_cron := '' to remove the schedule")
            case .set(let newStatus):
                guard cron != nil else {
                    throw FlightsError.invalid("schedule_status", "the flight has no schedule to make \(newStatus.rawValue); set schedule_cron first")
                }
                // Re-enabling starts afresh: fires while disabled are not caught up.
                if newStatus != status, newStatus == .active { since = now }
                status = newStatus
            }
            if cron != oldCron || status != oldStatus { changed = true }

            let oldCatchUp = CatchUpPolicy(rawValue: row["catch_up"]) ?? .latest
            var catchUp = oldCatchUp
            switch update.catchUp {
            case .keep: break
            case .null: catchUp = .latest
            case .set(let policy): catchUp = policy
            }
            if catchUp != oldCatchUp { changed = true }

            var version: Int = row["current_version"]
            let current = try content(db, flightID: id, number: version)
            let next = try current.patched(by: update)
            if next != current {
                version += 1
                try next.insert(db, flightID: id, number: version, at: now)
                changed = true
            }

            if changed {
                try db.execute(
                    """
                        UPDATE flights SET name = ?, schedule_cron = ?, schedule_status = ?, schedule_since = ?, catch_up = ?,
                            current_version = ?, updated_at = ?
                        WHERE id = ?
                        """,
                    [name, cron, status?.rawValue, since, catchUp.rawValue, version, now, id])
            }
            return try summary(db, id: id)
        }
    }

    /// Deletes a flight with its versions, runs, log lines and schedule state. Runs that were in
    /// progress are returned so the caller can signal their supervisors. A flight that does not
    /// exist (deleted before, say) is a not-found error.
    public func delete(_ selector: FlightSelector) throws(FlightsError) -> DeletedFlight {
        try store.write { db in
            let row = try flightRow(db, selector)
            let id: String = row["id"]
            let flight = try summary(db, id: id)
            let active = try db.rows(
                "SELECT * FROM runs WHERE flight_id = ? AND status IN ('PENDING', 'RUNNING') ORDER BY run_number",
                [id]
            ).map(FlightRun.init(row:))
            try db.execute("DELETE FROM log_lines WHERE run_id IN (SELECT id FROM runs WHERE flight_id = ?)", [id])
            try db.execute("DELETE FROM runs WHERE flight_id = ?", [id])
            try db.execute("DELETE FROM flight_versions WHERE flight_id = ?", [id])
            try db.execute("DELETE FROM schedule_state WHERE flight_id = ?", [id])
            try db.execute("DELETE FROM flights WHERE id = ?", [id])
            return DeletedFlight(flight: flight, activeRuns: active)
        }
    }

    public func flight(_ selector: FlightSelector) throws(FlightsError) -> Flight {
        try store.read { db in
            try summary(db, id: try flightRow(db, selector)["id"])
        }
    }

    /// Flights in creation order. `owner` keeps only that owner's flights (`owner_only`).
    public func list(limit: Int? = nil, offset: Int? = nil, owner: String? = nil) throws(FlightsError) -> [Flight] {
        try Validation.page(limit: limit, offset: offset)
        let now = clock()
        return try store.read { db in
            var sql = "SELECT \(Flight.columns) FROM \(Flight.from)"
            var arguments: [(any ControlArgument)?] = []
            if let owner {
                sql += " WHERE f.owner_name = ?"
                arguments += [owner]
            }
            sql += " ORDER BY f.created_at, f.rowid LIMIT ? OFFSET ?"
            arguments += [db.dialect.limit(limit), offset ?? 0]
            return try db.rows(sql, arguments).map { Flight(row: $0, now: now) }
        }
    }

    // MARK: - Versions

    /// Versions newest first, without their code; 50 at most unless `limit` says otherwise.
    public func versions(_ selector: FlightSelector, limit: Int? = 50, offset: Int? = nil) throws(FlightsError) -> [FlightVersion] {
        try Validation.page(limit: limit, offset: offset)
        return try store.read { db in
            let id: String = try flightRow(db, selector)["id"]
            return try db.rows(
                "SELECT \(FlightVersion.columns) FROM flight_versions WHERE flight_id = ? ORDER BY number DESC LIMIT ? OFFSET ?",
                [id, db.dialect.limit(limit), offset ?? 0]
            ).map(FlightVersion.init(row:))
        }
    }

    /// One version with its source and requirements.
    public func version(_ selector: FlightSelector, number: Int) throws(FlightsError) -> FlightVersionDetail {
        try Validation.versionNumber(number)
        return try store.read { db in
            let flight = try flightRow(db, selector)
            return try versionDetail(db, flight: flight, number: number)
        }
    }

    /// The version new runs get, with its code.
    public func currentVersion(_ selector: FlightSelector) throws(FlightsError) -> FlightVersionDetail {
        try store.read { db in
            let flight = try flightRow(db, selector)
            return try versionDetail(db, flight: flight, number: flight["current_version"])
        }
    }

    // MARK: - Shared lookups

    /// The flight's own row, or a not-found error that says how to find flights.
    func flightRow(_ db: any ControlDatabase, _ selector: FlightSelector) throws -> ControlRow {
        let row: ControlRow? = switch selector {
        case .id(let id): try db.row("SELECT * FROM flights WHERE id = ?", [Stored.id(id)])
        case .name(let name): try db.row("SELECT * FROM flights WHERE lower(name) = lower(?)", [name])
        }
        guard let row else {
            let what = switch selector {
            case .id(let id): "flight \(Stored.id(id)) does not exist"
            case .name(let name): "no flight is named \"\(name)\""
            }
            throw FlightsError(.flightNotFound, "\(what); list flights to see which exist")
        }
        return row
    }

    func summary(_ db: any ControlDatabase, id: String) throws -> Flight {
        guard let row = try db.row("SELECT \(Flight.columns) FROM \(Flight.from) WHERE f.id = ?", [id]) else {
            throw FlightsError(.flightNotFound, "flight \(id) does not exist; list flights to see which exist")
        }
        return Flight(row: row, now: clock())
    }

    func content(_ db: any ControlDatabase, flightID: String, number: Int) throws -> VersionContent {
        guard let row = try db.row(
            "SELECT * FROM flight_versions WHERE flight_id = ? AND number = ?", [flightID, number])
        else {
            throw FlightsError(.versionNotFound, "flight \(flightID) has no version \(number)")
        }
        return VersionContent(row: row)
    }

    func versionDetail(_ db: any ControlDatabase, flight: ControlRow, number: Int) throws -> FlightVersionDetail {
        let id: String = flight["id"]
        guard let row = try db.row(
            "SELECT * FROM flight_versions WHERE flight_id = ? AND number = ?", [id, number])
        else {
            let name: String = flight["name"]
            let current: Int = flight["current_version"]
            throw FlightsError(.versionNotFound, "flight \"\(name)\" has no version \(number); its versions are 1 to \(current)")
        }
        return FlightVersionDetail(
            version: FlightVersion(row: row), sourceCode: row["source_code"], requirementsTxt: row["requirements_txt"])
    }

    private func ensureNameIsFree(_ db: any ControlDatabase, _ name: String, except id: String?) throws {
        // Names are unique ignoring ASCII case (both stores' lower() folds ASCII only).
        if let other = try db.row("SELECT id, name FROM flights WHERE lower(name) = lower(?)", [name]),
           other["id"] as String != id {
            let otherName: String = other["name"]
            let otherID: String = other["id"]
            throw FlightsError(.nameTaken, "a flight named \"\(otherName)\" already exists (\(otherID)); names are unique ignoring case: pick another name, or update or delete that flight")
        }
    }
}
