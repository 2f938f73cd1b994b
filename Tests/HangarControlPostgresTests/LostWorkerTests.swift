import Foundation
import HangarControlPostgres
import HangarFlights
import HangarTestSupport
import Testing

/// A worker that stops heartbeating (kill -9, machine gone) has its runs failed within the bound,
/// with a reason naming it, once. Time moves by an injected clock, never by waiting.
struct LostWorkerTests {
    let liveness = WorkerLiveness(heartbeatInterval: .seconds(10), lostAfter: .seconds(30))

    static func store(_ database: String, _ clock: ManualClock?) throws -> PostgresControlStore {
        var now: (@Sendable () -> Date)?
        if let clock { now = { clock.now } }
        return try PostgresTestServer.store(database: database, home: PostgresTestServer.home, clock: now)
    }

    @Test(.timeLimit(.minutes(3)))
    func aSilentWorkersRunsFailNamingItWithinTheBoundAndOnlyOnce() throws {
        let clock = ManualClock()
        let liveness = liveness
        let database = try PostgresTestServer.freshDatabase()
        let store = try Self.store(database, clock)
        let flights = Flights(store: store, clock: { clock.now })
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "print(1)"))
        let silent = try store.registerWorker(name: "silent", host: "host-a", slots: 2)
        let alive = try store.registerWorker(name: "alive", host: "host-b", slots: 2)
        for _ in 0..<4 { _ = try flights.triggerRun(.id(flight.id)) }
        let silentRuns = try store.claimRuns(for: silent, limit: 2)
        let aliveRuns = try store.claimRuns(for: alive, limit: 2)
        #expect(silentRuns.count == 2 && aliveRuns.count == 2)
        _ = try flights.markRunning(silentRuns[0]) // one RUNNING, one claimed and PENDING

        // `alive` heartbeats every interval; `silent` never again. Up to the bound nothing fails.
        var elapsed = Duration.zero
        while elapsed + liveness.heartbeatInterval <= liveness.lostAfter {
            clock.advance(Double(liveness.heartbeatInterval.components.seconds))
            elapsed += liveness.heartbeatInterval
            try store.heartbeat(alive)
            #expect(try store.failRunsOfLostWorkers(liveness).isEmpty, "declared lost after only \(elapsed)")
        }
        // Past lostAfter: the next sweep (at most one heartbeat interval later) fails its runs.
        clock.advance(Double(liveness.heartbeatInterval.components.seconds))
        elapsed += liveness.heartbeatInterval
        #expect(elapsed <= liveness.bound)
        try store.heartbeat(alive)
        // Sweepers on several hosts at once: each run fails once, whoever sweeps.
        let swept = try onThreads(4) { _ in try Self.store(database, clock).failRunsOfLostWorkers(liveness) }.flatMap { $0 }
        #expect(Set(swept.map(\.runID)) == Set(silentRuns))
        #expect(swept.count == silentRuns.count, "a run was failed twice")
        #expect(Set(swept.map(\.worker.id)) == [silent.id])
        for run in silentRuns {
            #expect(try flights.run(id: run).status == .failed)
            #expect(try flights.run(id: run).endedAt == clock.now)
            let failure = try #require(try flights.run(id: run).failure)
            #expect(failure.kind == .workerLost)
            let detail = failure.detail
            #expect(detail.contains("worker lost"))
            #expect(detail.contains("\"silent\""))
            #expect(detail.contains(silent.id.uuidString.lowercased()))
            #expect(detail.contains("host-a"))
            #expect(swept.first { $0.runID == run }?.failureDetail == detail)
        }
        for run in aliveRuns { #expect(try flights.run(id: run).status == .pending) }
        #expect(try store.failRunsOfLostWorkers(liveness).isEmpty)

        // The lost worker, should it come back, learns it was declared lost and changes nothing.
        let heartbeat = #expect(throws: FlightsError.self) { try store.heartbeat(silent) }
        #expect(heartbeat?.kind == .conflict)
        let claim = #expect(throws: FlightsError.self) { _ = try store.claimRuns(for: silent, limit: 1) }
        #expect(claim?.kind == .conflict)
        let finish = #expect(throws: FlightsError.self) { _ = try flights.markFinished(silentRuns[0], .succeeded) }
        #expect(finish?.kind == .conflict)
        #expect(try flights.run(id: silentRuns[0]).status == .failed)
    }

    @Test func aWorkerThatStoppedIsNotDeclaredLostAndClaimsNothing() throws {
        let clock = ManualClock()
        let liveness = liveness
        let database = try PostgresTestServer.freshDatabase()
        let store = try Self.store(database, clock)
        let flights = Flights(store: store, clock: { clock.now })
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "print(1)"))
        let worker = try store.registerWorker(name: "leaving", host: "h", slots: 1)
        #expect(try store.stopWorker(worker).isEmpty)
        clock.advance(3600)
        #expect(try store.failRunsOfLostWorkers(liveness).isEmpty)
        let run = try flights.triggerRun(.id(flight.id))
        let claim = #expect(throws: FlightsError.self) { _ = try store.claimRuns(for: worker, limit: 1) }
        #expect(claim?.kind == .conflict)
        #expect(try flights.run(id: run.id).status == .pending)
        #expect(throws: FlightsError.self) { try store.heartbeat(worker) }
    }

    @Test func aWorkerThatStopsWithRunsInProgressFailsThem() throws {
        let clock = ManualClock()
        let database = try PostgresTestServer.freshDatabase()
        let store = try Self.store(database, clock)
        let flights = Flights(store: store, clock: { clock.now })
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "print(1)"))
        let run = try flights.triggerRun(.id(flight.id))
        let worker = try store.registerWorker(name: "hasty", host: "h", slots: 1)
        #expect(try store.claimRuns(for: worker, limit: 1) == [run.id])
        let failed = try store.stopWorker(worker)
        #expect(failed.map(\.runID) == [run.id])
        #expect(try flights.run(id: run.id).status == .failed)
        #expect(try flights.run(id: run.id).failure?.detail.contains("stopped before its runs ended") == true)
    }

    @Test func withoutAnInjectedClockTheDatabasesClockIsUsed() throws {
        let database = try PostgresTestServer.freshDatabase()
        let store = try Self.store(database, nil)
        let worker = try store.registerWorker(name: "w", host: "h", slots: 1)
        #expect(abs(worker.heartbeatAt.timeIntervalSinceNow) < 60)
        try store.heartbeat(worker)
        #expect(try store.failRunsOfLostWorkers(liveness).isEmpty)
    }
}
