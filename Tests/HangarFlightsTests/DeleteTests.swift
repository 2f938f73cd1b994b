import Foundation
import GRDB
@testable import HangarFlights
import HangarTestSupport
import Testing

struct DeleteTests {
    private func count(_ flights: Flights, _ table: String) throws -> Int {
        try flights.store.read { db in try db.value(Int.self, "SELECT COUNT(*) FROM \(table)")! }
    }

    @Test func deleteRemovesVersionsRunsLogsAndScheduleStateAndReturnsActiveRuns() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(name: "doomed", sourceCode: "v1", scheduleCron: "* * * * *"))
        _ = try flights.update(.id(flight.id), FlightUpdate(sourceCode: .set("v2")))
        let finished = try flights.triggerRun(.id(flight.id))
        try flights.appendLogLines(finished.id, [NewLogLine(.stdout, "done")])
        _ = try flights.markFinished(finished.id, .succeeded)
        let running = try flights.markRunning(try flights.triggerRun(.id(flight.id)).id, supervisor: SupervisorIdentity(pid: 9, startToken: "9"))
        try flights.appendLogLines(running.id, [NewLogLine(.stderr, "working")])
        let pending = try flights.triggerRun(.id(flight.id))
        guard case .started = try flights.recordScheduledFire(flightID: flight.id, at: utc("2026-06-01T00:00:00Z")) else {
            Issue.record("the fire was not recorded")
            return
        }
        let survivor = try flights.create(.sample("survivor"))
        let survivorRun = try flights.triggerRun(.id(survivor.id))
        try flights.appendLogLines(survivorRun.id, [NewLogLine(.stdout, "still here")])

        let deleted = try flights.delete(.name("doomed"))
        #expect(deleted.flight.id == flight.id)
        #expect(deleted.activeRuns.map(\.runNumber) == [2, 3, 4])
        #expect(deleted.activeRuns.first?.supervisor == SupervisorIdentity(pid: 9, startToken: "9"))
        #expect(deleted.activeRuns.contains { $0.id == pending.id })

        #expect(try count(flights, "flights") == 1)
        #expect(try count(flights, "flight_versions") == 1)
        #expect(try count(flights, "runs") == 1)
        #expect(try count(flights, "log_lines") == 1)
        #expect(try count(flights, "schedule_state") == 0)
        #expect(try flights.logs(.id(survivor.id), runNumber: 1).map(\.line) == ["still here"])

        // A supervisor of a deleted run learns its run is gone.
        #expect(throws: FlightsError.self) { try flights.appendLogLines(running.id, [NewLogLine(.stdout, "late")]) }
        let gone = #expect(throws: FlightsError.self) { try flights.markFinished(running.id, .succeeded) }
        #expect(gone?.kind == .notFound)
    }

    @Test func aSecondDeleteSaysTheFlightDoesNotExist() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        _ = try flights.delete(.id(flight.id))
        let error = #expect(throws: FlightsError.self) { try flights.delete(.id(flight.id)) }
        #expect(error?.kind == .notFound)
        #expect(error?.message.contains("does not exist") == true)
        // The name is free again.
        #expect(try flights.create(.sample()).currentVersion == 1)
    }
}
