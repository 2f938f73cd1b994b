import Foundation
import HangarAccount
@testable import HangarControlPostgres
import HangarFlights
import HangarTestSupport
import Testing

struct MigrationTests {
    @Test func migrationsApplyToAnEmptyDatabaseOnceAndAreIdempotent() throws {
        let database = try PostgresTestServer.freshDatabase()
        // Opening the store migrates the empty database.
        let store = try PostgresTestServer.store(database: database, home: PostgresTestServer.home)
        #expect(try store.appliedMigrations() == [1])
        #expect(try store.migrate() == [])
        #expect(try store.appliedMigrations() == [1])
        // Another host opening it later applies nothing.
        let other = try PostgresTestServer.store(database: database, home: PostgresTestServer.home)
        #expect(try other.migrate() == [])
        #expect(try other.read { db in try db.value(Int.self, "SELECT count(*) FROM hangar_schema_migrations") } == 1)
        let tables = try store.read { db in
            try db.rows("""
                SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1
                """).map { $0["name"] as String }
        }
        #expect(tables == [
            "account_settings", "flight_versions", "flights", "hangar_schema_migrations", "log_lines", "runs",
            "schedule_state", "secrets", "workers",
        ])
    }

    @Test(.timeLimit(.minutes(3)))
    func hostsMigratingAtOnceApplyEachVersionOnce() throws {
        let database = try PostgresTestServer.freshDatabase()
        // Five hosts opening an empty database at once: each store migrates on open, none fails.
        let stores = try onThreads(5) { _ in try PostgresTestServer.store(database: database, home: PostgresTestServer.home) }
        #expect(try stores[0].appliedMigrations() == [1])
        #expect(try stores[0].read { db in try db.value(Int.self, "SELECT count(*) FROM hangar_schema_migrations") } == 1)

        // The same five upgrading to a newer Hangar at once: version 2 is applied by exactly one.
        let upgrade = ControlMigrations.all + [
            ControlMigrations.Migration(version: 2, name: "a test table", sql: ["CREATE TABLE migrated_once (n INTEGER)"]),
        ]
        let results = try onThreads(5) { index in try stores[index].migrate(upgrade) }
        #expect(results.sorted { $0.count > $1.count } == [[2], [], [], [], []])
        #expect(try stores[1].appliedMigrations() == [1, 2])
    }

    @Test func aDatabaseMigratedByANewerHangarIsRefused() throws {
        let database = try PostgresTestServer.freshDatabase()
        let store = try PostgresTestServer.store(database: database, home: PostgresTestServer.home)
        _ = try store.write { db in
            try db.execute("INSERT INTO hangar_schema_migrations (version, name) VALUES (99, 'from the future')")
        }
        let error = #expect(throws: FlightsError.self) { try store.migrate() }
        #expect(error?.kind == .storage)
        #expect(error?.message.contains("schema version 99") == true)
        #expect(error?.message.contains("upgrade Hangar") == true)
        // A host opening it refuses it the same way.
        let opening = #expect(throws: FlightsError.self) {
            _ = try PostgresTestServer.store(database: database, home: PostgresTestServer.home)
        }
        #expect(opening?.message.contains("schema version 99") == true)
    }

    @Test func versionsStayImmutable() throws {
        let database = try PostgresTestServer.freshDatabase()
        let store = try PostgresTestServer.store(database: database, home: PostgresTestServer.home)
        _ = try Flights(store: store).create(NewFlight(name: "f", sourceCode: "print(1)"))
        let error = #expect(throws: FlightsError.self) {
            try store.write { db in try db.execute("UPDATE flight_versions SET source_code = 'print(2)'") }
        }
        #expect(error?.message.contains("flight versions are immutable") == true)
        #expect(try Flights(store: store).currentVersion(.name("f")).sourceCode == "print(1)")
    }

    @Test func namesAreUniqueIgnoringCase() throws {
        let database = try PostgresTestServer.freshDatabase()
        let store = try PostgresTestServer.store(database: database, home: PostgresTestServer.home)
        let flights = Flights(store: store)
        _ = try flights.create(NewFlight(name: "Daily", sourceCode: "print(1)"))
        let conflict = #expect(throws: FlightsError.self) { _ = try flights.create(NewFlight(name: "dAILY", sourceCode: "print(1)")) }
        #expect(conflict?.kind == .conflict)
        // The schema refuses it too, whatever code writes it.
        let error = #expect(throws: FlightsError.self) {
            try store.write { db in
                try db.execute("""
                    INSERT INTO flights (id, name, current_version, owner_name, created_at, updated_at)
                    VALUES (?, 'dAILY', 1, 'someone', 0, 0)
                    """, [UUID().uuidString.lowercased()])
            }
        }
        #expect(error?.message.contains("SQLSTATE 23505") == true)
    }
}
