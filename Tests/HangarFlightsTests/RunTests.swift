import Foundation
@testable import HangarFlights
import Testing

/// Triggering runs, their numbers, config overrides and status transitions.
struct RunTests {
    @Test func aTriggeredRunIsPendingNumberedPerFlightAndNotScheduled() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let a = try flights.create(.sample("a"))
        let b = try flights.create(.sample("b"))
        let first = try flights.triggerRun(.id(a.id))
        let second = try flights.triggerRun(.name("a"))
        let other = try flights.triggerRun(.id(b.id))
        let numbers: [Int] = [first.runNumber, second.runNumber, other.runNumber]
        #expect(numbers == [1, 2, 1])
        #expect(first.status == .pending)
        #expect(first.isScheduled == false)
        #expect(first.scheduledAt == nil)
        #expect(first.flightName == "a")
        #expect(first.flightID == a.id)
        #expect(first.createdAt == test.clock.now)
        #expect(first.startedAt == nil && first.endedAt == nil && first.exitCode == nil && first.failure == nil)
        #expect(try flights.run(id: first.id) == first)
    }

    @Test func theRunKeepsTheFlightNameItHadWhenTriggered() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample("before"))
        _ = try flights.triggerRun(.id(flight.id))
        _ = try flights.update(.id(flight.id), FlightUpdate(name: .set("after")))
        #expect(try flights.run(.name("after"), number: 1).flightName == "before")
    }

    @Test func aConfigOverrideSetsOnlyExistingKeysForThisRunAndLeavesTheFlightAlone() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample(config: ["REPOS": "duckdb/duckdb", "LIMIT": "10"]))
        let run = try flights.triggerRun(.id(flight.id), config: ["REPOS": "dlt-hub/dlt"])
        #expect(run.config == ["REPOS": "dlt-hub/dlt", "LIMIT": "10"])
        #expect(try flights.currentVersion(.id(flight.id)).version.config == ["REPOS": "duckdb/duckdb", "LIMIT": "10"])
        #expect(try flights.flight(.id(flight.id)).currentVersion == 1)
        #expect(try flights.triggerRun(.id(flight.id)).config == ["REPOS": "duckdb/duckdb", "LIMIT": "10"])
    }

    @Test func anOverrideOfAKeyTheFlightDoesNotDefineIsRejected() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample(config: ["REPOS": "duckdb/duckdb"]))
        let error = #expect(throws: FlightsError.self) {
            try flights.triggerRun(.id(flight.id), config: ["REPOS": "x", "NEW_KEY": "1"])
        }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.parameter == "config")
        #expect(error?.message.contains("\"NEW_KEY\"") == true)
        #expect(error?.message.contains("REPOS") == true)
        // Nothing was recorded: the next run is still number 1.
        #expect(try flights.runs(.id(flight.id)).isEmpty)
        #expect(try flights.triggerRun(.id(flight.id)).runNumber == 1)

        let bare = try flights.create(.sample("bare"))
        let none = #expect(throws: FlightsError.self) { try flights.triggerRun(.id(bare.id), config: ["A": "1"]) }
        #expect(none?.message.contains("defines no config keys") == true)
    }

    @Test func anOverrideValueWithNULIsRejected() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample(config: ["A": "1"]))
        let error = #expect(throws: FlightsError.self) { try flights.triggerRun(.id(flight.id), config: ["A": "x\0y"]) }
        #expect(error?.parameter == "config")
    }

    /// Forty stores (as forty processes would) triggering at once get forty distinct,
    /// consecutive numbers.
    @Test(.timeLimit(.minutes(5)))
    func runNumbersStayUniqueWhenManyStoresTriggerAtOnce() throws {
        let test = try TestHome()
        let flight = try test.flights().create(.sample())
        let numbers = Collected<Int>()
        let errors = concurrently(8) { _ in
            let flights = try test.flights()
            for _ in 0..<5 { numbers.append(try flights.triggerRun(.id(flight.id)).runNumber) }
        }
        #expect(errors.isEmpty, "\(errors)")
        #expect(numbers.values.sorted() == Array(1...40))
        #expect(try test.flights().runs(.id(flight.id)).map(\.runNumber) == Array((1...40).reversed()))
    }

    @Test func runsAreListedNewestFirstWithPaging() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        for _ in 1...5 { _ = try flights.triggerRun(.id(flight.id)) }
        #expect(try flights.runs(.id(flight.id)).map(\.runNumber) == [5, 4, 3, 2, 1])
        #expect(try flights.runs(.id(flight.id), limit: 2).map(\.runNumber) == [5, 4])
        #expect(try flights.runs(.id(flight.id), limit: 2, offset: 2).map(\.runNumber) == [3, 2])
        #expect(try flights.runs(.id(flight.id), offset: 4).map(\.runNumber) == [1])
    }

    @Test func aMissingRunIsAnErrorNotAnEmptyAnswer() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        let none = #expect(throws: FlightsError.self) { try flights.run(.id(flight.id), number: 1) }
        #expect(none?.kind == .notFound)
        #expect(none?.message.contains("has no runs yet") == true)
        _ = try flights.triggerRun(.id(flight.id))
        let beyond = #expect(throws: FlightsError.self) { try flights.run(.id(flight.id), number: 2) }
        #expect(beyond?.message.contains("numbered 1 to 1") == true)
        let zero = #expect(throws: FlightsError.self) { try flights.run(.id(flight.id), number: 0) }
        #expect(zero?.parameter == "run_number")
        #expect(throws: FlightsError.self) { try flights.run(id: UUID()) }
    }

    @Test func aRunGoesPendingRunningSucceededAndThenNeverChanges() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        let run = try flights.triggerRun(.id(flight.id))
        let supervisor = SupervisorIdentity(pid: 4242, startToken: "100")
        test.clock.advance(1)
        let running = try flights.markRunning(run.id, supervisor: supervisor)
        #expect(running.status == .running)
        #expect(running.startedAt == test.clock.now)
        #expect(running.supervisor == supervisor)
        test.clock.advance(2)
        let done = try flights.markFinished(run.id, .succeeded)
        #expect(done.status == .succeeded)
        #expect(done.exitCode == 0)
        #expect(done.endedAt == test.clock.now)
        #expect(done.failure == nil)

        for attempt in [
            { _ = try flights.markFinished(run.id, .failed(RunFailure(.exitCode, "exit code 1"), exitCode: 1)) },
            { _ = try flights.markFinished(run.id, .cancelled(exitCode: nil)) },
            { _ = try flights.markRunning(run.id) },
            { _ = try flights.claimRun(run.id, supervisor: supervisor) },
        ] {
            let error = #expect(throws: FlightsError.self) { try attempt() }
            #expect(error?.kind == .conflict)
            #expect(error?.message.contains("already finished as SUCCEEDED") == true)
        }
        #expect(try flights.run(id: run.id) == done)
    }

    @Test func aRunCanFailWithAReasonStraightFromPending() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        let run = try flights.triggerRun(.id(flight.id))
        let failed = try flights.markFinished(run.id, .failed(RunFailure(.installFailure, "pip: no matching distribution"), exitCode: nil))
        #expect(failed.status == .failed)
        #expect(failed.failure == RunFailure(.installFailure, "pip: no matching distribution"))
        #expect(failed.exitCode == nil)
        #expect(failed.startedAt == nil)

        let second = try flights.triggerRun(.id(flight.id))
        _ = try flights.markRunning(second.id)
        let timedOut = try flights.markFinished(second.id, .failed(RunFailure(.timeout, "max_runtime_sec 30 elapsed"), exitCode: 137))
        #expect(timedOut.failure?.kind == .timeout)
        #expect(timedOut.exitCode == 137)
        let again = #expect(throws: FlightsError.self) { try flights.markRunning(second.id) }
        #expect(again?.kind == .conflict)
    }

    @Test func aRunHasOneSupervisor() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        let run = try flights.triggerRun(.id(flight.id))
        let first = SupervisorIdentity(pid: 10, startToken: "1")
        let claimed = try flights.claimRun(run.id, supervisor: first)
        #expect(claimed.supervisor == first)
        #expect(claimed.status == .pending)
        #expect(try flights.claimRun(run.id, supervisor: first) == claimed)
        let error = #expect(throws: FlightsError.self) {
            try flights.claimRun(run.id, supervisor: SupervisorIdentity(pid: 11, startToken: "2"))
        }
        #expect(error?.kind == .conflict)
        #expect(throws: FlightsError.self) { try flights.markRunning(run.id, supervisor: SupervisorIdentity(pid: 11, startToken: "2")) }
        #expect(try flights.markRunning(run.id).supervisor == first)
    }

    @Test func cancellingAnUnclaimedRunCancelsItAtOnce() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        let run = try flights.triggerRun(.id(flight.id))
        let request = try flights.requestCancel(.id(flight.id), runNumber: run.runNumber)
        #expect(request.supervisorToSignal == nil)
        #expect(request.run.status == .cancelled)
        #expect(request.run.cancelledAt == test.clock.now)
        #expect(request.run.failure?.kind == .cancelled)
        // A supervisor that turns up afterwards finds it finished.
        #expect(throws: FlightsError.self) { try flights.claimRun(run.id, supervisor: .current()) }
    }

    @Test func cancellingASupervisedRunAsksItsSupervisorWhichRecordsTheCancel() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        let run = try flights.triggerRun(.id(flight.id))
        let supervisor = SupervisorIdentity(pid: 77, startToken: "7")
        _ = try flights.markRunning(run.id, supervisor: supervisor)
        test.clock.advance(5)
        let request = try flights.requestCancel(.name("docs_dlt_ingest"), runNumber: 1)
        #expect(request.supervisorToSignal == supervisor)
        #expect(request.run.status == .running)
        #expect(request.run.cancelRequestedAt == test.clock.now)
        test.clock.advance(1)
        let cancelled = try flights.markFinished(run.id, .cancelled(exitCode: 143))
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.cancelledAt == test.clock.now)
        #expect(cancelled.cancelRequestedAt == test.clock.now - 1)
        #expect(cancelled.exitCode == 143)
    }

    @Test func cancellingAFinishedOrMissingRunIsAnError() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        let run = try flights.triggerRun(.id(flight.id))
        _ = try flights.markFinished(run.id, .succeeded)
        let finished = #expect(throws: FlightsError.self) { try flights.requestCancel(.id(flight.id), runNumber: 1) }
        #expect(finished?.kind == .conflict)
        #expect(finished?.message.contains("already finished (SUCCEEDED)") == true)
        let missing = #expect(throws: FlightsError.self) { try flights.requestCancel(.id(flight.id), runNumber: 2) }
        #expect(missing?.kind == .notFound)
    }
}
