import Foundation
import GRDB
@testable import HangarFlights
import HangarTestSupport
import Testing

/// What the scheduler reads and writes: next fires, the flights due, and the guard that records
/// each fire once.
struct ScheduleTests {
    @Test func theSummaryShowsTheNextFireInUTCWhileTheScheduleIsActive() throws {
        let test = try TestHome()
        test.clock.set(utc("2026-05-28T20:26:40Z"))
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "x", scheduleCron: " 15 7 * * * "))
        #expect(flight.scheduleCron == "15 7 * * *")
        #expect(flight.nextFire == utc("2026-05-29T07:15:00Z"))
        test.clock.set(utc("2026-05-29T07:15:00Z"))
        #expect(try flights.flight(.id(flight.id)).nextFire == utc("2026-05-30T07:15:00Z"))
        let disabled = try flights.update(.id(flight.id), FlightUpdate(scheduleStatus: .set(.disabled)))
        #expect(disabled.nextFire == nil)
        #expect(disabled.scheduleCron == "15 7 * * *")
    }

    @Test func theSchedulerSeesActiveSchedulesSinceTheyTookEffect() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let created = test.clock.now
        let a = try flights.create(NewFlight(name: "a", sourceCode: "x", scheduleCron: "*/15 * * * *", catchUp: .all))
        _ = try flights.create(NewFlight(name: "on_demand", sourceCode: "x"))
        let c = try flights.create(NewFlight(name: "c", sourceCode: "x", scheduleCron: "@hourly"))
        _ = try flights.update(.id(c.id), FlightUpdate(scheduleStatus: .set(.disabled)))

        let due = try flights.scheduledFlights()
        #expect(due.map(\.flightName) == ["a"])
        #expect(due.first?.flightID == a.id)
        #expect(due.first?.catchUp == .all)
        #expect(due.first?.scheduleSince == created)
        #expect(due.first?.lastHandledFire == nil)
        #expect(due.first?.schedule.description == "*/15 * * * *")

        // Changing the schedule, or enabling it again, starts it afresh.
        test.clock.advance(3600)
        _ = try flights.update(.id(a.id), FlightUpdate(scheduleCron: .set("0 * * * *")))
        test.clock.advance(60)
        _ = try flights.update(.id(c.id), FlightUpdate(scheduleStatus: .set(.active)))
        let since = Dictionary(uniqueKeysWithValues: try flights.scheduledFlights().map { ($0.flightName, $0.scheduleSince) })
        #expect(since == ["a": created + 3600, "c": created + 3660])
    }

    @Test func aFireIsRecordedOnceAsAScheduledRunAndCountsAsHandled() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "x", scheduleCron: "0 * * * *", config: ["A": "1"]))
        let fire = utc("2026-06-01T10:00:00Z")
        guard case .started(let run) = try flights.recordScheduledFire(flightID: flight.id, at: fire) else {
            Issue.record("the first recording did not start a run")
            return
        }
        #expect(run.isScheduled)
        #expect(run.scheduledAt == fire)
        #expect(run.status == .pending)
        #expect(run.config == ["A": "1"])
        #expect(try flights.recordScheduledFire(flightID: flight.id, at: fire) == .alreadyFired)
        let manual = #expect(throws: FlightsError.self) { try flights.triggerRun(.id(flight.id), scheduledAt: fire) }
        #expect(manual?.kind == .conflict)
        #expect(try flights.runs(.id(flight.id)).count == 1)
        #expect(try flights.scheduledFlights().first?.lastHandledFire == fire)

        // The mark only moves forward.
        try flights.markFiresHandled(flightID: flight.id, through: fire - 3600)
        #expect(try flights.scheduledFlights().first?.lastHandledFire == fire)
        try flights.markFiresHandled(flightID: flight.id, through: fire + 7200)
        #expect(try flights.scheduledFlights().first?.lastHandledFire == fire + 7200)
        // A late fire still records (catch-up of an older fire is the scheduler's call).
        #expect(try flights.triggerRun(.id(flight.id), scheduledAt: fire + 3600).runNumber == 2)
    }

    @Test func aFlightWithoutAnActiveScheduleIsNotFired() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let onDemand = try flights.create(.sample("on_demand"))
        let disabled = try flights.create(NewFlight(name: "disabled", sourceCode: "x", scheduleCron: "* * * * *"))
        _ = try flights.update(.id(disabled.id), FlightUpdate(scheduleStatus: .set(.disabled)))
        let fire = utc("2026-06-01T10:00:00Z")
        #expect(try flights.recordScheduledFire(flightID: onDemand.id, at: fire) == .notScheduled)
        #expect(try flights.recordScheduledFire(flightID: disabled.id, at: fire) == .notScheduled)
        #expect(try flights.recordScheduledFire(flightID: UUID(), at: fire) == .notScheduled)
        try flights.markFiresHandled(flightID: UUID(), through: fire)
        #expect(try flights.runs(.id(disabled.id)).isEmpty)
    }

    /// Two schedulers (two stores, as two processes) racing for the same fires: each fire is
    /// recorded exactly once.
    @Test(.timeLimit(.minutes(5)))
    func twoSchedulersNeverRecordOneFireTwice() throws {
        let test = try TestHome()
        let flight = try test.flights().create(NewFlight(name: "f", sourceCode: "x", scheduleCron: "* * * * *"))
        let fires = (0..<10).map { utc("2026-06-01T10:00:00Z") + Double($0) * 60 }
        let started = Collected<Date>()
        let errors = concurrently(4) { _ in
            let scheduler = try test.flights()
            for fire in fires {
                if case .started(let run) = try scheduler.recordScheduledFire(flightID: flight.id, at: fire) {
                    started.append(run.scheduledAt!)
                }
            }
        }
        #expect(errors.isEmpty, "\(errors)")
        #expect(started.values.sorted() == fires)
        #expect(try test.flights().runs(.id(flight.id)).count == fires.count)
    }

    /// The schema itself refuses a second run for one fire, whatever code writes it.
    @Test func theStoreRefusesASecondRunForOneFire() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "x", scheduleCron: "* * * * *"))
        guard case .started(let run) = try flights.recordScheduledFire(flightID: flight.id, at: utc("2026-06-01T10:00:00Z")) else {
            Issue.record("the fire was not recorded")
            return
        }
        let error = #expect(throws: FlightsError.self) {
            try flights.store.write { db in
                try db.execute(
                    """
                        INSERT INTO runs (id, flight_id, flight_name, flight_version, run_number, is_scheduled, scheduled_at,
                            status, config, created_at)
                        SELECT ?, flight_id, flight_name, flight_version, 99, is_scheduled, scheduled_at, 'PENDING', config, created_at
                        FROM runs WHERE id = ?
                        """,
                    [UUID().uuidString.lowercased(), run.id.uuidString.lowercased()])
            }
        }
        #expect(error?.kind == .storage)
        #expect(error?.message.contains("scheduled_at") == true)
    }
}
