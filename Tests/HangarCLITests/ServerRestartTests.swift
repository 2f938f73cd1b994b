import Foundation
import HangarTestSupport
import Testing

/// `hangar serve` restarted while a flight runs: the run goes on under its own supervisor, ends
/// and is recorded while no server is up, and a scheduled fire missed during the downtime is
/// caught up (the default policy, `latest`) when the server is back.
struct ServerRestartTests {
    @Test(.timeLimit(.minutes(5)))
    func aRunOutlivesARestartAndAFireMissedMeanwhileIsCaughtUp() async throws {
        let test = try FlightsTestHome()
        let scratch = try ScratchDirectory()
        let go = scratch.url.appendingPathComponent("go").path
        // Runs until the test creates the file: the run is in progress for as long as the test needs.
        let waiting = """
            import os, time
            print('working', flush=True)
            while not os.path.exists(os.environ['GO']):
                time.sleep(0.05)
            print('done')
            """
        let source = scratch.url.appendingPathComponent("main.py")
        try waiting.write(to: source, atomically: true, encoding: .utf8)
        #expect(try test.hangar("create", "long", "--source", source.path, "--config", "GO=\(go)").status == 0)

        let first = try await test.serve()
        #expect(try test.hangar("run", "long").status == 0)
        try await eventually("run 1 of long to print its first line") {
            try test.hangar("logs", "long", "1").stdout.contains("working")
        }

        // SIGTERM: the server stops gracefully; the run does not.
        #expect(await first.stop() == 0, "\(first.stderr)")
        #expect(first.stdout.contains("stopped; running flights continue under their supervisors"), "\(first.stdout)")
        #expect(try Self.status(test, "long", 1) == "RUN_STATUS_RUNNING")

        // A schedule with a fire no scheduler handled, recorded while no server is up (the test
        // sets when the schedule took effect instead of waiting for a real minute to pass).
        let fire = try test.createFlightWithAMissedFire("hourly", source: waiting, config: ["GO": go])

        // The run finishes and is recorded by its supervisor with no server running.
        FileManager.default.createFile(atPath: go, contents: nil)
        try await eventually("run 1 of long to finish") { try Self.status(test, "long", 1) != "RUN_STATUS_RUNNING" }
        #expect(try Self.status(test, "long", 1) == "RUN_STATUS_SUCCEEDED")
        #expect(try test.hangar("logs", "long", "1").stdout.contains("done"))

        // Back up: the fire missed during the downtime runs once.
        let second = try await test.serve()
        try await second.waitForOutput("started scheduled run")
        #expect(try test.hangar("logs", "hourly", "1", "--follow").status == 0)
        let caughtUp = try JSONOutput.object(try test.hangar("run-info", "hourly", "1", "--json").stdout)
        #expect(caughtUp["status"] as? String == "RUN_STATUS_SUCCEEDED", "\(caughtUp)")
        #expect(caughtUp["is_scheduled"] as? Bool == true)
        let scheduledAt = try #require(caughtUp["scheduled_at"] as? String)
        let fireText = ISO8601DateFormatter().string(from: fire).dropLast()  // without the Z
        #expect(scheduledAt.hasPrefix(fireText), "\(scheduledAt) for the fire at \(fire)")
        #expect(try JSONOutput.array(try test.hangar("runs", "hourly", "--json").stdout).count == 1)
        #expect(await second.stop() == 0)
    }

    static func status(_ test: FlightsTestHome, _ flight: String, _ number: Int) throws -> String? {
        try JSONOutput.object(try test.hangar("run-info", flight, String(number), "--json").stdout)["status"] as? String
    }
}
