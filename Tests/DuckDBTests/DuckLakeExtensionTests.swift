import DuckDB
import Foundation
import HangarTestSupport
import Testing

/// DuckLake's extensions come from the provisioned cache (`make setup`), loaded by path, with
/// autoloading and autoinstalling off: nothing is downloaded while a query runs.
struct DuckLakeExtensionTests {
    @Test func theExtensionsLoadFromTheCacheWithDownloadsOff() throws {
        let connection = try Database().connect()
        let location = DuckLakeLocation(catalog: "dbname=unused", metadataSchema: "ducklake_x", dataPath: "s3://bucket/lake/")
        #expect(DuckLake.extensions(forDataPath: location.dataPath) == ["ducklake", "postgres_scanner", "httpfs"])
        #expect(DuckLake.extensions(forDataPath: "/shared/lake") == ["ducklake", "postgres_scanner"])
        try DuckLake.prepare(connection, for: location)
        for name in ["ducklake", "postgres_scanner", "httpfs"] {
            let file = try ProvisionedExtensions.file(name)
            #expect(ProvisionedExtensions.directories().contains { file.path.hasPrefix($0.path) })
            #expect(try connection.scalar("SELECT loaded FROM duckdb_extensions() WHERE extension_name = ?", [name], as: Bool.self) == true, "\(name)")
        }
        #expect(try connection.scalar("SELECT current_setting('autoinstall_known_extensions')", as: Bool.self) == false)
        #expect(try connection.scalar("SELECT current_setting('autoload_known_extensions')", as: Bool.self) == false)
        // A second preparation finds them loaded.
        try DuckLake.prepare(connection, for: location)
    }

    @Test func anUnreachableCatalogIsAnErrorWithoutThePassword() throws {
        let connection = try Database().connect()
        let location = DuckLakeLocation(catalog: "postgres://hangar:s3cret@/nowhere?host=/nonexistent-socket-folder",
                                        metadataSchema: "ducklake_x", dataPath: "/tmp/unused-lake/")
        let error = #expect(throws: DuckDBError.self) { try DuckLake.attach(location, as: "lake", to: connection) }
        #expect(error?.message.contains("cannot attach the DuckLake database lake") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("s3cret") == false, "\(error?.message ?? "")")
    }

    /// Each lake connection spills into a folder of its own, not DuckDB's default `.tmp` in the
    /// working directory, which processes started in one folder would share and remove under
    /// each other (a concurrent writer then failed to read back what it spilled, or crashed).
    @Test func lakeConnectionsSpillIntoAFolderOfTheirOwn() throws {
        let catalog = try PostgresTestServer.controlURL(database: try PostgresTestServer.freshDatabase())
        let scratch = try ScratchDirectory()
        let location = DuckLakeLocation(catalog: catalog, metadataSchema: "ducklake_spill", dataPath: scratch.path("lake") + "/")
        let folders = try (0..<2).map { _ in
            try DuckLake.connect(location).scalar("SELECT current_setting('temp_directory')", as: String.self) ?? ""
        }
        #expect(folders[0] != folders[1], "\(folders)")
        for folder in folders {
            #expect(folder.hasPrefix(FileManager.default.temporaryDirectory.path) && folder.contains("hangar-duckdb-\(getpid())-"), "\(folder)")
        }
    }

    /// S3 settings left out of a lake's object store come from the AWS variables; an `http://`
    /// endpoint means no TLS and path-style URLs.
    @Test func objectStoreSettingsFillFromTheEnvironment() {
        let store = DuckLakeObjectStore(region: "eu-west-1").resolved(environment: [
            "AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "shh", "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9000/", "AWS_SESSION_TOKEN": "token",
        ])
        #expect(store == DuckLakeObjectStore(endpoint: "127.0.0.1:9000", region: "eu-west-1", urlStyle: "path", useSSL: false,
                                             keyID: "AKIA", secret: "shh", sessionToken: "token"))
        // A key given with the lake never pairs with the environment's session token.
        let given = DuckLakeObjectStore(keyID: "mine", secret: "own").resolved(environment: ["AWS_SESSION_TOKEN": "token"])
        #expect(given.sessionToken == nil && given.keyID == "mine")
        #expect(DuckLakeObjectStore().resolved(environment: [:]) == DuckLakeObjectStore())
    }
}
