import Foundation
@testable import HangarFlights
import HangarTestSupport
import Testing

/// Runs whose supervisor is gone are found and failed, and nothing else is touched.
struct OrphanTests {
    @Test(.sqliteStoreOnly("local supervisor processes; a shared store leaves liveness to worker heartbeats"))
    func runsOfDeadOrMissingSupervisorsFailAsSupervisorLost() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        let dead = SupervisorIdentity(pid: 100, startToken: "1")
        let alive = SupervisorIdentity(pid: 200, startToken: "2")
        let deadRunning = try flights.markRunning(try flights.triggerRun(.id(flight.id)).id, supervisor: dead)
        let deadPending = try flights.claimRun(try flights.triggerRun(.id(flight.id)).id, supervisor: dead)
        let aliveRunning = try flights.markRunning(try flights.triggerRun(.id(flight.id)).id, supervisor: alive)
        let finished = try flights.triggerRun(.id(flight.id))
        _ = try flights.markFinished(try flights.claimRun(finished.id, supervisor: dead).id, .succeeded)
        let unclaimedOld = try flights.triggerRun(.id(flight.id))
        test.clock.advance(301)
        let unclaimedNew = try flights.triggerRun(.id(flight.id))

        let marked = try flights.reconcileOrphans(unclaimedGrace: 300) { $0 == alive }
        #expect(Set(marked.map(\.id)) == [deadRunning.id, deadPending.id, unclaimedOld.id])
        for run in marked {
            #expect(run.status == .failed)
            #expect(run.failure?.kind == .supervisorLost)
            #expect(run.endedAt == test.clock.now)
            #expect(run.exitCode == nil)
        }
        #expect(marked.first { $0.id == deadRunning.id }?.failure?.detail.contains("pid 100") == true)
        #expect(marked.first { $0.id == unclaimedOld.id }?.failure?.detail.contains("no supervisor claimed") == true)
        #expect(try flights.run(id: aliveRunning.id).status == .running)
        #expect(try flights.run(id: unclaimedNew.id).status == .pending)
        #expect(try flights.run(id: finished.id).status == .succeeded)
        #expect(try flights.reconcileOrphans(unclaimedGrace: 300) { $0 == alive }.isEmpty)
    }

    /// A run that finishes while reconciliation checks its supervisor keeps its real outcome.
    @Test(.sqliteStoreOnly("local supervisor processes; a shared store leaves liveness to worker heartbeats"))
    func aRunThatFinishesDuringTheCheckIsLeftAlone() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let supervisorSide = try test.flights()
        let flight = try flights.create(.sample())
        let run = try flights.markRunning(try flights.triggerRun(.id(flight.id)).id, supervisor: SupervisorIdentity(pid: 5, startToken: "5"))
        let marked = try flights.reconcileOrphans { _ in
            _ = try? supervisorSide.markFinished(run.id, .succeeded)
            return false
        }
        #expect(marked.isEmpty)
        #expect(try flights.run(id: run.id).status == .succeeded)
    }

    /// The default liveness check against a real process killed with SIGKILL.
    @Test(.sqliteStoreOnly("local supervisor processes; a shared store leaves liveness to worker heartbeats"), .timeLimit(.minutes(5)))
    func aKilledSupervisorProcessIsFoundByTheDefaultCheck() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        let supervisor = Process()
        supervisor.executableURL = URL(fileURLWithPath: "/bin/sleep")
        supervisor.arguments = ["600"]
        try supervisor.run()
        let identity = try #require(SupervisorIdentity.of(pid: supervisor.processIdentifier))
        #expect(identity.isAlive)
        let run = try flights.markRunning(try flights.triggerRun(.id(flight.id)).id, supervisor: identity)
        #expect(try flights.reconcileOrphans().isEmpty)

        kill(supervisor.processIdentifier, SIGKILL)
        supervisor.waitUntilExit()
        #expect(!identity.isAlive)
        #expect(try flights.reconcileOrphans().map(\.id) == [run.id])
        #expect(try flights.run(id: run.id).failure?.kind == .supervisorLost)
    }

    /// On a store other hosts share, a process id may be another machine's: nothing is probed or
    /// killed here, and runs are failed by the lost-worker sweep instead.
    @Test(.postgresStoreOnly())
    func aSharedStoreNeverProbesOrKillsSupervisors() throws {
        let test = try TestHome()
        let flights = try test.flights()
        #expect(flights.store.isShared)
        let flight = try flights.create(.sample())
        let run = try flights.markRunning(try flights.triggerRun(.id(flight.id)).id, supervisor: SupervisorIdentity(pid: 100, startToken: "1"))
        let unclaimed = try flights.triggerRun(.id(flight.id))
        test.clock.advance(3600)
        let probed = Collected<SupervisorIdentity>()
        let marked = try flights.reconcileOrphans(unclaimedGrace: 300) { probed.append($0); return false } stopProgram: { probed.append($0) }
        #expect(marked.isEmpty)
        #expect(probed.values.isEmpty)
        #expect(try flights.run(id: run.id).status == .running)
        #expect(try flights.run(id: unclaimed.id).status == .pending)
    }

    @Test func aReusedPidIsNotMistakenForTheSupervisor() {
        let me = SupervisorIdentity.current()
        #expect(me.isAlive)
        #expect(!me.startToken.isEmpty)
        #expect(!SupervisorIdentity(pid: me.pid, startToken: me.startToken + "0").isAlive)
    }

    @Test func statFieldsAreCountedFromTheLastParenthesis() {
        let line = "4242 (odd) name (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 12345 100"
        let stat = ProcessStat.parse(line)
        #expect(stat?.state == "S")
        #expect(stat?.startTime == "987654")
        #expect(ProcessStat.parse("garbage") == nil)
    }
}
