import Foundation
import HangarRuntime
import HangarTestSupport
import Testing

/// Real processes: capture, masking, outcomes, and killing whole process trees.
@Suite(.timeLimit(.minutes(5)))
struct RunProcessTests {
    @Test func stdoutAndStderrAreCapturedInterleavedWithTimestampsAndAFinalPartialLine() throws {
        let folder = try TestFolders.make("interleave")
        let fifo = folder.appendingPathComponent("ack").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // The test holds the FIFO open for reading and writing, so neither side blocks opening
        // it; the program waits for an acknowledgement after each line, which fixes the order.
        let ack = open(fifo, O_RDWR)
        defer { close(ack) }
        let collector = LineCollector { line in
            if line.text != "err-partial" { _ = write(ack, "\n", 1) }
        }
        let before = Date()
        let run = try RunProcess.start(shellCommand("""
            exec 3<"$1"
            echo out-1; read -r _ <&3
            echo err-1 >&2; read -r _ <&3
            printf 'out-2\\r\\n'; read -r _ <&3
            printf 'err-partial' >&2
            """, in: folder).with(arguments: ["sh", fifo]), sink: collector.sink)
        let outcome = try #require(run.waitUntilExit(timeout: 30))
        #expect(outcome.succeeded)
        let lines = collector.lines
        #expect(lines.map(\.text) == ["out-1", "err-1", "out-2", "err-partial"])
        #expect(lines.map(\.stream) == [.stdout, .stderr, .stdout, .stderr])
        #expect(lines.allSatisfy { $0.timestamp >= before && $0.timestamp <= outcome.endedAt.addingTimeInterval(1) })
        #expect(zip(lines, lines.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
    }

    @Test func secretsAreMaskedBeforeTheSinkSeesThemEvenWhenTheyOverlap() throws {
        let collector = LineCollector()
        let masker = SecretMasker(["abcdef", "cdefgh", "s3cr3t-token", "xy", ""])
        let run = try RunProcess.start(shellCommand("""
            echo "token=s3cr3t-token and again s3cr3t-token"
            echo "overlap: [abcdefgh] end" >&2
            echo "short values stay: xy"
            """), masker: masker, sink: collector.sink)
        #expect(run.waitUntilExit().succeeded)
        // Two pipes: the order between stdout and stderr is not fixed here, only within each.
        #expect(collector.lines.filter { $0.stream == .stdout }.map(\.text) == ["token=*** and again ***", "short values stay: xy"])
        #expect(collector.lines.filter { $0.stream == .stderr }.map(\.text) == ["overlap: [***] end"])
    }

    @Test func exitCodesAndSignalsAreReported() throws {
        let failed = try RunProcess.start(shellCommand("exit 3"), sink: { _ in }).waitUntilExit()
        #expect(failed.termination == .exited(code: 3))
        #expect(failed.reason == .completed)
        #expect(!failed.succeeded)
        #expect(failed.description == "exited with code 3")

        let signalled = try RunProcess.start(shellCommand("kill -USR1 $$"), sink: { _ in }).waitUntilExit()
        #expect(signalled.termination == .signalled(signal: SIGUSR1))
        #expect(signalled.shellExitCode == 128 + SIGUSR1)
        #expect(signalled.description == "killed by SIGUSR1 (signal 10)")
    }

    @Test func aMissingProgramOrWorkingDirectoryIsAnErrorThatSaysSo() throws {
        let missing = #expect(throws: RuntimeError.self) {
            try RunProcess.start(RunCommand(executable: "hangar-no-such-program", environment: ["PATH": "/usr/bin:/bin"],
                                            workingDirectory: FileManager.default.temporaryDirectory), sink: { _ in })
        }
        #expect(missing?.kind == .spawnFailed)
        #expect(missing?.message.contains("hangar-no-such-program") == true)
        let noFolder = #expect(throws: RuntimeError.self) {
            try RunProcess.start(shellCommand("true", in: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)")), sink: { _ in })
        }
        #expect(noFolder?.message.contains("working directory") == true)
    }

    /// The leader starts a grandchild that ignores SIGTERM and keeps the output pipe open.
    static let treeScript = """
        sh -c 'trap "" TERM; echo "grandchild $$"; exec sleep 1000' &
        echo "leader $$"
        wait
        """

    static func pid(from collector: LineCollector, prefix: String) throws -> pid_t {
        let line = try #require(collector.waitForLine { $0.text.hasPrefix(prefix) })
        return try #require(pid_t(line.text.dropFirst(prefix.count)))
    }

    @Test func aTimeoutKillsTheWholeTreeIncludingAGrandchildThatIgnoresSIGTERM() throws {
        let collector = LineCollector()
        let run = try RunProcess.start(shellCommand(Self.treeScript), limits: RunLimits(maxRuntime: 1, terminationGrace: 30),
                                       sink: collector.sink)
        let grandchild = try Self.pid(from: collector, prefix: "grandchild ")
        let outcome = try #require(run.waitUntilExit(timeout: 20))
        #expect(outcome.reason == .timedOut)
        #expect(outcome.termination == .signalled(signal: SIGTERM))
        #expect(outcome.description.hasPrefix("timed out after 1 s (max runtime)"))
        #expect(outcome.duration >= 1 && outcome.duration < 10)  // the leader's exit ended the run, not the 30 s grace
        #expect(ProcessExit.hasExited(grandchild))
        #expect(ProcessExit.hasExited(run.processID))
    }

    @Test func aLeaderThatIgnoresSIGTERMIsKilledAfterTheGracePeriod() throws {
        let collector = LineCollector()
        let run = try RunProcess.start(shellCommand("trap '' TERM; " + Self.treeScript),
                                       limits: RunLimits(maxRuntime: 0.5, terminationGrace: 0.5), sink: collector.sink)
        let grandchild = try Self.pid(from: collector, prefix: "grandchild ")
        let outcome = try #require(run.waitUntilExit(timeout: 20))
        #expect(outcome.reason == .timedOut)
        #expect(outcome.termination == .signalled(signal: SIGKILL))
        #expect(outcome.duration >= 1)
        #expect(ProcessExit.hasExited(grandchild))
    }

    @Test func cancelKillsTheTreeAndTheOutcomeIsCancelled() async throws {
        let collector = LineCollector()
        let run = try RunProcess.start(shellCommand(Self.treeScript), sink: collector.sink)
        let grandchild = try Self.pid(from: collector, prefix: "grandchild ")
        let leader = try Self.pid(from: collector, prefix: "leader ")
        #expect(leader == run.processID)
        #expect(run.cancel())
        #expect(run.cancel())  // idempotent
        let outcome = await run.outcome()
        #expect(outcome.reason == .cancelled)
        #expect(outcome.description.hasPrefix("cancelled"))
        #expect(ProcessExit.hasExited(grandchild))
        #expect(!run.cancel() || outcome.reason == .cancelled)
    }

    @Test func cancellingAFinishedRunChangesNothing() throws {
        let run = try RunProcess.start(shellCommand("exit 0"), sink: { _ in })
        #expect(run.waitUntilExit().succeeded)
        #expect(!run.cancel())
        #expect(run.waitUntilExit().reason == .completed)
    }

    @Test func processesLeftBehindDieWithTheLeaderAndDoNotHoldTheLogOpen() throws {
        let collector = LineCollector()
        let run = try RunProcess.start(shellCommand("sleep 1000 & echo \"background $!\"; exit 0"), sink: collector.sink)
        let outcome = try #require(run.waitUntilExit(timeout: 20))
        #expect(outcome.succeeded)
        let background = try Self.pid(from: collector, prefix: "background ")
        #expect(ProcessExit.hasExited(background))
    }

    @Test func aProcessThatLeftTheGroupCannotHoldTheRunOpenPastTheDrainTimeout() throws {
        let collector = LineCollector()
        let run = try RunProcess.start(shellCommand("setsid sleep 1000 & echo \"escaped $!\"; exit 0"),
                                       limits: RunLimits(drainTimeout: 0.3), sink: collector.sink)
        let outcome = try #require(run.waitUntilExit(timeout: 20))
        #expect(outcome.succeeded)
        let escaped = try Self.pid(from: collector, prefix: "escaped ")
        kill(escaped, SIGKILL)  // ours to clean up: it left the run's group
    }

    @Test func longLinesAreCutAndMarkedAndInvalidUTF8IsReplaced() throws {
        let collector = LineCollector()
        let run = try RunProcess.start(shellCommand("""
            head -c 200000 /dev/zero | tr '\\0' 'a'; echo
            printf 'bad \\377 byte\\n'
            echo after
            """), limits: RunLimits(maxLineBytes: 1000), sink: collector.sink)
        #expect(run.waitUntilExit().succeeded)
        let lines = collector.lines
        #expect(lines.count == 3)
        #expect(lines.first?.isTruncated == true)
        #expect(lines.first?.text == String(repeating: "a", count: 1000) + CapturedLine.truncationMark)
        #expect(lines.dropFirst().first?.text == "bad \u{FFFD} byte")
        #expect(lines.last?.text == "after")
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() throws {
        let collector = LineCollector()
        setenv("HANGAR_TEST_PARENT_ONLY", "leaks", 1)
        let run = try RunProcess.start(RunCommand(executable: "/usr/bin/env", environment: ["ONLY": "this", "PATH": "/bin"],
                                                  workingDirectory: FileManager.default.temporaryDirectory), sink: collector.sink)
        #expect(run.waitUntilExit().succeeded)
        #expect(collector.texts.sorted() == ["ONLY=this", "PATH=/bin"])
    }
}

extension RunCommand {
    func with(arguments: [String]) -> RunCommand {
        var copy = self
        copy.arguments += arguments
        return copy
    }
}
