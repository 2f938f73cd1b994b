import Foundation
import HangarTestSupport
import Testing

/// `hangar serve` as a real process: its scheduler starts the catch-up run of a schedule that
/// was missed while nothing was serving, the run is supervised to its end, and SIGTERM stops the
/// server gracefully.
struct ServeCommandTests {
    @Test(.timeLimit(.minutes(5)))
    func serveCatchesUpAMissedFireAndStopsGracefullyOnSIGTERM() async throws {
        let test = try FlightsTestHome()
        // The flight's schedule took effect ten minutes ago and fired, hourly, three minutes ago:
        // that fire was missed because no server ran, and the next is an hour away, so however
        // slow the test, exactly one run is due — the catch-up of the missed fire.
        try test.createFlightWithAMissedFire("every_minute", source: "import os\nprint('scheduled', os.environ['HANGAR_IS_SCHEDULED'])\n")

        let server = try await test.serve()
        try await server.waitForOutput("started scheduled run")
        let follow = try test.hangar("logs", "every_minute", "1", "--follow")
        #expect(follow.status == 0)
        #expect(follow.stdout.contains("scheduled true"))

        let run = try JSONOutput.object(try test.hangar("run-info", "every_minute", "1", "--json").stdout)
        #expect(run["status"] as? String == "RUN_STATUS_SUCCEEDED")
        #expect(run["is_scheduled"] as? Bool == true)
        let scheduledAt = try #require(run["scheduled_at"] as? String)
        #expect(scheduledAt.hasSuffix(":00Z") || scheduledAt.contains(":00.000000Z"))
        // Exactly one catch-up run, however many fires were missed.
        #expect(try JSONOutput.array(try test.hangar("runs", "every_minute", "--json").stdout).count == 1)

        #expect(await server.stop() == 0)
        #expect(server.stdout.contains("stopped; running flights continue"))
    }
}
