import ArgumentParser
import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights
import HangarRunner
import HangarViews
import Logging
import ServiceLifecycle

/// `hangar worker`: runs the flights of a shared control store on this machine. Any number of
/// workers, on any machines that reach the control database, claim pending runs without ever
/// taking one twice; each runs at most `--slots` at once.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run flights from a shared PostgreSQL control store (--control or $HANGAR_CONTROL) on this machine.",
        discussion: """
        The worker registers, heartbeats, and claims pending runs up to --slots at a time; each run \
        is supervised here, with this machine's Python environments and Swift builds (under --home). \
        A worker silent for longer than --lost-after is declared lost by the others: its runs end \
        FAILED naming it, at most --lost-after plus --heartbeat-interval after its last heartbeat. \
        SIGTERM or Ctrl-C stops claiming and waits for the runs in progress to end.
        """
    )

    @Option(help: "The Hangar home for this machine's runs, environments and builds (default $HANGAR_HOME, else ~/.hangar).")
    var home: String?

    @Option(help: "How many runs this worker runs at once.")
    var slots = max(1, ProcessInfo.processInfo.activeProcessorCount)

    @Option(help: "The worker's name in logs and failure reasons (default: host name and process id).")
    var name: String?

    @Option(name: .customLong("heartbeat-interval"), help: "Seconds between heartbeats (and sweeps for lost workers).")
    var heartbeatInterval: Double = 10

    @Option(name: .customLong("lost-after"), help: "Seconds of silence after which a worker is declared lost; more than twice the heartbeat interval.")
    var lostAfter: Double = 30

    @Flag(help: "Print the registration as one JSON line.")
    var json = false

    func validate() throws {
        guard slots >= 1 else { throw ValidationError("--slots must be at least 1, not \(slots).") }
        guard heartbeatInterval > 0 else { throw ValidationError("--heartbeat-interval must be more than 0 seconds.") }
        guard lostAfter > heartbeatInterval * 2 else {
            throw ValidationError("--lost-after (\(lostAfter) s) must be more than twice --heartbeat-interval (\(heartbeatInterval) s), so a live worker is never declared lost.")
        }
    }

    func run() async throws {
        let hangarHome = HangarHome.resolve(explicit: home)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = .info
            return handler
        }
        let opened: any ControlStore
        do {
            opened = try ControlStoreSelection.open(home: hangarHome)
        } catch {
            FileHandle.standardError.write(Data("hangar worker: \(error.message)\n".utf8))
            throw ExitStatus.failure.exitCode
        }
        guard let store = opened as? PostgresControlStore else {
            FileHandle.standardError.write(Data("""
                hangar worker: the control store is this home's SQLite file, where `hangar serve` and the commands \
                start runs themselves; workers share a PostgreSQL control store: pass --control postgres://user@host/database \
                (or set HANGAR_CONTROL)\n
                """.utf8))
            throw ExitStatus.invalidInput.exitCode
        }
        let liveness = WorkerLiveness(heartbeatInterval: .milliseconds(Int64(heartbeatInterval * 1000)),
                                      lostAfter: .milliseconds(Int64(lostAfter * 1000)))
        let workerName = name ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        let worker = RunWorker(store: store, name: workerName, slots: slots, liveness: liveness,
                               hangarExecutable: HangarExecutable.url) { record in
            if json {
                let registration: JSONValue = .object([
                    ("worker_id", .string(record.id.uuidString.lowercased())), ("name", .string(record.name)),
                    ("slots", .int(record.slots)), ("control", .string(store.location)),
                ])
                Console.out(registration.text + "\n")
            } else {
                FileHandle.standardOutput.write(Data("worker \(record.name) registered (\(record.id.uuidString.lowercased())), \(record.slots) slot\(record.slots == 1 ? "" : "s"), control \(store.location)\n".utf8))
            }
        }
        let logger = Logger(label: "hangar.worker")
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup,
                             failureTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
