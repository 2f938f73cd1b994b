import DuckDB
import FlightKit
import Foundation
import HangarAccount
import HangarTestSupport
import Testing

/// A flight reaches a DuckLake account database by name, as it does a file: `database(_:)` for
/// its own SQL and `pipeline(_:database:)` for loads, with no lease taken.
struct DuckLakeAccountDatabaseTests {
    @Test(.timeLimit(.minutes(3)))
    func aFlightWritesAndLoadsALakeByName() async throws {
        let scratch = try ScratchDirectory()
        let home = scratch.path("home")
        let catalog = try PostgresTestServer.controlURL(database: try PostgresTestServer.freshDatabase())
        try DuckLakeCreation(home: HangarHome(URL(fileURLWithPath: home)), environment: [:])
            .create(name: "lake", dataPath: scratch.path("lake"), catalog: catalog)
        let flight = FlightContext(environment: ["HANGAR_HOME": home, "HANGAR_FLIGHT_NAME": "loader"])

        let database = try flight.database("lake")
        #expect(try database.lake != nil)
        try database.write { connection in
            try connection.execute("CREATE TABLE runs AS SELECT 1 AS run")
        }
        let pipeline = try flight.pipeline("lake_loader", database: "lake", dataset: "raw")
        _ = try await pipeline.run((0..<5).map { IngestValue.object([(key: "id", value: .int(Int64($0)))]) }, table: "items",
                                   writeDisposition: .merge, primaryKey: ["id"])
        let counts = try database.use { connection in
            [try connection.scalar("SELECT count(*) FROM runs", as: Int.self), try connection.scalar("SELECT count(*) FROM raw.items", as: Int.self)]
        }
        #expect(counts == [1, 5])
        #expect(!FileManager.default.fileExists(atPath: home + "/databases/lake.ducklake.lease"), "no lease for a lake")
    }
}
