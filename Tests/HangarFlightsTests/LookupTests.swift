import Foundation
@testable import HangarFlights
import Testing

/// Finding flights by id or name, and listing them page by page.
struct LookupTests {
    @Test func aSelectorIsAnIdWhenTheTextIsAUUIDAndANameOtherwise() {
        let id = UUID()
        #expect(FlightSelector(id.uuidString) == .id(id))
        #expect(FlightSelector(id.uuidString.lowercased()) == .id(id))
        #expect(FlightSelector("docs_dlt_ingest") == .name("docs_dlt_ingest"))
    }

    @Test func aFlightIsFoundByIdAndByNameIgnoringCase() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample("Docs_DLT_Ingest"))
        #expect(try flights.flight(.id(flight.id)) == flight)
        #expect(try flights.flight(.name("Docs_DLT_Ingest")) == flight)
        #expect(try flights.flight(.name("docs_dlt_ingest")) == flight)
        #expect(try flights.flight(FlightSelector(flight.id.uuidString)) == flight)
    }

    @Test func aMissingFlightIsNotFoundAndSaysWhichOne() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let byName = #expect(throws: FlightsError.self) { try flights.flight(.name("nope")) }
        #expect(byName?.kind == .notFound)
        #expect(byName?.message.hasPrefix("no flight is named \"nope\"") == true)
        let id = UUID()
        let byID = #expect(throws: FlightsError.self) { try flights.triggerRun(.id(id)) }
        #expect(byID?.message.hasPrefix("flight \(id.uuidString.lowercased()) does not exist") == true)
    }

    @Test func flightsAreListedInCreationOrderWithPagingAndAnOwnerFilter() throws {
        let test = try TestHome()
        let mine = try test.flights(owner: "ana")
        let theirs = try test.flights(owner: "bo")
        for index in 0..<5 {
            _ = try (index.isMultiple(of: 2) ? mine : theirs).create(.sample("f\(index)"))
            test.clock.advance(1)
        }
        #expect(try mine.list().map(\.name) == ["f0", "f1", "f2", "f3", "f4"])
        #expect(try mine.list(limit: 2, offset: 1).map(\.name) == ["f1", "f2"])
        #expect(try mine.list(offset: 3).map(\.name) == ["f3", "f4"])
        #expect(try mine.list(owner: "ana").map(\.name) == ["f0", "f2", "f4"])
        #expect(try mine.list(owner: "bo").map(\.ownerName) == ["bo", "bo"])
        let zero = #expect(throws: FlightsError.self) { try mine.list(limit: 0) }
        #expect(zero?.parameter == "LIMIT")
        let negative = #expect(throws: FlightsError.self) { try mine.list(offset: -1) }
        #expect(negative?.parameter == "OFFSET")
    }

    @Test func theSummaryCarriesTheCurrentRuntimeAndTimestamps() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let created = try flights.create(NewFlight(name: "f", sourceCode: "print(1)", runtime: .swift))
        #expect(created.runtime == .swift)
        #expect(created.createdAt == test.clock.now)
        #expect(created.updatedAt == test.clock.now)
        #expect(created.scheduleCron == nil && created.scheduleStatus == nil && created.nextFire == nil)
    }
}
