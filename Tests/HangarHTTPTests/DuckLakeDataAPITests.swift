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

    /// A lake made over HTTP (as CREATE DATABASE makes one), its maintenance set, run and listed;
    /// secrets go in and never come out; a file database or a bad value is a 400.
    @Test(.timeLimit(.minutes(5)))
    func aLakeIsCreatedAndMaintainedOverHTTP() async throws {
        let test = try FlightsTestHome()
        let catalog = try PostgresTestServer.controlURL(database: try PostgresTestServer.freshDatabase())
        try FileManager.default.createDirectory(atPath: test.home + "/databases", withIntermediateDirectories: true)
        try Database(path: test.home + "/databases/shop.duckdb").connect().execute("CREATE TABLE t AS SELECT 1 AS x")
        let server = try await test.serve()
        let api = try server.client()

        let created = try await api.post("/api/v1/databases", [
            "name": "events", "type": "ducklake", "data_path": try S3TestServer.freshPrefix(), "catalog": catalog,
            "s3_endpoint": try S3TestServer.endpoint(), "s3_region": S3TestServer.region, "s3_key_id": S3TestServer.keyID,
            "s3_secret": S3TestServer.secret, "maintenance_schedule": "0 3 * * *",
        ])
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json["type"] as? String == "ducklake")
        #expect(!created.text.contains(S3TestServer.secret))
        let again = try await api.post("/api/v1/databases", ["name": "events", "type": "ducklake", "data_path": test.scratch.path("x"), "catalog": catalog])
        #expect(again.status == 409, "\(again.text)")
        let typo = try await api.post("/api/v1/databases", ["name": "e2", "type": "ducklake", "data_path": "/tmp/x", "catalogue": catalog])
        #expect(typo.status == 400 && typo.text.contains("catalogue"), "\(typo.text)")
        #expect(try await api.post("/api/v1/databases", ["name": "e3", "type": "duckdb"]).status == 400)

        let rows = try await api.post("/api/v1/sql", ["sql": "CREATE TABLE hits AS SELECT range AS id FROM range(1000)", "database": "events"])
        #expect(rows.status == 200, "\(rows.text)")
        let settings = try await api.get("/api/v1/databases/events/maintenance")
        #expect(settings.json["schedule"] as? String == "0 3 * * *")
        #expect(settings.json["next_fire"] is String)
        #expect((settings.json["runs"] as? [Any])?.isEmpty == true)
        let badCron = try await api.put("/api/v1/databases/events/maintenance", ["schedule": "61 * * * *"])
        #expect(badCron.status == 400, "\(badCron.text)")
        let set = try await api.put("/api/v1/databases/events/maintenance", ["schedule": NSNull(), "expire_older_than": "2 days"])
        #expect(set.status == 200, "\(set.text)")
        #expect(set.json["schedule"] is NSNull && set.json["expire_older_than"] as? String == "2 days", "\(set.text)")

        let run = try await api.post("/api/v1/databases/events/maintenance?wait=10")
        #expect(run.status == 200, "\(run.text)")
        #expect(run.json["outcome"] as? String == "succeeded", "\(run.text)")
        #expect((run.json["steps"] as? [[String: Any]])?.count == 6)
        let listed = try await api.get("/api/v1/databases/events/maintenance")
        #expect((listed.json["runs"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["succeeded"])
        #expect(!listed.text.contains(S3TestServer.secret))
        #expect(try await api.post("/api/v1/databases/shop/maintenance").status == 400)
        #expect(try await api.get("/api/v1/databases/nowhere/maintenance").status == 404)
    }
}
