import ArgumentParser
import Foundation
import HangarAccount
import HangarControlPostgres
import HangarFlights
import HangarRunner
import InstallLayout

/// `hangar supervise RUN_ID`: the process that supervises one run, started detached by whoever
/// triggers the run. Not for people; hidden from help.
struct SuperviseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervise",
        abstract: "Supervise one run (started by Hangar itself).",
        shouldDisplay: false
    )

    @Argument(help: "The run's id.")
    var runID: String

    @Option(help: "The Hangar home (default $HANGAR_HOME, else ~/.hangar).")
    var home: String?

    @Option(name: .customLong("worker-pid"), help: "The worker that started this supervisor; the run dies with it.")
    var workerPID: Int32?

    func run() throws {
        guard let id = UUID(uuidString: runID) else { throw ValidationError("\(runID) is not a run id") }
        let hangarHome = HangarHome.resolve(explicit: home)
        let flights = try ControlStoreSelection.flights(home: hangarHome)
        let executable = HangarExecutable.url
        var supervisor = RunSupervisor(flights: flights, home: hangarHome) { log in
            try FlightKitSDK.locate(home: hangarHome, executable: executable, log: log)
        }
        supervisor.ownsTheProcess = true
        supervisor.worker = workerPID
        do {
            let run = try supervisor.supervise(runID: id)
            print("run \(run.runNumber) of \(run.flightName): \(run.status.rawValue)")
        } catch {
            FileHandle.standardError.write(Data("hangar supervise \(runID): \(error)\n".utf8))
            _ = try? flights.markFinished(id, .failed(RunFailure(.launchFailure, "\(error)"), exitCode: nil))
            throw ExitCode.failure
        }
    }
}

/// The running `hangar` binary, which supervisors and the SDK are found from.
enum HangarExecutable {
    static var url: URL { InstallLayout.runningExecutable() }
}
