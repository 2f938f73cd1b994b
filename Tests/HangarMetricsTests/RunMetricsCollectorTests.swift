import Foundation
import HangarAccount
@testable import HangarFlights
@testable import HangarMetrics
import HangarTestSupport
import Testing

/// The run metrics of `hangar serve`, counted from the control store as other processes start and
/// finish runs, rendered in Prometheus' text format.
struct RunMetricsCollectorTests {
    @Test func runsAreCountedOnceByTriggerAndStatusWithDurationsRowsAndActiveRuns() throws {
        let scratch = try ScratchDirectory()
        let clock = ManualClock()
        let flights = try Flights(home: HangarHome(scratch.url.appendingPathComponent("home")), owner: "tester", clock: { clock.now })
        _ = try flights.create(NewFlight(name: "metered", sourceCode: "print('hi')\n"))

        // A run from before the collector started is not counted.
        let old = try flights.triggerRun(.name("metered"))
        clock.advance(5)
        let exposition = MetricsExposition()
        let collector = RunMetricsCollector(flights: flights, since: clock.now, factory: exposition.factory)

        clock.advance(1)
        let first = try flights.triggerRun(.name("metered"))
        let second = try flights.triggerRun(.name("metered"))
        _ = try flights.markRunning(first.id)
        collector.collect()
        var text = exposition.render()
        #expect(text.contains(#"hangar_runs_started_total{trigger="manual"} 2"#), "\(text)")
        #expect(text.contains("hangar_active_runs 3"), "the old run is still pending: \(text)")

        clock.advance(2.5)
        try flights.recordLoadSummary(first.id, RunLoadSummary(tables: ["d.repos": 3, "d.repos__labels": 4], loadIDs: ["1"]))
        _ = try flights.markFinished(first.id, .succeeded)
        _ = try flights.markFinished(second.id, .failed(RunFailure(.exitCode, "exited with code 1"), exitCode: 1))
        _ = try flights.markFinished(old.id, .cancelled(exitCode: nil))
        collector.collect()
        collector.collect()  // looking twice counts nothing twice
        text = exposition.render()
        #expect(text.contains(#"hangar_runs_started_total{trigger="manual"} 2"#), "\(text)")
        #expect(text.contains(#"hangar_runs_finished_total{status="succeeded"} 1"#), "\(text)")
        #expect(text.contains(#"hangar_runs_finished_total{status="failed"} 1"#), "\(text)")
        #expect(text.contains(#"hangar_runs_finished_total{status="cancelled"} 1"#), "ended after the start, so counted: \(text)")
        #expect(text.contains("hangar_rows_loaded_total 7"), "\(text)")
        #expect(text.contains("hangar_active_runs 0"), "\(text)")
        // The succeeded run ran 2.5 s: in the 5 s bucket, not the 2 s one.
        #expect(text.contains(#"hangar_run_duration_seconds_bucket{status="succeeded",le="2.0"} 0"#), "\(text)")
        #expect(text.contains(#"hangar_run_duration_seconds_bucket{status="succeeded",le="5.0"} 1"#), "\(text)")
        #expect(text.contains(#"hangar_run_duration_seconds_count{status="succeeded"} 1"#), "\(text)")
    }
}
