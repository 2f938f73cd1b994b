import Foundation
@testable import HangarFlights
import Testing

/// Limits and reserved names, each rejected with the parameter at fault named, on create and on
/// update alike.
struct ValidationTests {
    private func rejection(_ new: NewFlight) throws -> FlightsError? {
        let test = try TestHome()
        let flights = try test.flights()
        let error = #expect(throws: FlightsError.self) { try flights.create(new) }
        #expect(try flights.list().isEmpty, "a rejected create must store nothing")
        return error
    }

    private func updateRejection(_ update: FlightUpdate) throws -> FlightsError? {
        let test = try TestHome()
        let flights = try test.flights()
        let flight = try flights.create(.sample(config: ["A": "1"]))
        let error = #expect(throws: FlightsError.self) { try flights.update(.id(flight.id), update) }
        #expect(try flights.flight(.id(flight.id)) == flight, "a rejected update must change nothing")
        return error
    }

    @Test(arguments: ["", String(repeating: "a", count: 129), "has space", "semi;colon", "-leading", "émigré",
                      "123e4567-e89b-12d3-a456-426614174000"])
    func badNamesAreRejected(name: String) throws {
        let error = try rejection(NewFlight(name: name, sourceCode: "x"))
        #expect(error?.kind == .invalidArgument)
        #expect(error?.parameter == "name")
    }

    @Test(arguments: ["a", "docs_dlt_ingest", "Daily.Report-2", "_private", String(repeating: "a", count: 128)])
    func goodNamesAreAccepted(name: String) throws {
        let test = try TestHome()
        #expect(try test.flights().create(NewFlight(name: name, sourceCode: "x")).name == name)
    }

    @Test func namesAreUniqueIgnoringCase() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let first = try flights.create(.sample("Docs_Ingest"))
        let error = #expect(throws: FlightsError.self) { try flights.create(.sample("docs_ingest")) }
        #expect(error?.kind == .conflict)
        #expect(error?.message.contains("\"Docs_Ingest\" already exists") == true)
        let other = try flights.create(.sample("other"))
        let rename = #expect(throws: FlightsError.self) { try flights.update(.id(other.id), FlightUpdate(name: .set("DOCS_INGEST"))) }
        #expect(rename?.kind == .conflict)
        // A flight may change the case of its own name.
        #expect(try flights.update(.id(first.id), FlightUpdate(name: .set("docs_ingest"))).name == "docs_ingest")
    }

    @Test func sourceIsRequiredAndAtMost204800Bytes() throws {
        #expect(try rejection(NewFlight(name: "f", sourceCode: ""))?.parameter == "source_code")
        // Multi-byte characters count in bytes: 102,401 two-byte characters are 204,802 bytes.
        let tooBig = try rejection(NewFlight(name: "f", sourceCode: String(repeating: "é", count: 102_401)))
        #expect(tooBig?.parameter == "source_code")
        #expect(tooBig?.message.contains("204802 bytes; the limit is 204800 bytes") == true)
        let test = try TestHome()
        _ = try test.flights().create(NewFlight(name: "f", sourceCode: String(repeating: "#", count: 204_800)))
        #expect(try updateRejection(FlightUpdate(sourceCode: .set(String(repeating: "#", count: 204_801))))?.parameter == "source_code")
    }

    @Test func requirementsAreAtMost20480Bytes() throws {
        let error = try rejection(NewFlight(name: "f", sourceCode: "x", requirementsTxt: String(repeating: "a", count: 20_481)))
        #expect(error?.parameter == "requirements_txt")
        let test = try TestHome()
        _ = try test.flights().create(NewFlight(name: "f", sourceCode: "x", requirementsTxt: String(repeating: "a", count: 20_480)))
    }

    @Test(arguments: [
        "MOTHERDUCK_TOKEN", "motherduck_token", "MOTHERDUCK_FLIGHTS_RUN", "MOTHERDUCK_FLIGHT_ID",
        "MOTHERDUCK_FLIGHT_RUN_ID", "HANGAR_RUN_ID", "HANGAR_FLIGHT_ID",
    ])
    func reservedConfigKeysAreRejected(key: String) throws {
        let error = try rejection(.sample(config: [key: "x"]))
        #expect(error?.parameter == "config")
        #expect(error?.message.contains("\"\(key)\" is reserved") == true)
        #expect(try updateRejection(FlightUpdate(config: .set([key: "x"])))?.parameter == "config")
    }

    @Test func configKeysAndValuesMustSuitTheEnvironment() throws {
        for (config, words) in [
            (["": "x"], "empty key"), (["A=B": "x"], "contains '='"), (["A\0B": "x"], "NUL"),
            (["A": "x\0y"], "value of config key \"A\" contains a NUL"),
        ] {
            let error = try rejection(.sample(config: config))
            #expect(error?.parameter == "config")
            #expect(error?.message.contains(words) == true, "\(error?.message ?? "")")
        }
        // Values are otherwise free: '=', spaces, newlines.
        let test = try TestHome()
        _ = try test.flights().create(.sample(config: ["QUERY": "a=b c\nd", "lower_case": ""]))
    }

    @Test func anInvalidScheduleIsRejectedWithTheCronParsersReason() throws {
        let bare = try rejection(NewFlight(name: "f", sourceCode: "x", scheduleCron: "/15 * * * *"))
        #expect(bare?.parameter == "schedule_cron")
        #expect(bare?.message.contains("minute field") == true, "\(bare?.message ?? "")")
        let range = try rejection(NewFlight(name: "f", sourceCode: "x", scheduleCron: "61 * * * *"))
        #expect(range?.message.contains("out of range") == true, "\(range?.message ?? "")")
        let never = try rejection(NewFlight(name: "f", sourceCode: "x", scheduleCron: "0 0 30 2 *"))
        #expect(never?.message.contains("never fires") == true)
        #expect(try updateRejection(FlightUpdate(scheduleCron: .set("* * *")))?.parameter == "schedule_cron")
    }

    @Test func runtimeIsPythonOrSwift() throws {
        #expect(try FlightRuntime(parsing: "Swift") == .swift)
        #expect(try FlightRuntime(parsing: "python") == .python)
        let error = #expect(throws: FlightsError.self) { try FlightRuntime(parsing: "ruby") }
        #expect(error?.parameter == "runtime")
    }

    @Test func maxRuntimeIsZeroOrMoreAndFitsAUInteger() throws {
        #expect(try rejection(NewFlight(name: "f", sourceCode: "x", maxRuntimeSec: -1))?.parameter == "max_runtime_sec")
        #expect(try rejection(NewFlight(name: "f", sourceCode: "x", maxRuntimeSec: Int(UInt32.max) + 1))?.parameter == "max_runtime_sec")
        let test = try TestHome()
        let flight = try test.flights().create(NewFlight(name: "f", sourceCode: "x", maxRuntimeSec: 0))
        #expect(try test.flights().currentVersion(.id(flight.id)).version.maxRuntimeSec == 0)
    }

    @Test func secretNamesMustBeUsableAndAreLowerCased() throws {
        for name in ["", "has-dash", "1starts_with_digit"] {
            #expect(try rejection(NewFlight(name: "f", sourceCode: "x", secretNames: [name]))?.parameter == "flight_secret_names")
        }
        let test = try TestHome()
        let flights = try test.flights()
        // Secrets may be named before they exist (the hosted service allows it); the run fails then.
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "x", secretNames: ["API_Secret", "other"]))
        #expect(try flights.currentVersion(.id(flight.id)).version.secretNames == ["api_secret", "other"])
    }

    @Test func labelsRejectControlCharactersAndEmptyMeansUnset() throws {
        #expect(try rejection(NewFlight(name: "f", sourceCode: "x", accessTokenName: "a\nb"))?.parameter == "access_token_name")
        #expect(try rejection(NewFlight(name: "f", sourceCode: "x", instanceType: String(repeating: "x", count: 257)))?.parameter == "instance_type")
        let test = try TestHome()
        let flight = try test.flights().create(NewFlight(name: "f", sourceCode: "x", requirementsTxt: "", accessTokenName: ""))
        let version = try test.flights().currentVersion(.id(flight.id))
        #expect(version.requirementsTxt == nil)
        #expect(version.version.accessTokenName == nil)
    }

    @Test func schedulingStatusNeedsASchedule() throws {
        let error = try updateRejection(FlightUpdate(scheduleStatus: .set(.active)))
        #expect(error?.parameter == "schedule_status")
        #expect(error?.message.contains("set schedule_cron first") == true)
    }
}
