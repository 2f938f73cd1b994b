import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HangarTestSupport
import Testing

/// Hangar on several "machines" sharing one PostgreSQL control database on 127.0.0.1: real
/// `hangar serve`, `hangar worker` and CLI processes, each with a home of its own as separate
/// hosts would have, every one of them given the control URL and the shared control key.
@Suite(.serialized, .fullRunOnly)
struct ScaleOutTests {
    /// A flight that leaves one file per execution, named by its run id: a second execution of
    /// a run fails ("x" mode) and shows as a failed run, a missing one as a missing file.
    static let ledgerFlight = """
        import os
        with open(os.path.join(os.environ["ledger"], os.environ["HANGAR_RUN_ID"]), "x") as f:
            f.write(os.environ["HANGAR_RUN_NUMBER"])
        """

    @Test(.timeLimit(.minutes(20)))
    func threeWorkersAndTwoServersRunEachOfThreeHundredRunsExactlyOnceThroughARestartOfPostgreSQL() async throws {
        let cluster = try ScaleOutCluster()
        defer { cluster.stop() }
        let ledger = cluster.scratch.url.appendingPathComponent("ledger")
        try FileManager.default.createDirectory(at: ledger, withIntermediateDirectories: true)
        let source = try cluster.scratch.file("ledger.py", Self.ledgerFlight)
        try cluster.hangar(["create", "ledger", "--source", source, "--config", "ledger=\(ledger.path)"], home: "cli")

        let servers = [try await cluster.serve("serve1"), try await cluster.serve("serve2")]
        var workers: [RunningProgram] = []
        for index in 1...3 { workers.append(try await cluster.worker("worker\(index)", slots: 2)) }

        // 300 triggers in two waves, a third each through either API and the CLI; PostgreSQL is
        // restarted between them while the first wave still runs.
        func wave() async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for server in servers {
                    group.addTask { for _ in 0..<50 { try await cluster.triggerOverHTTP(server, flight: "ledger") } }
                }
                group.addTask { for _ in 0..<50 { try cluster.hangar(["run", "ledger"], home: "cli") } }
                try await group.waitForAll()
            }
        }
        try await wave()
        try cluster.restartPostgres()
        try await wave()

        let runs = try await eventually("300 runs to end", timeout: .seconds(900), every: .seconds(1)) { () -> [[String: Any]]? in
            let runs = try cluster.runs("ledger")
            return runs.count == 300 && runs.allSatisfy { ["RUN_STATUS_SUCCEEDED", "RUN_STATUS_FAILED", "RUN_STATUS_CANCELLED"].contains($0["status"] as? String) } ? runs : nil
        }
        let failed = runs.filter { $0["status"] as? String != "RUN_STATUS_SUCCEEDED" }
        #expect(failed.isEmpty, "runs that did not succeed: \(failed.prefix(3)); their supervisors said: \(failed.prefix(3).map { cluster.supervisorLog(of: $0["run_id"] as? String ?? "") })")
        #expect(Set(runs.compactMap { $0["run_number"] as? Int }) == Set(1...300))
        let executed = try FileManager.default.contentsOfDirectory(atPath: ledger.path)
        #expect(executed.count == 300)
        #expect(Set(executed) == Set(runs.compactMap { $0["run_id"] as? String }))

        for server in servers { #expect(await server.stop() == 0) }
        for worker in workers { #expect(await worker.stop(SIGTERM) == 0, "\(worker.stderr)") }
    }

    @Test(.timeLimit(.minutes(10)))
    func aKilledWorkersRunFailsAsWorkerLostAndNothingRunsTwice() async throws {
        let cluster = try ScaleOutCluster()
        defer { cluster.stop() }
        let marks = cluster.scratch.url.appendingPathComponent("marks")
        try FileManager.default.createDirectory(at: marks, withIntermediateDirectories: true)
        let slow = try cluster.scratch.file("slow.py", """
            import os, time
            open(os.path.join(os.environ["marks"], os.environ["HANGAR_RUN_ID"]), "x").close()
            time.sleep(600)
            """)
        try cluster.hangar(["create", "slow", "--source", slow, "--config", "marks=\(marks.path)"], home: "cli")
        let ledger = cluster.scratch.url.appendingPathComponent("ledger")
        try FileManager.default.createDirectory(at: ledger, withIntermediateDirectories: true)
        let quick = try cluster.scratch.file("ledger.py", Self.ledgerFlight)
        try cluster.hangar(["create", "ledger", "--source", quick, "--config", "ledger=\(ledger.path)"], home: "cli")

        let doomed = try await cluster.worker("doomed", slots: 1, fast: true)
        try cluster.hangar(["run", "slow"], home: "cli")
        let runID = try await eventually("the slow run to start on the doomed worker", timeout: .seconds(180)) { () -> String? in
            let run = try cluster.runs("slow").first
            return run?["status"] as? String == "RUN_STATUS_RUNNING" && FileManager.default.fileExists(atPath: marks.appendingPathComponent(run?["run_id"] as? String ?? "-").path)
                ? run?["run_id"] as? String : nil
        }
        let survivor = try await cluster.worker("survivor", slots: 2, fast: true)
        kill(doomed.process.processIdentifier, SIGKILL)
        let killedAt = Date()
        _ = await doomed.finish()

        let failed = try await eventually("the run to fail as worker lost", timeout: .seconds(60)) { () -> [String: Any]? in
            let run = try cluster.runs("slow").first
            return run?["status"] as? String == "RUN_STATUS_FAILED" ? run : nil
        }
        #expect(failed["failure_reason"] as? String == "worker_lost", "\(failed)")
        let detail = failed["failure_detail"] as? String ?? ""
        #expect(detail.contains("worker lost"), "\(failed)")
        #expect(detail.contains("\"doomed\""), "\(failed)")
        // The stated bound: --lost-after plus --heartbeat-interval (2 + 0.5 s here), plus the
        // survivor's sweep interval and this poll.
        #expect(Date().timeIntervalSince(killedAt) < 30)
        // The run's program died with its worker, and the run was never handed out again.
        #expect(!ScaleOutCluster.processExists(withEnvironment: "HANGAR_RUN_ID=\(runID)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: marks.path) == [runID])

        // The survivor goes on with other work.
        for _ in 0..<5 { try cluster.hangar(["run", "ledger"], home: "cli") }
        let done = try await eventually("the survivor to run 5 runs", timeout: .seconds(180)) { () -> [[String: Any]]? in
            let runs = try cluster.runs("ledger")
            return runs.count == 5 && runs.allSatisfy { $0["status"] as? String == "RUN_STATUS_SUCCEEDED" } ? runs : nil
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: ledger.path).count == done.count)
        #expect(await survivor.stop(SIGTERM) == 0)
    }
}

extension ScaleOutTests {
    /// A supervisor that dies before its run's program started (here: stopped, then killed,
    /// while it prepares the Python environment) leaves nothing executed, so the worker starts
    /// another for the same run, which then succeeds, once.
    @Test(.timeLimit(.minutes(10)))
    func aSupervisorThatDiesBeforeTheProgramStartsIsReplacedAndTheRunRunsOnce() async throws {
        let cluster = try ScaleOutCluster()
        defer { cluster.stop() }
        let ledger = cluster.scratch.url.appendingPathComponent("ledger")
        try FileManager.default.createDirectory(at: ledger, withIntermediateDirectories: true)
        let source = try cluster.scratch.file("ledger.py", Self.ledgerFlight)
        // A requirement makes the preparation (installing it) long enough to catch the supervisor in it.
        let requirements = try cluster.scratch.file("requirements.txt", "six\n")
        try cluster.hangar(["create", "ledger", "--source", source, "--requirements", requirements, "--config", "ledger=\(ledger.path)"], home: "cli")
        let worker = try await cluster.worker("worker", slots: 1)
        try cluster.hangar(["run", "ledger"], home: "cli")
        let runID = try #require(try cluster.runs("ledger").first?["run_id"] as? String)

        // Freeze the supervisor, check its run has not started, then kill it.
        let supervisor = try await eventually("the run's supervisor to start") { () -> pid_t? in
            ScaleOutCluster.process(withArguments: ["supervise", runID])
        }
        kill(supervisor, SIGSTOP)
        let run = try #require(try cluster.runs("ledger").first)
        try #require(run["status"] as? String == "RUN_STATUS_PENDING" && run["started_at"] is NSNull,
                     "the supervisor was caught after starting the program: \(run)")
        kill(supervisor, SIGKILL)

        let finished = try await eventually("the run to end", timeout: .seconds(300)) { () -> [String: Any]? in
            let run = try cluster.runs("ledger").first
            return ["RUN_STATUS_SUCCEEDED", "RUN_STATUS_FAILED"].contains(run?["status"] as? String) ? run : nil
        }
        #expect(finished["status"] as? String == "RUN_STATUS_SUCCEEDED", "\(finished)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: ledger.path) == [runID])
        try await worker.waitForOutput("before starting its program; starting another")
        #expect(await worker.stop(SIGTERM) == 0)
    }
}

/// A PostgreSQL of the test's own listening on 127.0.0.1 (scripts/postgres-server), and the
/// homes of the "machines" that share it.
final class ScaleOutCluster: @unchecked Sendable {
    let scratch: ScratchDirectory
    let port: Int
    let serverFolder: String
    let controlURL: String
    let keyFile: String
    private let watcherInput: Pipe
    private var programs: [RunningProgram] = []

    init() throws {
        scratch = try ProcessScratch.make()
        // The postgres user must reach the socket folder.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.url.path)
        port = try FreePort.next()
        serverFolder = scratch.url.appendingPathComponent("postgres").path
        let process = Process()
        process.executableURL = Checkout.file("scripts/postgres-server")
        process.arguments = ["start", serverFolder, "--until-stdin-closes"]
        process.environment = ProcessInfo.processInfo.environment.merging(["PORT": String(port)]) { $1 }
        watcherInput = Pipe()
        process.standardInput = watcherInput
        let log = scratch.url.appendingPathComponent("postgres-start.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try? handle.close()
        guard process.terminationStatus == 0 else {
            throw TestFailure("scripts/postgres-server start failed: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        controlURL = "postgres://postgres@127.0.0.1:\(port)/postgres"
        keyFile = scratch.url.appendingPathComponent("control.key").path
        // One key for the whole team, as an operator copies it to each host.
        FileManager.default.createFile(atPath: keyFile, contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }),
                                       attributes: [.posixPermissions: 0o600])
    }

    var environment: [String: String] {
        ["HANGAR_CONTROL": controlURL, "HANGAR_CONTROL_KEY_FILE": keyFile]
    }

    func home(_ name: String) -> String { scratch.url.appendingPathComponent("homes/\(name)").path }

    @discardableResult
    func hangar(_ arguments: [String], home name: String) throws -> ProgramOutput {
        let output = try HangarProcess.run(arguments + ["--home", home(name)], environment: environment)
        guard output.status == 0 else { throw TestFailure("hangar \(arguments.joined(separator: " ")) failed (\(output.status)): \(output.stderr)") }
        return output
    }

    func runs(_ flight: String) throws -> [[String: Any]] {
        let output = try hangar(["runs", flight, "--json", "--limit", "1000"], home: "cli")
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]] ?? []
    }

    func serve(_ name: String) async throws -> ServeProcess {
        let program = try HangarProcess.start(["serve", "--home", home(name), "--port", "0", "--poll-interval", "0.5", "--no-work"],
                                             environment: environment)
        programs.append(program)
        return try await ServeProcess.attach(home: home(name), program: program)
    }

    /// `fast`: a short liveness bound (heartbeat 0.5 s, lost after 2 s), for the lost-worker test.
    func worker(_ name: String, slots: Int, fast: Bool = false) async throws -> RunningProgram {
        var arguments = ["worker", "--home", home(name), "--slots", String(slots), "--name", name]
        if fast { arguments += ["--heartbeat-interval", "0.5", "--lost-after", "2"] }
        let program = try HangarProcess.start(arguments, environment: environment)
        programs.append(program)
        _ = try await program.line(startingWith: "worker \(name) registered", timeout: .seconds(60))
        return program
    }

    /// What a run's supervisor wrote outside the run's log (a crash's message, say), on whichever
    /// worker ran it.
    func supervisorLog(of runID: String) -> String {
        let homes = scratch.url.appendingPathComponent("homes")
        for home in (try? FileManager.default.contentsOfDirectory(atPath: homes.path)) ?? [] {
            let file = homes.appendingPathComponent("\(home)/runs/\(runID).supervisor.log")
            if let text = try? String(contentsOf: file, encoding: .utf8) { return "\(home): \(text)" }
        }
        return "(no supervisor log)"
    }

    func triggerOverHTTP(_ server: ServeProcess, flight: String) async throws {
        var request = URLRequest(url: URL(string: "\(server.url)/api/v1/flights/\(flight)/runs")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(try server.token())", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw TestFailure("POST runs answered \(status)") }
    }

    func restartPostgres() throws {
        let process = Process()
        process.executableURL = Checkout.file("scripts/postgres-server")
        process.arguments = ["restart", serverFolder]
        process.environment = ProcessInfo.processInfo.environment.merging(["PORT": String(port)]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("scripts/postgres-server restart failed") }
    }

    func stop() {
        for program in programs where program.process.isRunning { kill(program.process.processIdentifier, SIGKILL) }
        let process = Process()
        process.executableURL = Checkout.file("scripts/postgres-server")
        process.arguments = ["stop", serverFolder]
        try? process.run()
        process.waitUntilExit()
        try? watcherInput.fileHandleForWriting.close()
    }

    /// A process whose command line holds `arguments` in order, if any.
    static func process(withArguments arguments: [String]) -> pid_t? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let words = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if words.count >= arguments.count,
               (0...(words.count - arguments.count)).contains(where: { Array(words[$0..<($0 + arguments.count)]) == arguments }) {
                return pid
            }
        }
        return nil
    }

    /// Whether any process carries `marker` (e.g. `HANGAR_RUN_ID=…`) in its environment.
    static func processExists(withEnvironment marker: String) -> Bool {
        let needle = Data(marker.utf8) + Data([0])
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
            if let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ"), environment.range(of: needle) != nil {
                return true
            }
        }
        return false
    }
}
