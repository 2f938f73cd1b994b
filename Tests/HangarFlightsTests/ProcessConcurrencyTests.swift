import Foundation
import HangarAccount
@testable import HangarFlights
import HangarTestSupport
import Testing

/// Several real processes writing one store at once, as a server, CLI commands and supervisors
/// do. Each child is this test binary running only ``triggerRunsAsAWorkerProcess()``, which does
/// work only when the parent passes it a home.
struct ProcessConcurrencyTests {
    static let homeVariable = "HANGAR_FLIGHTS_TEST_WORKER_HOME"
    static let flightVariable = "HANGAR_FLIGHTS_TEST_WORKER_FLIGHT"
    static let triggersPerWorker = 10

    @Test(.sqliteStoreOnly("processes sharing the SQLite file; HangarControlPostgresTests runs processes on PostgreSQL"), .timeLimit(.minutes(5)))
    func runNumbersStayUniqueWhenProcessesTriggerAtOnce() throws {
        let test = try TestHome()
        let flight = try test.flights().create(.sample())
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var workers: [(process: Process, start: Pipe, output: Pipe)] = []
        for _ in 0..<4 {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["--testing-library", "swift-testing", "--filter", "triggerRunsAsAWorkerProcess"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.homeVariable] = test.home.root.path
            environment[Self.flightVariable] = flight.id.uuidString
            process.environment = environment
            let start = Pipe()
            let output = Pipe()
            process.standardInput = start
            process.standardOutput = output
            process.standardError = output
            try process.run()
            workers.append((process, start, output))
        }
        // Every worker opens its store, then waits for its standard input to close: closing them
        // all at once lines the triggers up.
        for worker in workers { try worker.start.fileHandleForWriting.close() }
        for worker in workers {
            let log = String(decoding: worker.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            worker.process.waitUntilExit()
            #expect(worker.process.terminationStatus == 0, "worker failed:\n\(log)")
            #expect(log.contains("triggerRunsAsAWorkerProcess() passed"), "worker did not run:\n\(log)")
        }
        let numbers = try test.flights().runs(.id(flight.id)).map(\.runNumber)
        #expect(numbers == Array((1...(4 * Self.triggersPerWorker)).reversed()))
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[homeVariable] != nil, "runs only as a child of the test above"))
    func triggerRunsAsAWorkerProcess() throws {
        let environment = ProcessInfo.processInfo.environment
        let homePath = try #require(environment[Self.homeVariable])
        let flightText = try #require(environment[Self.flightVariable])
        let flightID = try #require(UUID(uuidString: flightText))
        let home = HangarHome(URL(fileURLWithPath: homePath))
        let flights = try Flights(home: home)
        _ = FileHandle.standardInput.readDataToEndOfFile()
        for _ in 0..<Self.triggersPerWorker {
            _ = try flights.triggerRun(.id(flightID))
        }
    }
}
