import Foundation
import HangarControlPostgres
import HangarFlights
import HangarTestSupport
import Testing

/// Several schedulers (one per `hangar serve`, on several hosts) over one control database.
struct ScheduledFireTests {
    @Test(.timeLimit(.minutes(3)))
    func schedulersRecordingTheSameFiresCreateOneRunEach() throws {
        let database = try PostgresTestServer.freshDatabase()
        let flights = Flights(store: try PostgresTestServer.store(database: database, home: PostgresTestServer.home))
        let flight = try flights.create(NewFlight(name: "every_minute", sourceCode: "print(1)", scheduleCron: "* * * * *"))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let fires = (0..<30).map { start.addingTimeInterval(Double($0) * 60) }
        let schedulers = 5
        let outcomes = try onThreads(schedulers) { index in
            let scheduler = Flights(store: try PostgresTestServer.store(database: database, home: PostgresTestServer.home))
            // Each scheduler walks the fires from another place, so they collide often.
            return try (0..<fires.count).map { offset in
                try scheduler.recordScheduledFire(flightID: flight.id, at: fires[(offset + index * 7) % fires.count])
            }
        }.flatMap { $0 }
        let started = outcomes.compactMap { if case .started(let run) = $0 { run } else { nil } }
        #expect(started.count == fires.count)
        #expect(outcomes.filter { $0 == .alreadyFired }.count == fires.count * (schedulers - 1))
        let runs = try flights.runs(.id(flight.id))
        #expect(runs.map(\.runNumber) == Array((1...fires.count).reversed()), "a number was burnt by a duplicate fire")
        #expect(Set(runs.compactMap(\.scheduledAt)) == Set(fires))
        #expect(runs.allSatisfy { $0.isScheduled && $0.status == .pending })
    }

    @Test func aFlightWithoutAnActiveScheduleRecordsNoFire() throws {
        let database = try PostgresTestServer.freshDatabase()
        let flights = Flights(store: try PostgresTestServer.store(database: database, home: PostgresTestServer.home))
        let flight = try flights.create(NewFlight(name: "manual", sourceCode: "print(1)"))
        #expect(try flights.recordScheduledFire(flightID: flight.id, at: Date()) == .notScheduled)
        #expect(try flights.recordScheduledFire(flightID: UUID(), at: Date()) == .notScheduled)
        #expect(try flights.runs(.id(flight.id)).isEmpty)
    }
}
