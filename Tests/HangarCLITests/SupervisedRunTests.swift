import Foundation
import HangarTestSupport
import Testing

/// `run --wait` and `run --follow` on real runs: `hangar run` starts a detached supervisor,
/// which runs a Python flight. Flights that must stay running block on a FIFO the test opens
/// when it is ready, so nothing waits on a timer.
struct SupervisedRunTests {
    static let exitWith = """
        import os, sys
        print("exiting with", os.environ["EXIT"], flush=True)
        sys.exit(int(os.environ["EXIT"]))

        """

    static let blockOnGate = """
        import os
        print("waiting", flush=True)
        with open(os.environ["GATE"]) as gate:
            gate.read()
        print("released", flush=True)

        """

    @Test(.timeLimit(.minutes(5)))
    func runWaitExitsWithTheRunsOutcome() throws {
        let home = try FlightsTestHome()
        try home.createFlight("outcome", source: Self.exitWith, "--config", "EXIT=0")

        let succeeded = try home.hangar("run", "outcome", "--wait")
        #expect(succeeded.status == 0, "\(succeeded.stderr)")
        #expect(succeeded.stdout.contains("Status:     SUCCEEDED\n"), "\(succeeded.stdout)")
        #expect(succeeded.stderr.contains("Started run 1 of \"outcome\" (version 1); Ctrl-C stops waiting, not the run"))

        let failed = try home.hangar("run", "outcome", "--config", "EXIT=3", "--wait", "--json")
        #expect(failed.status == 1, "\(failed.stderr)")
        let run = try JSONOutput.object(failed.stdout)
        #expect(run["status"] as? String == "RUN_STATUS_FAILED")
        #expect(run["exit_code"] as? Int == 3)
        #expect(run["config"] as? [String: String] == ["EXIT": "3"])
        #expect(try home.hangar("logs", "outcome", "2").stdout.contains("exiting with 3\n"))
        // The override was for that run only.
        let version = try JSONOutput.object(try home.hangar("version", "outcome", "1", "--json").stdout)
        #expect(version["config"] as? [String: String] == ["EXIT": "0"])
    }

    @Test(.timeLimit(.minutes(5)))
    func runFollowStreamsWhileRunningAndACancelEndsItWithSix() async throws {
        let home = try FlightsTestHome()
        let gate = home.scratch.path("gate")
        #expect(mkfifo(gate, 0o600) == 0)
        try home.createFlight("gated", source: Self.blockOnGate, "--config", "GATE=\(gate)")

        let follower = try home.start("run", "gated", "--follow")
        try await follower.waitForOutput("waiting\n")
        let cancel = try home.hangar("cancel", "gated", "1", "--wait")
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout == "Cancelled run 1 of \"gated\".\n")
        let cancelled = await follower.finish()
        #expect(cancelled.status == 6, "\(cancelled.stderr)")
        #expect(!cancelled.stdout.contains("released"))
        #expect(cancelled.stderr.contains("Run 1 of \"gated\": CANCELLED"), "\(cancelled.stderr)")

        let second = try home.start("run", "gated", "--follow", "--json")
        try await second.waitForOutput("\"line\":\"waiting\"")
        // Opening the FIFO for writing and closing it lets the flight's read end.
        try FileHandle(forWritingTo: URL(fileURLWithPath: gate)).close()
        let succeeded = await second.finish()
        #expect(succeeded.status == 0, "\(succeeded.stderr)")
        let lines = try JSONOutput.lines(succeeded.stdout)
        #expect(lines.dropLast().contains { $0["line"] as? String == "released" }, "\(succeeded.stdout)")
        #expect(lines.dropLast().allSatisfy { $0["line_number"] is Int && $0["stream"] is String })
        #expect(lines.last?["status"] as? String == "RUN_STATUS_SUCCEEDED")
        #expect(lines.last?["run_number"] as? Int == 2)
    }

    @Test(.timeLimit(.minutes(5)))
    func secretValuesNeverAppearInAnyOutput() throws {
        let home = try FlightsTestHome()
        let value = "s3cr3t-\(UUID().uuidString)"
        let created = try home.hangar("secret", "create", "GitHub", "API_KEY=\(value)", "OTHER=x")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == "Created secret \"github\" with keys API_KEY, OTHER; flights use it with --secret github.\n")
        try home.createFlight("leaky", source: """
            import os
            print("key:", os.environ["API_KEY"], os.environ["github_API_KEY"], flush=True)

            """, "--secret", "github")
        let run = try home.hangar("run", "leaky", "--wait")
        #expect(run.status == 0, "\(run.stderr)")
        let logs = try home.hangar("logs", "leaky", "1")
        #expect(logs.stdout.contains("key: "), "\(logs.stdout)")

        let outputs = try [created, run, logs] + [
            ["secret", "list"], ["secret", "list", "--json"], ["secret", "create", "github", "API_KEY=again"],
            ["show", "leaky"], ["show", "leaky", "--json"], ["list", "--json"], ["versions", "leaky", "--json"],
            ["version", "leaky", "1", "--json"], ["runs", "leaky", "--json"], ["runs", "leaky"], ["run-info", "leaky", "1", "--json"],
            ["logs", "leaky", "1", "--json"], ["logs", "leaky", "1", "--tail", "5"],
        ].map { arguments in try HangarProcess.run(arguments + ["--home", home.home]) }
        for output in outputs {
            #expect(!output.stdout.contains(value) && !output.stderr.contains(value), "\(output.stdout)\(output.stderr)")
        }
        let listed = try JSONOutput.array(try home.hangar("secret", "list", "--json").stdout)
        #expect(listed.count == 1)
        #expect(listed[0]["name"] as? String == "github")
        #expect(listed[0]["keys"] as? [String] == ["API_KEY", "OTHER"])
        #expect(Set(listed[0].keys) == ["name", "keys", "created_at", "updated_at"])
    }
}
