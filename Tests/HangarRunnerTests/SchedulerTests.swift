import Foundation
import HangarAccount
import HangarFlights
@testable import HangarRunner
import HangarTestSupport
import Testing

/// The scheduler driven by a clock the test moves: due fires start runs once, downtime is caught
/// up by each flight's policy, schedule changes apply on the next pass, and two schedulers on one
/// home never fire twice.
struct SchedulerTests {
    @Test func aDueFireStartsOneScheduledRunOnce() throws {
        let test = try SchedulerHome(start: "2026-06-01T07:00:00Z")
        let flight = try test.flights().create(NewFlight(name: "daily", sourceCode: "x", scheduleCron: "15 7 * * *"))
        let scheduler = test.scheduler()

        #expect(scheduler.pass(at: utc("2026-06-01T07:14:59Z")).started.isEmpty)
        let pass = scheduler.pass(at: utc("2026-06-01T07:15:02Z"))
        #expect(pass.started.count == 1)
        let run = try #require(pass.started.first)
        #expect(run.flightID == flight.id)
        #expect(run.isScheduled)
        #expect(run.scheduledAt == utc("2026-06-01T07:15:00Z"))
        #expect(test.launched.runs.map(\.id) == [run.id])
        // The same fire is never started again, by this pass or a later one.
        #expect(scheduler.pass(at: utc("2026-06-01T07:15:30Z")).started.isEmpty)
        #expect(scheduler.pass(at: utc("2026-06-02T07:14:00Z")).started.isEmpty)
        let next = scheduler.pass(at: utc("2026-06-02T07:15:00Z"))
        #expect(next.started.map(\.scheduledAt) == [utc("2026-06-02T07:15:00Z")])
        #expect(try test.flights().runs(.id(flight.id)).map(\.runNumber) == [2, 1])
    }

    @Test func afterDowntimeTheDefaultPolicyRunsOnceForTheLatestMissedFire() throws {
        let test = try SchedulerHome(start: "2026-06-01T00:00:00Z")
        _ = try test.flights().create(NewFlight(name: "quarterly", sourceCode: "x", scheduleCron: "*/15 * * * *"))
        // Nothing scheduled for two hours: fires at 00:15 … 02:00 were missed.
        let pass = test.scheduler().pass(at: utc("2026-06-01T02:05:00Z"))
        #expect(pass.started.map(\.scheduledAt) == [utc("2026-06-01T02:00:00Z")])
        #expect(pass.skipped == 7)
    }

    @Test func policyNoneSkipsMissedFiresButRunsOnTimeOnes() throws {
        let test = try SchedulerHome(start: "2026-06-01T00:00:00Z")
        _ = try test.flights().create(NewFlight(name: "skip", sourceCode: "x", scheduleCron: "*/15 * * * *", catchUp: .none))
        let scheduler = test.scheduler()
        let late = scheduler.pass(at: utc("2026-06-01T02:05:00Z"))
        #expect(late.started.isEmpty)
        #expect(late.skipped == 8)
        let onTime = scheduler.pass(at: utc("2026-06-01T02:15:20Z"))
        #expect(onTime.started.map(\.scheduledAt) == [utc("2026-06-01T02:15:00Z")])
    }

    @Test func policyAllRunsEveryMissedFireOldestFirst() throws {
        let test = try SchedulerHome(start: "2026-06-01T00:00:00Z")
        _ = try test.flights().create(NewFlight(name: "every", sourceCode: "x", scheduleCron: "0 * * * *", catchUp: .all))
        let pass = test.scheduler().pass(at: utc("2026-06-01T03:30:00Z"))
        #expect(pass.started.map(\.scheduledAt) == ["01", "02", "03"].map { utc("2026-06-01T\($0):00:00Z") })
        #expect(pass.started.map(\.runNumber) == [1, 2, 3])
    }

    @Test func scheduleChangesTakeEffectOnTheNextPassWithoutARestart() throws {
        let test = try SchedulerHome(start: "2026-06-01T00:00:00Z")
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(name: "moving", sourceCode: "x", scheduleCron: "0 6 * * *"))
        let scheduler = test.scheduler()
        #expect(scheduler.pass(at: utc("2026-06-01T05:00:00Z")).started.isEmpty)

        test.clock.set(utc("2026-06-01T05:00:00Z"))
        _ = try flights.update(.id(flight.id), FlightUpdate(scheduleCron: .set("30 5 * * *")))
        #expect(scheduler.pass(at: utc("2026-06-01T05:30:10Z")).started.map(\.scheduledAt) == [utc("2026-06-01T05:30:00Z")])

        _ = try flights.update(.id(flight.id), FlightUpdate(scheduleStatus: .set(.disabled)))
        #expect(scheduler.pass(at: utc("2026-06-02T05:30:10Z")).started.isEmpty)
        _ = try flights.update(.id(flight.id), FlightUpdate(scheduleCron: .set("")))
        #expect(scheduler.pass(at: utc("2026-06-03T05:30:10Z")).started.isEmpty)
        #expect(try flights.runs(.id(flight.id)).count == 1)
    }

    @Test func twoSchedulersOnOneHomeNeverFireTwice() async throws {
        let test = try SchedulerHome(start: "2026-06-01T00:00:00Z")
        for index in 0..<5 {
            _ = try test.flights().create(NewFlight(name: "f\(index)", sourceCode: "x", scheduleCron: "*/5 * * * *", catchUp: .all))
        }
        // Each scheduler has its own store connections, as two `hangar serve` processes would.
        let schedulers = [test.scheduler(), test.scheduler()]
        for minute in stride(from: 5, through: 30, by: 5) {
            let now = utc("2026-06-01T00:\(String(format: "%02d", minute)):01Z")
            let passes = await withTaskGroup(of: FlightScheduler.Pass.self) { group in
                for scheduler in schedulers { group.addTask { scheduler.pass(at: now) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(passes.map(\.started.count).reduce(0, +) == 5)
        }
        let runs = try (0..<5).flatMap { try test.flights().runs(.name("f\($0)")) }
        #expect(runs.count == 30)
        #expect(Set(runs.map { "\($0.flightID) \($0.scheduledAt!)" }).count == 30)
        #expect(test.launched.runs.count == 30)
    }

    @Test(.timeLimit(.minutes(5)))
    func theServiceLoopSleepsOnTheClockAndStartsRunsWhenTimeIsMoved() async throws {
        let test = try SchedulerHome(start: "2026-06-01T06:59:00Z")
        _ = try test.flights().create(NewFlight(name: "loop", sourceCode: "x", scheduleCron: "0 7 * * *"))
        let clock = ManualSchedulerClock(utc("2026-06-01T06:59:00Z"))
        let scheduler = test.scheduler(clock: clock)
        let loop = Task { try await scheduler.run() }
        defer { loop.cancel() }

        // The loop passes once, then sleeps on the clock; moving it to 07:00 wakes it.
        try await clock.waitForSleeper()
        #expect(test.launched.runs.isEmpty)
        clock.set(utc("2026-06-01T07:00:00Z"))
        let run = try await test.launched.next()
        #expect(run.scheduledAt == utc("2026-06-01T07:00:00Z"))
        loop.cancel()
        _ = try? await loop.value
    }

    @Test func aSecondSchedulerStandsByWhileTheFirstHoldsTheHomesLock() async throws {
        let test = try SchedulerHome(start: "2026-06-01T06:59:00Z")
        _ = try test.flights().create(NewFlight(name: "locked", sourceCode: "x", scheduleCron: "0 7 * * *"))
        let lease = try DatabaseLease.acquire(test.home.root.appendingPathComponent("scheduler"),
                                              as: LeaseHolder(purpose: "another hangar serve"), timeout: 0)
        let clock = ManualSchedulerClock(utc("2026-06-01T07:00:05Z"))
        let scheduler = test.scheduler(clock: clock, pollInterval: 10)
        let loop = Task { try await scheduler.run() }
        try await clock.waitForSleeper()
        #expect(test.launched.runs.isEmpty)
        // Once the other scheduler is gone, this one takes over when it next looks (the poll interval).
        lease.release()
        clock.set(utc("2026-06-01T07:00:15Z"))
        let run = try await test.launched.next()
        #expect(run.scheduledAt == utc("2026-06-01T07:00:00Z"))
        loop.cancel()
        _ = try? await loop.value
    }
}
