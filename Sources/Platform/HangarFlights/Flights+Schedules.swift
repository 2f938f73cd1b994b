import Foundation

extension Flights {
    /// Flights whose schedule is active, with the latest fire handled for each: the scheduler's
    /// view of what may be due. Schedules are re-read on every call, so changes need no restart.
    public func scheduledFlights() throws(FlightsError) -> [ScheduledFlight] {
        try store.read { db in
            try db.rows(
                """
                    SELECT f.id, f.name, f.schedule_cron, f.catch_up, f.schedule_since, s.last_fire_at
                    FROM flights f LEFT JOIN schedule_state s ON s.flight_id = f.id
                    WHERE f.schedule_status = 'ACTIVE'
                    ORDER BY f.created_at, f.rowid
                    """
            ).compactMap { row in
                // Every stored schedule was validated; one that no longer parses (a stricter
                // parser) is skipped rather than stopping every other flight's schedule.
                guard let schedule = try? Validation.schedule(row["schedule_cron"]) else { return nil }
                return ScheduledFlight(
                    flightID: Stored.uuid(row["id"]), flightName: row["name"], schedule: schedule,
                    catchUp: CatchUpPolicy(rawValue: row["catch_up"]) ?? .latest,
                    scheduleSince: Stored.date(row["schedule_since"] as Int64),
                    lastHandledFire: Stored.date(row["last_fire_at"] as Int64?))
            }
        }
    }

    /// Records the fire of `flightID`'s schedule at `scheduledAt` as a pending scheduled run, once:
    /// the UNIQUE (flight, scheduled_at) guard and this transaction make a second recording, by
    /// this or any other scheduler, `.alreadyFired`. The fire also counts as handled.
    public func recordScheduledFire(flightID: UUID, at scheduledAt: Date) throws(FlightsError) -> ScheduledFireOutcome {
        let now = now()
        return try store.write { db in
            guard let flight = try db.row("SELECT * FROM flights WHERE id = ?", [Stored.id(flightID)]),
                  flight["schedule_status"] as String? == ScheduleStatus.active.rawValue
            else { return .notScheduled }
            if try scheduledRun(db, flightID: flight["id"], at: scheduledAt) != nil { return .alreadyFired }
            return .started(try insertRun(db, flight: flight, override: [:], scheduledAt: scheduledAt, now: now))
        }
    }

    /// Marks fires up to `through` as handled without running them (skipped by the catch-up
    /// policy). Never moves the mark back; a deleted flight is ignored.
    public func markFiresHandled(flightID: UUID, through: Date) throws(FlightsError) {
        try store.write { db in
            let id = Stored.id(flightID)
            guard try db.value(Bool.self,"SELECT EXISTS (SELECT 1 FROM flights WHERE id = ?)", [id]) == true else { return }
            try noteFireHandled(db, flightID: id, at: Stored.microseconds(through))
        }
    }

    func noteFireHandled(_ db: any ControlDatabase, flightID: String, at fire: Int64) throws {
        try db.execute(
            """
                INSERT INTO schedule_state (flight_id, last_fire_at) VALUES (?, ?)
                ON CONFLICT (flight_id) DO UPDATE SET last_fire_at = \(db.dialect.greatest)(schedule_state.last_fire_at, excluded.last_fire_at)
                """,
            [flightID, fire])
    }
}
