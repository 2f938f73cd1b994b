import DuckDB
import Foundation
import HangarAccount
import HangarTestSupport
import Testing

/// A DuckLake account database over HTTP: listed with the files (type `ducklake`), its tables
/// and samples, and the SQL box, attached by name without a lease.
struct DuckLakeDataAPITests {
    @Test(.timeLimit(.minutes(5)))
    func aLakeIsListedBrowsedAndQueried() async throws {
        let test = try FlightsTestHome()
        let home = HangarHome(URL(fileURLWithPath: test.home))
        let catalog = try PostgresTestServer.controlURL(database: try PostgresTestServer.freshDatabase())
        try DuckLakeCreation(home: home, environment: [:]).create(name: "lake", dataPath: test.scratch.path("lake"), catalog: catalog)
        let lake = try DuckLake.connect(try DuckLakeDescriptor.read(from: home.lakeDescriptor("lake")).location)
        try lake.execute("CREATE TABLE orders AS SELECT range AS id, 'c' || range AS customer FROM range(4)")
        try Database(path: test.home + "/databases/shop.duckdb").connect().execute("CREATE TABLE t AS SELECT 1 AS x")

        let server = try await test.serve()
        let api = try server.client()
        let databases = try await api.get("/api/v1/databases")
        #expect(databases.items.map { $0["name"] as? String } == ["lake", "shop"])
        #expect(databases.items.map { $0["type"] as? String } == ["ducklake", "duckdb"])
        let tables = try await api.get("/api/v1/databases/lake/tables")
        #expect(tables.status == 200)
        #expect(tables.items.map { $0["table"] as? String } == ["orders"])
        let sample = try await api.get("/api/v1/databases/lake/tables/main/orders?limit=2")
        #expect(sample.status == 200)
        #expect((sample.json["rows"] as? [[Any]])?.count == 2)
        let joined = try await api.post("/api/v1/sql", ["sql": "SELECT count(*) AS n FROM lake.main.orders, shop.main.t"])
        #expect(joined.json["rows"] as? [[Int]] == [[4]], "\(joined.json)")
        #expect(try await api.post("/api/v1/sql", ["sql": "INSERT INTO orders VALUES (9, 'z')", "database": "lake"]).status == 200)
        #expect(try lake.scalar("SELECT count(*) FROM orders", as: Int.self) == 5)
    }
}
