import Foundation
import HangarControlPostgres
import HangarTestSupport
import Testing

/// A worker that stops heartbeating (kill -9, machine gone) has its runs failed within the bound,
/// with a reason naming it, once. Time moves by an injected clock, never by waiting.
struct LostWorkerTests {
    let liveness = WorkerLiveness(heartbeatInterval: .seconds(10), lostAfter: .seconds(30))

    @Test func aSilentWorkersRunsFailNamingItWithinTheBoundAndOnlyOnce() async throws {
        let clock = ManualClock()
        let liveness = liveness
        try await PostgresTestServer.withFreshStore(clock: { clock.now }) { store, database in
            let flight = try await store.createFlight(name: "f", sourceCode: "print(1)")
            let silent = try await store.registerWorker(name: "silent", host: "host-a", slots: 2)
            let alive = try await store.registerWorker(name: "alive", host: "host-b", slots: 2)
            for _ in 0..<4 { _ = try await store.triggerRun(flightID: flight) }
            let silentRuns = try await store.claimRuns(for: silent, limit: 2)
            let aliveRuns = try await store.claimRuns(for: alive, limit: 2)
            #expect(silentRuns.count == 2 && aliveRuns.count == 2)
            _ = try await store.markRunning(silentRuns[0].id, by: silent) // one RUNNING, one claimed and PENDING

            // `alive` heartbeats every interval; `silent` never again. Up to the bound nothing fails.
            var elapsed = Duration.zero
            while elapsed + liveness.heartbeatInterval <= liveness.lostAfter {
                clock.advance(Double(liveness.heartbeatInterval.components.seconds))
                elapsed += liveness.heartbeatInterval
                try await store.heartbeat(alive)
                #expect(try await store.failRunsOfLostWorkers(liveness).isEmpty, "declared lost after only \(elapsed)")
            }
            // Past lostAfter: the next sweep (at most one heartbeat interval later) fails its runs.
            clock.advance(Double(liveness.heartbeatInterval.components.seconds))
            try await store.heartbeat(alive)
            // Sweepers on several hosts at once: each run fails once, whoever sweeps.
            let swept = try await withThrowingTaskGroup(of: [LostRun].self, returning: [LostRun].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await PostgresTestServer.withStore(database: database, clock: { clock.now }) {
                            try await $0.failRunsOfLostWorkers(liveness)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(Set(swept.map(\.runID)) == Set(silentRuns.map(\.id)))
            #expect(swept.count == silentRuns.count, "a run was failed twice")
            for run in silentRuns {
                let state = try await store.run(run.id)
                #expect(state.status == "FAILED")
                #expect(state.failureKind == "worker_lost")
                let detail = try #require(state.failureDetail)
                #expect(detail.contains("worker lost"))
                #expect(detail.contains("\"silent\""))
                #expect(detail.contains(silent.id.uuidString.lowercased()))
                #expect(detail.contains("host-a"))
            }
            for run in aliveRuns { #expect(try await store.run(run.id).status == "PENDING") }
            #expect(try await store.failRunsOfLostWorkers(liveness).isEmpty)

            // The lost worker, should it come back, learns it was declared lost and changes nothing.
            let heartbeat = await #expect(throws: PostgresControlError.self) { try await store.heartbeat(silent) }
            #expect(heartbeat?.kind == .conflict)
            await #expect(throws: PostgresControlError.self) {
                _ = try await store.markFinished(silentRuns[0].id, by: silent, succeeded: true, exitCode: 0)
            }
            await #expect(throws: PostgresControlError.self) { _ = try await store.claimRuns(for: silent, limit: 1) }
            #expect(try await store.run(silentRuns[0].id).status == "FAILED")
        }
    }

    @Test func aWorkerThatStoppedIsNotDeclaredLost() async throws {
        let clock = ManualClock()
        let liveness = liveness
        try await PostgresTestServer.withFreshStore(clock: { clock.now }) { store, _ in
            let worker = try await store.registerWorker(name: "leaving", host: "h", slots: 1)
            #expect(try await store.stopWorker(worker).isEmpty)
            clock.advance(3600)
            #expect(try await store.failRunsOfLostWorkers(liveness).isEmpty)
        }
    }

    @Test func withoutAnInjectedClockTheDatabasesClockIsUsed() async throws {
        try await PostgresTestServer.withFreshStore { store, _ in
            let worker = try await store.registerWorker(name: "w", host: "h", slots: 1)
            #expect(abs(worker.heartbeatAt.timeIntervalSinceNow) < 60)
            try await store.heartbeat(worker)
            #expect(try await store.failRunsOfLostWorkers(liveness).isEmpty)
        }
    }
}
