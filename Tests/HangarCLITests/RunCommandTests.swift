import Foundation
import HangarFlights
import HangarTestSupport
import Testing

/// `runs`, `run-info`, `logs` and `cancel` on runs the test controls through the platform API:
/// triggered without a supervisor (so they stay PENDING), given log lines, finished on cue.
struct RunCommandTests {
    @Test func runsAndRunInfoPrintRunObjectsWithTheSQLSurfacesNames() throws {
        let home = try FlightsTestHome()
        try home.createFlight("counted", "--config", "DAY=mon")
        let flights = try home.flights()
        let first = try flights.triggerRun(.name("counted"))
        _ = try flights.markRunning(first.id)
        _ = try flights.markFinished(first.id, .failed(RunFailure(.exitCode, "exit code 3"), exitCode: 3))
        _ = try flights.triggerRun(.name("counted"), config: ["DAY": "tue"])

        let runs = try home.hangar("runs", "counted", "--json")
        #expect(runs.status == 0, "\(runs.stderr)")
        #expect(JSONOutput.keyOrder(runs.stdout, depth: 2).prefix(17) == [
            "run_id", "flight_id", "flight_name", "flight_version", "config", "run_number", "is_scheduled", "status",
            "created_at", "started_at", "ended_at", "scheduled_at", "cancelled_at", "exit_code", "cancel_requested_at",
            "failure_reason", "failure_detail",
        ])
        let objects = try JSONOutput.array(runs.stdout)
        #expect(objects.map { $0["run_number"] as? Int } == [2, 1])
        #expect(objects.map { $0["status"] as? String } == ["RUN_STATUS_PENDING", "RUN_STATUS_FAILED"])
        #expect(objects[0]["config"] as? [String: String] == ["DAY": "tue"])
        #expect(objects[0]["exit_code"] is NSNull)
        #expect(objects[0]["is_scheduled"] as? Bool == false)
        #expect(objects[1]["exit_code"] as? Int == 3)
        #expect(objects[1]["failure_reason"] as? String == "exit_code")
        #expect((objects[1]["ended_at"] as? String)?.wholeMatch(of: try Regex(#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"#)) != nil)

        let table = try home.hangar("runs", "counted").stdout.split(separator: "\n")
        #expect(table.count == 3)
        #expect(table[0].hasPrefix("RUN  STATUS"))
        #expect(table[2].contains("FAILED") && table[2].contains("exit_code"), "\(table)")

        let info = try home.hangar("run-info", "counted", "1")
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.contains("Status:     FAILED\n"), "\(info.stdout)")
        #expect(info.stdout.contains("Reason:     exit_code: exit code 3\n"))
        #expect(info.stdout.contains("Config:     DAY=mon\n"))
        let json = try JSONOutput.object(try home.hangar("run-info", "counted", "2", "--json").stdout)
        #expect(json["status"] as? String == "RUN_STATUS_PENDING")

        let missing = try home.hangar("run-info", "counted", "9")
        #expect(missing.status == 3)
        #expect(missing.stderr == "Error: flight \"counted\" has no run 9; its runs are numbered 1 to 2\n")
    }

    @Test func logsPrintsLinesTheirTailAndJSONLines() throws {
        let home = try FlightsTestHome()
        try home.createFlight("chatty")
        let flights = try home.flights()
        let run = try flights.triggerRun(.name("chatty"))
        try flights.appendLogLines(run.id, (1...5).map { NewLogLine($0 == 3 ? .stderr : .stdout, "line \($0)") })

        let all = try home.hangar("logs", "chatty", "1")
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout == "line 1\nline 2\nline 3\nline 4\nline 5\n")
        #expect(try home.hangar("logs", "chatty", "1", "--tail", "2").stdout == "line 4\nline 5\n")
        #expect(try home.hangar("logs", "chatty", "1", "--tail", "0").stdout == "")
        let stamped = try home.hangar("logs", "chatty", "1", "--tail", "1", "--timestamps").stdout
        #expect(stamped.wholeMatch(of: try Regex(#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z line 5\n"#)) != nil, "\(stamped)")

        let json = try home.hangar("logs", "chatty", "1", "--json")
        let lines = try JSONOutput.lines(json.stdout)
        #expect(lines.map { $0["line_number"] as? Int } == [1, 2, 3, 4, 5])
        #expect(lines[2]["stream"] as? String == "stderr")
        #expect(lines[2]["line"] as? String == "line 3")
        #expect(json.stdout.hasPrefix("{\"line_number\":1,\"reported_at\":\""))

        let negative = try home.hangar("logs", "chatty", "1", "--tail", "-1")
        #expect(negative.status == 64)
        let noRun = try home.hangar("logs", "chatty", "2")
        #expect(noRun.status == 3)
    }

    @Test(.timeLimit(.minutes(5)))
    func logsFollowStreamsLinesWhileTheRunRunsAndEndsWithIt() async throws {
        let home = try FlightsTestHome()
        try home.createFlight("live")
        let flights = try home.flights()
        let run = try flights.triggerRun(.name("live"))
        _ = try flights.markRunning(run.id)
        try flights.appendLogLines(run.id, [NewLogLine(.stdout, "before 1"), NewLogLine(.stdout, "before 2")])

        let follower = try home.start("logs", "live", "1", "--follow", "--tail", "1")
        try await follower.waitForOutput("before 2\n")
        try flights.appendLogLines(run.id, [NewLogLine(.stdout, "during")])
        // Printed while the run is still RUNNING: the follower streams, it does not wait for the end.
        try await follower.waitForOutput("during\n")
        try flights.appendLogLines(run.id, [NewLogLine(.stderr, "last words")])
        _ = try flights.markFinished(run.id, .failed(RunFailure(.exitCode, "exit code 1"), exitCode: 1))
        let output = await follower.finish()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "before 2\nduring\nlast words\n")
    }

    @Test func cancelAPendingRunAndAFinishedOneIsAConflict() throws {
        let home = try FlightsTestHome()
        try home.createFlight("stoppable")
        let flights = try home.flights()
        _ = try flights.triggerRun(.name("stoppable"))

        let cancelled = try home.hangar("cancel", "stoppable", "1", "--json")
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        let run = try JSONOutput.object(cancelled.stdout)
        #expect(run["status"] as? String == "RUN_STATUS_CANCELLED")
        #expect(run["cancelled_at"] is String)
        #expect(run["failure_reason"] as? String == "cancelled")

        let again = try home.hangar("cancel", "stoppable", "1")
        #expect(again.status == 5)
        #expect(again.stderr.contains("already finished (CANCELLED); only pending or running runs can be cancelled"), "\(again.stderr)")
        #expect(try home.hangar("cancel", "stoppable", "2").status == 3)
    }

    @Test func aRunWhoseSupervisorDiedShowsAsFailed() throws {
        let home = try FlightsTestHome()
        try home.createFlight("orphaned")
        let flights = try home.flights()
        let run = try flights.triggerRun(.name("orphaned"))
        // A supervisor that can't be alive: a pid beyond any pid_max, with a start token no process has.
        _ = try flights.markRunning(run.id, supervisor: SupervisorIdentity(pid: Int32.max, startToken: "gone"))
        let info = try JSONOutput.object(try home.hangar("run-info", "orphaned", "1", "--json").stdout)
        #expect(info["status"] as? String == "RUN_STATUS_FAILED")
        #expect(info["failure_reason"] as? String == "supervisor_lost")
    }
}
