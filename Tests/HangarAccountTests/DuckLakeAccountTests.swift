import DuckDB
import Foundation
@testable import HangarAccount
import HangarTestSupport
import Testing

/// DuckLake account databases: recorded by a descriptor in the home, listed with the files,
/// attached by name without a lease (what `hangar sql` and the HTTP API do).
struct DuckLakeAccountTests {
    let scratch: ScratchDirectory
    let home: HangarHome

    init() throws {
        scratch = try ScratchDirectory()
        home = HangarHome(scratch.url.appendingPathComponent("home"))
    }

    @Test(.timeLimit(.minutes(3)))
    func aLakeIsListedAndAttachedByNameWithoutALease() throws {
        let catalog = try PostgresTestServer.controlURL(database: try PostgresTestServer.freshDatabase())
        let data = scratch.path("shared/events")
        let descriptorFile = try DuckLakeCreation(home: home, environment: [:]).create(name: "events", dataPath: data, catalog: catalog)
        #expect(descriptorFile == home.databases.appendingPathComponent("events.ducklake"))
        let descriptor = try DuckLakeDescriptor.read(from: descriptorFile)
        #expect(descriptor.location == DuckLakeLocation(catalog: catalog, metadataSchema: "ducklake_events", dataPath: data + "/"))
        #expect((try FileManager.default.attributesOfItem(atPath: descriptorFile.path))[.posixPermissions] as? Int == 0o600)
        #expect(try home.database("events") == descriptorFile)

        // Next to a DuckDB file, by name.
        let file = try Database(path: try home.database("docs").path).connect()
        try file.execute("CREATE TABLE t AS SELECT 1 AS x")
        let databases = home.accountDatabases()
        #expect(databases.map(\.name) == ["docs", "events"])
        #expect(databases.map(\.isLake) == [false, true])

        // Written and read by name, no lease taken (a lease holder elsewhere would not matter).
        let connection = try Database().connect()
        try LeasedAttachment.withAttached(databases, on: connection, readOnly: false, holder: LeaseHolder(purpose: "test"), leaseTimeout: 1) {
            try connection.execute("CREATE SCHEMA events.s")
            try connection.execute("CREATE TABLE events.s.t AS SELECT x, 'lake' AS y FROM docs.main.t")
        }
        #expect(!FileManager.default.fileExists(atPath: DatabaseLease.leaseFile(for: descriptorFile).path))
        #expect(try connection.scalar("SELECT count(*) FROM duckdb_databases() WHERE database_name = 'events'", as: Int.self) == 0,
                "detached afterwards")
        let read = try LeasedAttachment.withAttached([databases[1]], on: connection, readOnly: true, holder: LeaseHolder(purpose: "test"),
                                                     leaseTimeout: 1) {
            try connection.scalar("SELECT y FROM events.s.t", as: String.self)
        }
        #expect(read == "lake")

        // Dropped: the descriptor goes, the data stays.
        let dropped = try DuckLakeCreation(home: home).drop(name: "events")
        #expect(dropped == descriptor)
        #expect(home.accountDatabases().map(\.name) == ["docs"])
        #expect(FileManager.default.fileExists(atPath: data))
        // Created again on the same catalog and folder, it holds its rows.
        try DuckLakeCreation(home: home, environment: [:]).create(name: "events", dataPath: data, catalog: catalog)
        let again = try DuckLake.connect(descriptor.location)
        #expect(try again.scalar("SELECT count(*) FROM s.t", as: Int.self) == 1)
    }

    @Test func theCatalogDefaultsToTheControlDatabaseAndIsOtherwiseRequired() throws {
        let noControl = DuckLakeCreation(home: home, environment: [:])
        let error = #expect(throws: DuckLakeError.self) { try noControl.create(name: "lake", dataPath: scratch.path("d"), catalog: nil) }
        #expect(error?.kind == .catalogRequired)
        #expect(error?.message.contains("CATALOG 'postgres://") == true)
        let sqlite = DuckLakeCreation(home: home, environment: ["HANGAR_CONTROL": "sqlite:"])
        #expect(throws: DuckLakeError.self) { try sqlite.defaultCatalog() }
        let control = "postgres://hangar@db.internal:5432/hangar?sslmode=require"
        #expect(try DuckLakeCreation(home: home, environment: ["HANGAR_CONTROL": control]).defaultCatalog() == control)
    }

    @Test(.timeLimit(.minutes(3)))
    func theDefaultCatalogIsTheControlDatabaseInASchemaOfItsOwn() throws {
        let control = try PostgresTestServer.controlURL(database: try PostgresTestServer.freshDatabase())
        let creation = DuckLakeCreation(home: home, environment: ["HANGAR_CONTROL": control])
        try creation.create(name: "one", dataPath: scratch.path("one"), catalog: nil)
        try creation.create(name: "two", dataPath: scratch.path("two"), catalog: nil)
        let one = try DuckLakeDescriptor.read(from: home.lakeDescriptor("one")).location
        #expect(one.catalog == control)
        let connection = try DuckLake.connect(one)
        let schemas = try connection.query("""
            SELECT DISTINCT schema_name FROM duckdb_tables() WHERE database_name = '__ducklake_metadata_lake' AND schema_name LIKE 'ducklake%' ORDER BY 1
            """).all().map { try $0.get(0, as: String.self) }
        #expect(schemas == ["ducklake_one", "ducklake_two"])
        let exists = #expect(throws: DuckLakeError.self) { try creation.create(name: "one", dataPath: scratch.path("one"), catalog: nil) }
        #expect(exists?.kind == .exists)
    }

    @Test func passwordsAreMaskedInDescriptions() {
        #expect(DuckLakeLocation.maskingPassword("postgres://hangar:s3cret@db/hangar") == "postgres://hangar:***@db/hangar")
        #expect(DuckLakeLocation.maskingPassword("dbname=x host=y password=s3cret user=z") == "dbname=x host=y password=*** user=z")
    }
}
