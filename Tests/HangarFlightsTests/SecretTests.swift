import Foundation
@testable import HangarFlights
import Testing

struct SecretTests {
    static let value = "sk-live-0123456789"

    @Test func secretsListNamesAndKeysNeverValues() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let created = try flights.createSecret(name: "API_Secret", params: ["API_KEY": Self.value, "API_HOST": "api.example.com"])
        #expect(created.name == "api_secret")
        #expect(created.keys == ["API_HOST", "API_KEY"])
        let listed = try flights.secrets()
        #expect(listed.map(\.name) == ["api_secret"])
        #expect(listed.first?.keys == ["API_HOST", "API_KEY"])
        var dumped = ""
        dump(listed, to: &dumped)
        #expect(!"\(listed)".contains(Self.value) && !dumped.contains(Self.value))
    }

    @Test func revealedSecretsCarryValuesButNeverPrintThem() throws {
        let test = try TestHome()
        let flights = try test.flights()
        try flights.createSecret(name: "a", params: ["API_KEY": Self.value])
        try flights.createSecret(name: "b", params: ["API_KEY": "second"])
        let revealed = try flights.revealSecrets(named: ["B", "a"])
        #expect(revealed.map(\.name) == ["b", "a"])
        #expect(revealed[1].params == ["API_KEY": Self.value])
        var dumped = ""
        dump(revealed, to: &dumped)
        for text in ["\(revealed)", String(reflecting: revealed), "\(revealed[1])", dumped] {
            #expect(!text.contains(Self.value), "\(text)")
        }
        #expect("\(revealed[1])".contains("API_KEY"))
    }

    @Test func aMissingSecretNamedByAFlightIsNotFoundNamingEveryMissingOne() throws {
        let test = try TestHome()
        let flights = try test.flights()
        try flights.createSecret(name: "present", params: ["K": Self.value])
        let error = #expect(throws: FlightsError.self) { try flights.revealSecrets(named: ["present", "gone", "also_gone"]) }
        #expect(error?.kind == .notFound)
        #expect(error?.message.contains("\"gone\", \"also_gone\"") == true)
        #expect(error?.message.contains(Self.value) == false)
    }

    @Test func createWithoutReplaceRefusesAnExistingSecretAndReplaceKeepsItsCreationTime() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let first = try flights.createSecret(name: "s", params: ["OLD": Self.value])
        let error = #expect(throws: FlightsError.self) { try flights.createSecret(name: "S", params: ["NEW": "x"]) }
        #expect(error?.kind == .conflict)
        #expect(error?.message.contains(Self.value) == false)
        test.clock.advance(10)
        let replaced = try flights.createSecret(name: "S", params: ["NEW": "x"], replace: true)
        #expect(replaced.keys == ["NEW"])
        #expect(replaced.createdAt == first.createdAt)
        #expect(replaced.updatedAt == test.clock.now)
        #expect(try flights.secrets() == [replaced])
        #expect(try flights.revealSecrets(named: ["s"]).first?.params == ["NEW": "x"])
    }

    @Test func paramsMustBeNonEmptyAndUsableAsEnvironmentWithoutQuotingValues() throws {
        let test = try TestHome()
        let flights = try test.flights()
        let empty = #expect(throws: FlightsError.self) { try flights.createSecret(name: "s", params: [:]) }
        #expect(empty?.parameter == "params")
        for params in [["MOTHERDUCK_TOKEN": Self.value], ["A=B": Self.value], ["K": Self.value + "\0"]] {
            let error = #expect(throws: FlightsError.self) { try flights.createSecret(name: "s", params: params) }
            #expect(error?.parameter == "params")
            #expect(error?.message.contains(Self.value) == false)
        }
        let badName = #expect(throws: FlightsError.self) { try flights.createSecret(name: "has-dash", params: ["K": "v"]) }
        #expect(badName?.parameter == "name")
        #expect(try flights.secrets().isEmpty)
    }

    @Test func deletingASecretRemovesItAndASecondDeleteIsNotFound() throws {
        let test = try TestHome()
        let flights = try test.flights()
        try flights.createSecret(name: "s", params: ["K": "v"])
        try flights.deleteSecret(name: "S")
        #expect(try flights.secrets().isEmpty)
        let error = #expect(throws: FlightsError.self) { try flights.deleteSecret(name: "s") }
        #expect(error?.kind == .notFound)
    }
}
