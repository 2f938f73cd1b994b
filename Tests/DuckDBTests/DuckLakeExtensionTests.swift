import DuckDB
import Foundation
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
}
