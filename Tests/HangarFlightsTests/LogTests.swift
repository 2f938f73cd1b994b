import Foundation
@testable import HangarFlights
import Testing

struct LogTests {
    private func runWithLines(_ count: Int) throws -> (TestHome, Flights, FlightRun) {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        let run = try flights.triggerRun(.id(flight.id))
        _ = try flights.markRunning(run.id)
        var batch: [NewLogLine] = []
        for index in 1...count {
            batch.append(NewLogLine(index.isMultiple(of: 3) ? .stderr : .stdout, "line \(index)", at: Date(timeIntervalSince1970: Double(index))))
            // Several appends, as a supervisor flushes batches.
            if batch.count == 4 {
                try flights.appendLogLines(run.id, batch)
                batch = []
            }
        }
        if !batch.isEmpty { try flights.appendLogLines(run.id, batch) }
        return (test, flights, run)
    }

    @Test func linesAreNumberedAcrossBatchesAndStreamsInCaptureOrder() throws {
        let (_, flights, run) = try runWithLines(10)
        let lines = try flights.logs(.name("docs_dlt_ingest"), runNumber: 1)
        #expect(lines.map(\.lineNumber) == Array(1...10))
        #expect(lines.map(\.line) == (1...10).map { "line \($0)" })
        #expect(lines[2].stream == .stderr && lines[3].stream == .stdout)
        #expect(lines[4].reportedAt == Date(timeIntervalSince1970: 5))
        #expect(try flights.appendLogLines(run.id, [NewLogLine(.stdout, "eleven")]) == 11)
        #expect(try flights.appendLogLines(run.id, []) == 11)
        // Readable while the run is still running.
        #expect(try flights.run(id: run.id).status == .running)
    }

    @Test func logsOfRunsThatEndedBeforeTheCutoffArePrunedAndTheRunsStay() throws {
        let (_, flights, run) = try runWithLines(10)
        // Still running: never pruned, whatever the cutoff.
        #expect(try flights.pruneLogs(ofRunsEndedBefore: Date.distantFuture) == 0)
        let ended = try #require(try flights.markFinished(run.id, .succeeded).endedAt)
        #expect(try flights.pruneLogs(ofRunsEndedBefore: ended) == 0)
        #expect(try flights.pruneLogs(ofRunsEndedBefore: ended.addingTimeInterval(1)) == 10)
        #expect(try flights.logs(.name("docs_dlt_ingest"), runNumber: 1).isEmpty)
        #expect(try flights.run(id: run.id).status == .succeeded)
    }

    @Test func logsPageInEitherOrder() throws {
        let (_, flights, _) = try runWithLines(10)
        let flight = FlightSelector.name("docs_dlt_ingest")
        #expect(try flights.logs(flight, runNumber: 1, limit: 3).map(\.lineNumber) == [1, 2, 3])
        #expect(try flights.logs(flight, runNumber: 1, limit: 3, offset: 8).map(\.lineNumber) == [9, 10])
        #expect(try flights.logs(flight, runNumber: 1, order: .descending).map(\.lineNumber) == Array((1...10).reversed()))
        #expect(try flights.logs(flight, runNumber: 1, limit: 2, offset: 1, order: .descending).map(\.lineNumber) == [9, 8])
    }

    @Test func pagingRulesAreEnforced() throws {
        let (_, flights, _) = try runWithLines(2)
        let flight = FlightSelector.name("docs_dlt_ingest")
        let offsetAlone = #expect(throws: FlightsError.self) { try flights.logs(flight, runNumber: 1, offset: 1) }
        #expect(offsetAlone?.parameter == "OFFSET")
        #expect(offsetAlone?.message.contains("needs \"LIMIT\"") == true)
        let zero = #expect(throws: FlightsError.self) { try flights.logs(flight, runNumber: 1, limit: 0) }
        #expect(zero?.parameter == "LIMIT")
        #expect(try LogOrder(parsing: "DESC") == .descending)
        let order = #expect(throws: FlightsError.self) { try LogOrder(parsing: "newest") }
        #expect(order?.parameter == "ORDER")
        let missing = #expect(throws: FlightsError.self) { try flights.logs(flight, runNumber: 2) }
        #expect(missing?.kind == .notFound)
    }

    @Test func aFollowerReadsWhatArrivedAfterItsLastLine() throws {
        let (_, flights, run) = try runWithLines(5)
        #expect(try flights.logLines(run.id, after: 3).map(\.lineNumber) == [4, 5])
        #expect(try flights.logLines(run.id, after: 5).isEmpty)
        try flights.appendLogLines(run.id, [NewLogLine(.stdout, "six"), NewLogLine(.stdout, "seven")])
        #expect(try flights.logLines(run.id, after: 5, limit: 1).map(\.line) == ["six"])
    }

    @Test func appendingToAMissingRunIsNotFound() throws {
        let test = try TestHome()
        let error = #expect(throws: FlightsError.self) { try test.flights().appendLogLines(UUID(), [NewLogLine(.stdout, "x")]) }
        #expect(error?.kind == .notFound)
    }
}
