import Foundation
import HangarControlPostgres
import Testing

/// Several schedulers (one per `hangar serve`, on several hosts) over one control database.
struct ScheduledFireTests {
    @Test(.timeLimit(.minutes(3)))
    func schedulersRecordingTheSameFiresCreateOneRunEach() async throws {
        try await PostgresTestServer.withFreshStore { store, database in
            let flight = try await store.createFlight(name: "every_minute", sourceCode: "print(1)", scheduleCron: "* * * * *")
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let fires = (0..<30).map { start.addingTimeInterval(Double($0) * 60) }
            let schedulers = 5
            let outcomes = try await withThrowingTaskGroup(of: [ScheduledFire].self, returning: [ScheduledFire].self) { group in
                for index in 0..<schedulers {
                    group.addTask {
                        try await PostgresTestServer.withStore(database: database) { other in
                            var outcomes: [ScheduledFire] = []
                            // Each scheduler walks the fires from another place, so they collide often.
                            for offset in 0..<fires.count {
                                let fire = fires[(offset + index * 7) % fires.count]
                                outcomes.append(try await other.recordScheduledFire(flightID: flight, at: fire))
                            }
                            return outcomes
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let created = outcomes.compactMap { if case .created(let run) = $0 { run } else { nil } }
            #expect(created.count == fires.count)
            #expect(outcomes.filter { $0 == .alreadyRecorded }.count == fires.count * (schedulers - 1))
            let runs = try await store.runs(flightID: flight)
            #expect(runs.map(\.runNumber) == Array(1...fires.count), "a number was burnt by a duplicate fire")
            #expect(Set(runs.compactMap(\.scheduledAt)) == Set(fires))
        }
    }

    @Test func aFlightWithoutAnActiveScheduleRecordsNoFire() async throws {
        try await PostgresTestServer.withFreshStore { store, _ in
            let flight = try await store.createFlight(name: "manual", sourceCode: "print(1)")
            #expect(try await store.recordScheduledFire(flightID: flight, at: Date()) == .notScheduled)
            #expect(try await store.recordScheduledFire(flightID: UUID(), at: Date()) == .notScheduled)
            #expect(try await store.runs(flightID: flight).isEmpty)
        }
    }
}
