import Foundation
import HangarFlights
import HangarTestSupport
import Testing

/// A run whose supervisor is killed with SIGKILL: the next Hangar process that looks marks it
/// FAILED (`supervisor_lost`) and stops what the run left running, so a run recorded as failed
/// never goes on writing.
struct SupervisorCrashTests {
    /// Opens `ALIVE` for writing (so the test sees end of file there once every process of the
    /// run is gone), forks a child, and both block on `GATE`, which the test never opens.
    static let blockForever = """
        import os

        alive = open(os.environ["ALIVE"], "w")
        child = os.fork()
        if child == 0:
            with open(os.environ["GATE"]) as gate:
                gate.read()
            os._exit(0)
        print("running as pid %d with child %d" % (os.getpid(), child), flush=True)
        with open(os.environ["GATE"]) as gate:
            gate.read()
        print("released", flush=True)

        """

    @Test(.timeLimit(.minutes(5)))
    func aKilledSupervisorsRunFailsAsSupervisorLostAndItsProgramIsStopped() async throws {
        let home = try FlightsTestHome.shared("python-flights")
        let gate = try FlightGate.make(in: home.scratch, "crash-gate")
        let alive = try FlightGate.make(in: home.scratch, "crash-alive")
        // Our read end, opened first and without blocking, so the flight's open for writing
        // returns at once; every process of the run inherits the write end.
        let aliveReader = open(alive, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        try #require(aliveReader >= 0)
        defer { close(aliveReader) }
        try home.createFlight("crash_victim", source: Self.blockForever, "--config", "GATE=\(gate)", "--config", "ALIVE=\(alive)")

        let started = try home.hangar("run", "crash_victim", "--json")
        #expect(started.status == 0, "\(started.stderr)")
        let follower = try home.start("logs", "crash_victim", "1", "--follow")
        let marker = try await follower.line(startingWith: "running as pid ")
        // Only this test's command looks at the run from here on.
        await follower.stop()
        let pids = marker.split(separator: " ").compactMap { Int32($0) }
        try #require(pids.count == 2, "\(marker)")
        defer {
            // Should the product leave them running, the test must not.
            for pid in pids where !ProcessExit.isGoneOrZombie(pid) { kill(pid, SIGKILL) }
        }

        let running = try home.flights().run(FlightSelector("crash_victim"), number: 1)
        #expect(running.status == .running)
        let supervisor = try #require(running.supervisor)
        // The program is recorded too: the leader of the run's process group.
        #expect(running.program?.pid == pids[0], "\(String(describing: running.program))")
        let commandLine = (try? String(contentsOfFile: "/proc/\(supervisor.pid)/cmdline", encoding: .utf8)) ?? ""
        #expect(commandLine.split(separator: "\0").contains("supervise"), "pid \(supervisor.pid) is not a supervisor: \(commandLine)")

        // kill -9, then wait for the kernel to have ended it (it is not our child: a pidfd says when).
        let supervisorExit = try ProcessExit(supervisor.pid)
        #expect(kill(supervisor.pid, SIGKILL) == 0)
        try supervisorExit.wait(seconds: 30)

        let runs = try home.hangar("runs", "crash_victim", "--json")
        #expect(runs.status == 0, "\(runs.stderr)")
        let listed = try JSONOutput.array(runs.stdout)
        #expect(listed.first?["status"] as? String == "RUN_STATUS_FAILED", "\(runs.stdout)")
        #expect(listed.first?["failure_reason"] as? String == "supervisor_lost", "\(runs.stdout)")
        let info = try JSONOutput.object(try home.hangar("run-info", "crash_victim", "1", "--json").stdout)
        #expect(info["status"] as? String == "RUN_STATUS_FAILED")
        #expect(info["failure_reason"] as? String == "supervisor_lost")
        #expect((info["failure_detail"] as? String)?.contains("pid \(supervisor.pid)") == true, "\(info)")
        #expect(info["ended_at"] is String, "\(info)")

        // The program and its child are gone: the write ends they held are all closed.
        var poller = pollfd(fd: aliveReader, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, 30_000)
        #expect(ready == 1 && poller.revents & Int16(POLLHUP) != 0, "the run's processes \(pids) are still running after it was marked FAILED")
        for pid in pids {
            #expect(ProcessExit.isGoneOrZombie(pid), "pid \(pid) of the failed run is still running")
        }
        // A finished run stays as it was recorded.
        #expect(try home.hangar("run-info", "crash_victim", "1", "--json").stdout.contains("\"supervisor_lost\""))
    }
}
