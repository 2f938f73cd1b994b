import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights
import HangarRunner
import HangarTestSupport
import Testing

/// Schedulers of several `hangar serve` instances (each with a home of its own, so each is
/// active) over one PostgreSQL control database: every fire becomes exactly one run.
struct SharedStoreSchedulerTests {
    @Test(.timeLimit(.minutes(5)))
    func twoSchedulersOnOneControlDatabaseStartEachOfThirtyFiresOnce() throws {
        let database = try PostgresTestServer.freshDatabase()
        let scratch = try ScratchDirectory()
        let clock = ManualClock(utc("2026-06-01T06:59:30Z"))
        let stores = try (0..<2).map { index in
            try PostgresTestServer.store(database: database, home: HangarHome(scratch.url.appendingPathComponent("serve\(index)")))
        }
        let flights = stores.map { Flights(store: $0, owner: "tester", clock: { clock.now }) }
        let flight = try flights[0].create(NewFlight(name: "every_minute", sourceCode: "print(1)", scheduleCron: "* * * * *"))
        let schedulers = flights.map { FlightScheduler(flights: $0, pollInterval: 60) { _ in } }

        var started = 0
        for _ in 0..<30 {
            clock.advance(60)
            // Both passes at the same instant, on two threads, as two servers would run them.
            let now = clock.now
            let passes = try onThreads(schedulers.count) { index in schedulers[index].pass(at: now) }
            started += passes.map(\.started.count).reduce(0, +)
        }
        let runs = try flights[1].runs(.id(flight.id))
        #expect(started == 30)
        #expect(runs.count == 30)
        #expect(Set(runs.compactMap(\.scheduledAt)).count == 30)
        #expect(runs.map(\.runNumber).sorted() == Array(1...30), "a run number was burnt or doubled")
    }
}
