import Foundation
import HangarControlPostgres
import HangarFlights
import HangarTestSupport
import Testing

/// A shared database sees secret values only sealed, under a key every host holds and it never sees.
struct SecretSealingTests {
    @Test func theDatabaseHoldsOnlySealedValuesAndAnotherKeyCannotOpenThem() throws {
        let database = try PostgresTestServer.freshDatabase()
        let store = try PostgresTestServer.store(database: database, home: PostgresTestServer.home)
        let flights = Flights(store: store)
        let value = "sk-live-\(UUID().uuidString)"
        _ = try flights.createSecret(name: "api", params: ["API_KEY": value])

        let stored = try store.read { db in try db.rows("SELECT params FROM secrets").map { $0.value("params") } }
        #expect(stored.count == 1)
        guard case .blob(let sealed) = stored.first else {
            Issue.record("secrets.params holds \(String(describing: stored.first)), not sealed bytes")
            return
        }
        #expect(!sealed.isEmpty)
        #expect(sealed.range(of: Data(value.utf8)) == nil, "the value is in the database in the clear")
        #expect(sealed.range(of: Data("API_KEY".utf8)) == nil)
        #expect(try flights.revealSecrets(named: ["api"]).map(\.params) == [["API_KEY": value]])
        // Another host with the same key opens it.
        let sameKey = Flights(store: try PostgresTestServer.store(database: database, home: PostgresTestServer.home))
        #expect(try sameKey.revealSecrets(named: ["api"]).map(\.params) == [["API_KEY": value]])
        #expect(try sameKey.secrets().map(\.keys) == [["API_KEY"]])

        // A host with another key cannot, and says why without the value.
        let otherKey = try SecretSealer(key: SecretSealer.newKey())
        let other = Flights(store: try PostgresTestServer.store(database: database, home: PostgresTestServer.home, sealer: otherKey))
        let error = #expect(throws: FlightsError.self) { _ = try other.revealSecrets(named: ["api"]) }
        #expect(error?.kind == .storage)
        #expect(error?.message.contains("does not open with this host's control key") == true)
        #expect(error?.message.contains("HANGAR_CONTROL_KEY_FILE") == true)
        #expect(error?.description.contains(value) == false)
        #expect(throws: FlightsError.self) { _ = try other.secrets() }

        // A sealed value copied under another name does not open: the name is authenticated.
        _ = try store.write { db in
            try db.execute("INSERT INTO secrets SELECT 'copy', params, created_at, updated_at FROM secrets")
        }
        let copied = #expect(throws: FlightsError.self) { _ = try flights.revealSecrets(named: ["copy"]) }
        #expect(copied?.message.contains("does not open") == true)
    }

    @Test func aKeyMustBe32Bytes() {
        let error = #expect(throws: FlightsError.self) { _ = try SecretSealer(key: Data(count: 16)) }
        #expect(error?.message.contains("32 bytes") == true)
    }
}
