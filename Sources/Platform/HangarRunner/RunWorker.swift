import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights
import Logging
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs work from a shared control store, as a service of `hangar worker` (or of a `hangar
/// serve` that runs work): registers, heartbeats, claims pending runs up to its slots, and
/// starts a supervisor for each (`hangar supervise RUN_ID --worker-pid PID`), which runs the
/// flight with the same runtimes as on one machine and dies with this process.
///
/// Every heartbeat also sweeps: a worker silent past `liveness.lostAfter` is declared lost by
/// any live worker or server, and its runs fail naming it. A worker that finds itself declared
/// lost (a long pause, a network partition) stops its runs, which already ended as FAILED, and
/// registers anew. A graceful shutdown stops claiming and waits for the runs it holds. New runs
/// wake it through PostgreSQL's LISTEN/NOTIFY; it also looks every `pollInterval`.
public final class RunWorker: Service, Sendable {
    public let store: PostgresControlStore
    public let flights: Flights
    public let name: String
    public let slots: Int
    public let liveness: WorkerLiveness
    let hangarExecutable: URL
    let pollInterval: Duration
    let logger: Logger
    /// The supervisors running now, by run id.
    private let running = Mutex<[UUID: pid_t]>([:])
    /// Set by a new run's notification or a freed slot: claim now rather than at the next look.
    private let wake = WakeSignal()
    /// Supervisors started again for a run whose supervisor died before starting its program.
    private let restartCounts = Mutex<[UUID: Int]>([:])
    static let supervisorRestarts = 2
    /// Called on every registration (the first, and again after being declared lost).
    let onRegistered: @Sendable (WorkerRecord) -> Void

    public init(store: PostgresControlStore, name: String, slots: Int, liveness: WorkerLiveness = WorkerLiveness(),
                hangarExecutable: URL, pollInterval: Duration = .seconds(1),
                logger: Logger = Logger(label: "hangar.worker"), onRegistered: @escaping @Sendable (WorkerRecord) -> Void = { _ in }) {
        self.onRegistered = onRegistered
        self.store = store
        flights = Flights(store: store)
        self.name = name
        self.slots = slots
        self.liveness = liveness
        self.hangarExecutable = hangarExecutable
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public var runningCount: Int { running.withLock { $0.count } }

    public func run() async throws {
        // New runs are announced (LISTEN hangar_runs); the loop still looks every pollInterval,
        // so a missed notification only delays a claim.
        let listener = Task { [store, wake] in await store.listen(PostgresControlStore.runsChannel) { wake.signal() } }
        defer { listener.cancel() }
        var worker = try await register()
        var lastBeat = ContinuousClock.now
        var draining = false
        while true {
            // Cancelled (the group's grace period is over): the runs end with this process.
            if Task.isCancelled {
                stopAllRuns()
                break
            }
            if Task.isShuttingDownGracefully, !draining {
                draining = true
                logger.info("stopping: no new claims; waiting for \(runningCount) run\(runningCount == 1 ? "" : "s") to end")
            }
            if ContinuousClock.now - lastBeat >= liveness.heartbeatInterval {
                lastBeat = ContinuousClock.now
                worker = await beat(worker)
            }
            if draining {
                if runningCount == 0 { break }
            } else {
                claim(worker)
            }
            let untilHeartbeat = liveness.heartbeatInterval - (ContinuousClock.now - lastBeat)
            await wake.wait(upTo: max(.milliseconds(10), min(draining ? .milliseconds(200) : pollInterval, untilHeartbeat)))
        }
        _ = try? store.stopWorker(worker)
        logger.info("worker stopped", metadata: ["worker": "\(worker.name)"])
    }

    private func register() async throws -> WorkerRecord {
        var pause = Duration.milliseconds(200)
        while true {
            do {
                let worker = try store.registerWorker(name: name, host: ProcessInfo.processInfo.hostName, slots: slots)
                onRegistered(worker)
                logger.info("worker registered", metadata: ["worker": "\(worker)", "slots": "\(slots)", "control": "\(store.location)"])
                return worker
            } catch {
                if Task.isCancelled { throw CancellationError() }
                logger.error("cannot register with the control store: \(error.message); retrying")
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    /// Heartbeats and sweeps; re-registers when this worker was declared lost.
    private func beat(_ worker: WorkerRecord) async -> WorkerRecord {
        do {
            try store.heartbeat(worker)
        } catch where error.kind == .conflict {
            logger.error("\(worker) was declared lost; stopping its runs (they were failed) and registering again")
            stopAllRuns()
            return (try? await register()) ?? worker
        } catch {
            logger.error("heartbeat failed: \(error.message)")
        }
        do {
            for lost in try store.failRunsOfLostWorkers(liveness) {
                logger.notice("failed a run of a lost worker", metadata: ["run": "\(lost.runID)", "worker": "\(lost.worker.name)"])
            }
        } catch {
            logger.error("lost-worker sweep failed: \(error.message)")
        }
        return worker
    }

    private func claim(_ worker: WorkerRecord) {
        let free = slots - runningCount
        guard free > 0 else { return }
        let claimed: [UUID]
        do {
            claimed = try store.claimRuns(for: worker, limit: free)
        } catch {
            if error.kind != .conflict { logger.error("claiming runs failed: \(error.message)") }
            return
        }
        for runID in claimed { start(runID) }
    }

    private func start(_ runID: UUID) {
        let id = runID.uuidString.lowercased()
        do {
            let folder = store.home.root.appendingPathComponent("runs", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let output = folder.appendingPathComponent("\(id).supervisor.log")
            running.withLock { $0[runID] = 0 }
            let pid = try DetachedProcess.spawn(
                executable: hangarExecutable,
                arguments: ["supervise", id, "--home", store.home.root.path, "--worker-pid", String(getpid())],
                output: output
            ) { [weak self] status in self?.supervisorEnded(runID, status: status) }
            running.withLock { if $0[runID] != nil { $0[runID] = pid } }
            logger.info("started run", metadata: ["run": "\(id)"])
        } catch {
            running.withLock { _ = $0.removeValue(forKey: runID) }
            logger.error("cannot start the supervisor of run \(id): \(error)")
            _ = try? flights.markFinished(runID, .failed(RunFailure(.launchFailure, "\(error)"), exitCode: nil))
        }
    }

    /// A supervisor records its run's end itself; one that died first leaves the run in
    /// progress. Died before the program started (a crash while preparing, say), nothing of the
    /// run has executed, so a new supervisor takes it, up to `supervisorRestarts` times; after
    /// that, or once the program may have run, the run is recorded as FAILED, supervisor lost.
    private func supervisorEnded(_ runID: UUID, status: Int32) {
        let how = (status & 0x7f) == 0 ? "exited with code \((status >> 8) & 0xff)" : "was killed by signal \(status & 0x7f)"
        if let run = try? flights.run(id: runID), !run.status.isFinished {
            let restarts = restartCounts.withLock { counts in
                defer { counts[runID, default: 0] += 1 }
                return counts[runID, default: 0]
            }
            if run.status == .pending, run.startedAt == nil, restarts < Self.supervisorRestarts,
               (try? flights.releaseUnstartedRun(runID, from: run.supervisor)) == true {
                logger.warning("the supervisor of run \(runID.uuidString.lowercased()) \(how) before starting its program; starting another")
                running.withLock { _ = $0.removeValue(forKey: runID) }
                start(runID)
                return
            }
            _ = try? flights.markFinished(runID, .failed(RunFailure(.supervisorLost, "the run's supervisor on worker \"\(name)\" \(how) before recording the outcome"), exitCode: nil))
        }
        restartCounts.withLock { _ = $0.removeValue(forKey: runID) }
        running.withLock { _ = $0.removeValue(forKey: runID) }
        wake.signal()
    }

    /// Ends every supervisor this worker started (each kills its run's processes as it goes).
    private func stopAllRuns() {
        for (runID, pid) in running.withLock({ Array($0) }) {
            // The program's process group is on this host: its identity was recorded here.
            if let program = (try? flights.run(id: runID))?.program { program.killProcessGroup() }
            if pid > 0 { kill(pid, SIGKILL) }
        }
    }
}
