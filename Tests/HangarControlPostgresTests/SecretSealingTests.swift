import Foundation
import HangarControlPostgres
import Testing

struct SecretSealingTests {
    @Test func theDatabaseHoldsOnlySealedValues() async throws {
        try await PostgresTestServer.withFreshStore { store, _ in
            let sealer = try SecretSealer(key: SecretSealer.newKey())
            let value = "sk-live-\(UUID().uuidString)"
            try await store.putSecret(name: "api", params: ["API_KEY": value], sealer: sealer)
            var stored = Data()
            for try await bytes in try await store.client.query("SELECT sealed_params FROM secrets").decode(Data.self) {
                stored = bytes
            }
            #expect(!stored.isEmpty)
            #expect(stored.range(of: Data(value.utf8)) == nil, "the value is in the database in the clear")
            #expect(stored.range(of: Data("API_KEY".utf8)) == nil)
            #expect(try await store.revealSecret(name: "api", sealer: sealer) == ["API_KEY": value])

            let other = try SecretSealer(key: SecretSealer.newKey())
            let error = await #expect(throws: PostgresControlError.self) { _ = try await store.revealSecret(name: "api", sealer: other) }
            #expect(error?.description.contains(value) == false)
            // A sealed value copied under another name does not open.
            try await store.client.query("INSERT INTO secrets SELECT 'copy', sealed_params, created_at, updated_at FROM secrets")
            await #expect(throws: PostgresControlError.self) { _ = try await store.revealSecret(name: "copy", sealer: sealer) }
        }
    }

    @Test func aKeyMustBe32Bytes() {
        #expect(throws: PostgresControlError.self) { _ = try SecretSealer(key: Data(count: 16)) }
    }
}
