import Foundation
import HangarAccount
import HangarFlights
import Testing

/// `hangar serve` restarted while a flight runs: the run goes on under its own supervisor, ends
/// and is recorded while no server is up, and a scheduled fire that came during the downtime is
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

        let first = try test.start("serve", "--port", "0", "--poll-interval", "0.5")
        try first.readUntil("listening on http://127.0.0.1:")
        #expect(try test.hangar("run", "long").status == 0)
        try await Self.waitFor("run 1 of long to print its first line") {
            try test.hangar("logs", "long", "1").stdout.contains("working")
        }

        // SIGTERM: the server stops gracefully; the run does not.
        first.process.terminate()
        let stopped = first.finish()
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(stopped.stdout.contains("stopped; running flights continue under their supervisors"), "\(stopped.stdout)")
        #expect(try Self.status(test, "long", 1) == "RUN_STATUS_RUNNING")

        // A schedule that fires while no server is up: at the next minute boundary.
        let now = Date()
        let fire = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 / 60).rounded(.down) + 1) * 60)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let minute = utc.component(.minute, from: fire)
        #expect(try test.hangar("create", "hourly", "--source", source.path, "--config", "GO=\(go)",
                                "--schedule", "\(minute) * * * *").status == 0)
        // The downtime lasts past the fire (waiting for the wall clock is the scenario here),
        // asleep without holding one of the test runner's threads.
        while Date() < fire.addingTimeInterval(1) { try await Task.sleep(for: .milliseconds(200)) }

        // The run finishes and is recorded by its supervisor with no server running.
        FileManager.default.createFile(atPath: go, contents: nil)
        try await Self.waitFor("run 1 of long to finish") { try Self.status(test, "long", 1) != "RUN_STATUS_RUNNING" }
        #expect(try Self.status(test, "long", 1) == "RUN_STATUS_SUCCEEDED")
        #expect(try test.hangar("logs", "long", "1").stdout.contains("done"))

        // Back up: the fire missed during the downtime runs once.
        let second = try test.start("serve", "--port", "0", "--poll-interval", "0.5")
        try second.readUntil("started scheduled run")
        #expect(try test.hangar("logs", "hourly", "1", "--follow").status == 0)
        let caughtUp = try JSONOutput.object(try test.hangar("run-info", "hourly", "1", "--json").stdout)
        #expect(caughtUp["status"] as? String == "RUN_STATUS_SUCCEEDED", "\(caughtUp)")
        #expect(caughtUp["is_scheduled"] as? Bool == true)
        let scheduledAt = try #require(caughtUp["scheduled_at"] as? String)
        let fireText = ISO8601DateFormatter().string(from: fire).dropLast()  // without the Z
        #expect(scheduledAt.hasPrefix(fireText), "\(scheduledAt) for the fire at \(fire)")
        #expect(try JSONOutput.array(try test.hangar("runs", "hourly", "--json").stdout).count == 1)
        second.process.terminate()
        #expect(second.finish().status == 0)
    }

    static func status(_ test: FlightsTestHome, _ flight: String, _ number: Int) throws -> String? {
        try JSONOutput.object(try test.hangar("run-info", flight, String(number), "--json").stdout)["status"] as? String
    }

    /// Polls `condition` (another process's progress shows only in the store) until it holds.
    static func waitFor(_ what: String, timeout: TimeInterval = 90, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else { throw HangarProcess.Failure(description: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
