import Foundation
import GRDB
import HangarAccount
import HangarTestSupport
@testable import HangarFlights
import Testing

/// The store file itself: permissions, WAL, busy timeout, migrations under concurrency.
struct StoreTests {
    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as! NSNumber).intValue
    }

    @Test(.sqliteStoreOnly()) func theStoreIsOwnerOnlyInWALModeWithABusyTimeout() throws {
        let test = try TestHome()
        let flights = try test.flights()
        _ = try flights.create(.sample())
        let file = SQLiteControlStore.file(in: test.home)
        #expect(file.lastPathComponent == "control.sqlite")
        #expect(file.path == test.home.root.path + "/control.sqlite")
        #expect(try mode(file.path) == 0o600)
        #expect(try mode(file.path + "-wal") == 0o600)
        let (journal, timeout) = try (flights.store as! SQLiteControlStore).pool.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA busy_timeout"))
        }
        #expect(journal == "wal")
        // Writers wait for each other instead of failing with "database is locked".
        #expect(timeout == 10_000)
    }

    @Test(.sqliteStoreOnly()) func anExistingFileOthersCanReadIsNarrowedToTheOwner() throws {
        let test = try TestHome()
        try FileManager.default.createDirectory(at: test.home.root, withIntermediateDirectories: true)
        let file = SQLiteControlStore.file(in: test.home)
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o644]))
        #expect(try mode(file.path) == 0o644)
        _ = try test.flights()
        #expect(try mode(file.path) == 0o600)
    }

    @Test(.sqliteStoreOnly()) func migrationsAreRecordedAndASecondOpenAppliesNothing() throws {
        let test = try TestHome()
        let first = try test.flights()
        _ = try first.create(.sample())
        let second = try test.flights()
        #expect(try second.flight(.name("docs_dlt_ingest")).currentVersion == 1)
        let applied = try (second.store as! SQLiteControlStore).pool.read { db in try ControlSchema.migrator.appliedIdentifiers(db) }
        #expect(applied == Set(ControlSchema.migrator.migrations))
    }

    /// Many stores opening a brand-new file at once: each migrates or sees it migrated, none
    /// fails with "table already exists" or "database is locked".
    @Test(.sqliteStoreOnly(), .timeLimit(.minutes(5)))
    func manyStoresOpeningANewFileAtOnceAllSucceed() throws {
        let test = try TestHome()
        let home = test.home
        let errors = concurrently(8) { index in
            let flights = try Flights(home: home, owner: "worker\(index)")
            _ = try flights.create(.sample("flight_\(index)"))
        }
        #expect(errors.isEmpty, "\(errors)")
        #expect(try test.flights().list().count == 8)
    }

    @Test(.sqliteStoreOnly()) func aStoreThatCannotBeCreatedIsAStorageErrorNamingTheFile() throws {
        let test = try TestHome()
        // A file where the home folder should be.
        try FileManager.default.createDirectory(at: test.home.root.deletingLastPathComponent(), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: test.home.root.path, contents: Data()))
        let error = #expect(throws: FlightsError.self) { try test.flights() }
        #expect(error?.kind == .storage)
        #expect(error?.message.contains(test.home.root.path) == true)
    }
}
