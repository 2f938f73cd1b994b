import Foundation
@testable import HangarFlights
import Testing

/// The reference's versioning rules: content makes versions, metadata does not.
struct VersioningTests {
    @Test func createMakesVersionOneFromTheContentFields() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(
            name: "docs_dlt_ingest", sourceCode: "import dlt\n", requirementsTxt: "dlt==1.27.0",
            scheduleCron: "15 7 * * *", config: ["REPOS": "duckdb/duckdb"], secretNames: ["GitHub_Token"],
            accessTokenName: "service", maxRuntimeSec: 600, instanceType: "small"))
        #expect(flight.currentVersion == 1)
        #expect(flight.name == "docs_dlt_ingest")
        #expect(flight.runtime == .python)
        #expect(flight.ownerName == "tester")
        #expect(flight.scheduleCron == "15 7 * * *")
        #expect(flight.scheduleStatus == .active)

        let version = try flights.version(.id(flight.id), number: 1)
        #expect(version.sourceCode == "import dlt\n")
        #expect(version.requirementsTxt == "dlt==1.27.0")
        #expect(version.version.config == ["REPOS": "duckdb/duckdb"])
        #expect(version.version.secretNames == ["github_token"])
        #expect(version.version.accessTokenName == "service")
        #expect(version.version.maxRuntimeSec == 600)
        #expect(version.version.instanceType == "small")
        #expect(version.version.flightID == flight.id)
        #expect(try flights.versions(.id(flight.id)).map(\.number) == [1])
    }

    /// Each content field on its own makes a new version, and the others carry forward.
    @Test(arguments: [
        "source_code", "runtime", "requirements_txt", "config", "flight_secret_names", "access_token_name",
        "max_runtime_sec", "instance_type",
    ])
    func eachContentFieldMakesANewVersionAndTheRestCarryForward(field: String) throws {
        let update = switch field {
        case "source_code": FlightUpdate(sourceCode: .set("print('v2')\n"))
        case "runtime": FlightUpdate(runtime: .set(.swift))
        case "requirements_txt": FlightUpdate(requirementsTxt: .set("httpx==0.28.1"))
        case "config": FlightUpdate(config: .set(["A": "2"]))
        case "flight_secret_names": FlightUpdate(secretNames: .set(["other"]))
        case "access_token_name": FlightUpdate(accessTokenName: .set("robot"))
        case "max_runtime_sec": FlightUpdate(maxRuntimeSec: .set(60))
        default: FlightUpdate(instanceType: .set("large"))
        }
        let test = try TestHome()
        let flights = try test.flights()
        let original = NewFlight(
            name: "f", sourceCode: "print('v1')\n", requirementsTxt: "dlt==1.27.0", config: ["A": "1"],
            secretNames: ["api"], accessTokenName: "service", maxRuntimeSec: 30, instanceType: "small")
        let flight = try flights.create(original)
        let updated = try flights.update(.id(flight.id), update)
        #expect(updated.currentVersion == 2)

        let v1 = try flights.version(.id(flight.id), number: 1)
        let v2 = try flights.version(.id(flight.id), number: 2)
        func pick<T: Equatable>(_ patch: PatchValue<T>, _ old: T?) -> T? {
            if case .set(let value) = patch { return value }
            return old
        }
        #expect(v2.sourceCode == pick(update.sourceCode, v1.sourceCode))
        #expect(v2.version.runtime == pick(update.runtime, v1.version.runtime))
        #expect(v2.requirementsTxt == pick(update.requirementsTxt, v1.requirementsTxt))
        #expect(v2.version.config == pick(update.config, v1.version.config))
        #expect(v2.version.secretNames == pick(update.secretNames, v1.version.secretNames))
        #expect(v2.version.accessTokenName == pick(update.accessTokenName, v1.version.accessTokenName))
        #expect(v2.version.maxRuntimeSec == pick(update.maxRuntimeSec, v1.version.maxRuntimeSec))
        #expect(v2.version.instanceType == pick(update.instanceType, v1.version.instanceType))
        // Version 1 is untouched.
        #expect(v1.sourceCode == "print('v1')\n")
        #expect(v1.version.config == ["A": "1"])
        #expect(v1.version.maxRuntimeSec == 30)
        #expect(v2.version.id != v1.version.id)
    }

    @Test func configAndSecretNamesAreReplacedWholeNotMerged() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "x", config: ["A": "1", "B": "2"], secretNames: ["one", "two"]))
        _ = try flights.update(.id(flight.id), FlightUpdate(config: .set(["C": "3"]), secretNames: .set(["three"])))
        let current = try flights.currentVersion(.id(flight.id)).version
        #expect(current.config == ["C": "3"])
        #expect(current.secretNames == ["three"])
    }

    @Test func nameAndScheduleChangesAreMetadataOnly() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        test.clock.advance(60)
        let renamed = try flights.update(.id(flight.id), FlightUpdate(name: .set("renamed")))
        #expect(renamed.name == "renamed")
        #expect(renamed.currentVersion == 1)
        #expect(renamed.updatedAt == flight.updatedAt + 60)
        let scheduled = try flights.update(.id(flight.id), FlightUpdate(scheduleCron: .set("15 7 * * *"), catchUp: .set(.all)))
        #expect(scheduled.scheduleCron == "15 7 * * *")
        #expect(scheduled.scheduleStatus == .active)
        #expect(scheduled.catchUp == .all)
        let disabled = try flights.update(.id(flight.id), FlightUpdate(scheduleStatus: .set(.disabled)))
        #expect(disabled.scheduleStatus == .disabled)
        #expect(disabled.currentVersion == 1)
        #expect(try flights.versions(.id(flight.id)).count == 1)
    }

    @Test func anEmptyScheduleOrNullClearsIt() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let a = try flights.create(NewFlight(name: "a", sourceCode: "x", scheduleCron: "*/15 * * * *"))
        let b = try flights.create(NewFlight(name: "b", sourceCode: "x", scheduleCron: "*/15 * * * *"))
        let clearedByEmpty = try flights.update(.id(a.id), FlightUpdate(scheduleCron: .set("")))
        let clearedByNull = try flights.update(.id(b.id), FlightUpdate(scheduleCron: .null))
        for flight in [clearedByEmpty, clearedByNull] {
            #expect(flight.scheduleCron == nil)
            #expect(flight.scheduleStatus == nil)
            #expect(flight.nextFire == nil)
            #expect(flight.currentVersion == 1)
        }
        #expect(try flights.scheduledFlights().isEmpty)
    }

    @Test func explicitNullClearsNullableOptionsInANewVersion() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(
            name: "f", sourceCode: "x", requirementsTxt: "dlt", config: ["A": "1"], secretNames: ["s"],
            accessTokenName: "t", maxRuntimeSec: 5, instanceType: "small"))
        let updated = try flights.update(.id(flight.id), FlightUpdate(
            requirementsTxt: .null, config: .null, secretNames: .null, accessTokenName: .null, maxRuntimeSec: .null,
            instanceType: .null))
        #expect(updated.currentVersion == 2)
        let v2 = try flights.version(.id(flight.id), number: 2)
        #expect(v2.requirementsTxt == nil)
        #expect(v2.version.config == [:])
        #expect(v2.version.secretNames == [])
        #expect(v2.version.accessTokenName == nil)
        #expect(v2.version.maxRuntimeSec == nil)
        #expect(v2.version.instanceType == nil)
        #expect(v2.sourceCode == "x")
    }

    @Test func nullOnARequiredFieldIsRejectedNamingIt() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample())
        for (update, parameter) in [
            (FlightUpdate(name: .null), "name"), (FlightUpdate(sourceCode: .null), "source_code"),
            (FlightUpdate(runtime: .null), "runtime"), (FlightUpdate(scheduleStatus: .null), "schedule_status"),
        ] {
            let error = #expect(throws: FlightsError.self) { try flights.update(.id(flight.id), update) }
            #expect(error?.kind == .invalidArgument)
            #expect(error?.parameter == parameter)
        }
    }

    @Test func anUpdateThatChangesNothingMakesNoVersion() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(
            name: "f", sourceCode: "x", requirementsTxt: "dlt", scheduleCron: "0 * * * *", config: ["A": "1"],
            secretNames: ["s"], maxRuntimeSec: 5))
        test.clock.advance(60)
        let same = try flights.update(.id(flight.id), FlightUpdate(
            name: .set("f"), sourceCode: .set("x"), runtime: .set(.python), requirementsTxt: .set("dlt"),
            scheduleCron: .set("0 * * * *"), config: .set(["A": "1"]), secretNames: .set(["S"]), maxRuntimeSec: .set(5)))
        #expect(same == flight)
        let empty = try flights.update(.id(flight.id), FlightUpdate())
        #expect(empty == flight)
        #expect(try flights.versions(.id(flight.id)).count == 1)
    }

    @Test func aRunIsLockedToTheVersionCurrentWhenItWasTriggered() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "v1", config: ["A": "1"]))
        let first = try flights.triggerRun(.id(flight.id))
        _ = try flights.update(.id(flight.id), FlightUpdate(sourceCode: .set("v2"), config: .set(["A": "2"])))
        let second = try flights.triggerRun(.id(flight.id))
        #expect(first.flightVersion == 1)
        #expect(first.config == ["A": "1"])
        #expect(try flights.run(.id(flight.id), number: 1).flightVersion == 1)
        #expect(second.flightVersion == 2)
        #expect(second.config == ["A": "2"])
        #expect(try flights.version(.id(flight.id), number: first.flightVersion).sourceCode == "v1")
    }

    @Test func versionsAreListedNewestFirstWithPaging() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "v1"))
        for number in 2...55 {
            _ = try flights.update(.id(flight.id), FlightUpdate(sourceCode: .set("v\(number)")))
        }
        let firstPage = try flights.versions(.id(flight.id))
        #expect(firstPage.count == 50)
        #expect(firstPage.first?.number == 55)
        #expect(try flights.versions(.id(flight.id), limit: 3, offset: 2).map(\.number) == [53, 52, 51])
        #expect(try flights.versions(.name("f"), limit: 100).count == 55)
        let missing = #expect(throws: FlightsError.self) { try flights.version(.id(flight.id), number: 56) }
        #expect(missing?.kind == .notFound)
        #expect(missing?.message.contains("1 to 55") == true)
    }

    /// The store refuses to change a version even when asked directly.
    @Test func versionsAreImmutableInTheStore() throws {
        let test = try TestHome()
        let flights = try test.flights()
        _ = try flights.create(.sample())
        #expect(throws: (any Error).self) {
            try flights.store.write { db in try db.execute("UPDATE flight_versions SET source_code = 'evil'") }
        }
        #expect(try flights.currentVersion(.name("docs_dlt_ingest")).sourceCode == "print('hello')\n")
    }
}
