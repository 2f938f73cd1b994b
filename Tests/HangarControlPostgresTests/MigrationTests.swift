import HangarControlPostgres
import PostgresNIO
import Testing

struct MigrationTests {
    @Test func migrationsApplyToAnEmptyDatabaseAndAreIdempotent() async throws {
        let database = try await PostgresTestServer.freshDatabase()
        try await PostgresTestServer.withStore(database: database) { store in
            #expect(try await store.migrate() == [1])
            #expect(try await store.migrate() == [])
            #expect(try await store.appliedMigrations() == [1])
            var tables: [String] = []
            for try await name in try await store.client.query("""
                SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name
                """).decode(String.self) {
                tables.append(name)
            }
            #expect(tables == [
                "account_settings", "flight_versions", "flights", "hangar_schema_migrations", "log_lines", "runs",
                "schedule_state", "secrets", "workers",
            ])
        }
    }

    @Test func hostsMigratingAtOnceApplyEachVersionOnce() async throws {
        let database = try await PostgresTestServer.freshDatabase()
        let results = try await withThrowingTaskGroup(of: [Int].self, returning: [[Int]].self) { group in
            for _ in 0..<5 {
                group.addTask { try await PostgresTestServer.withStore(database: database) { try await $0.migrate() } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted { $0.count > $1.count } == [[1], [], [], [], []])
    }

    @Test func aDatabaseMigratedByANewerHangarIsRefused() async throws {
        try await PostgresTestServer.withFreshStore { store, _ in
            try await store.client.query("INSERT INTO hangar_schema_migrations (version, name) VALUES (99, 'from the future')")
            let error = await #expect(throws: PostgresControlError.self) { try await store.migrate() }
            #expect(error?.message.contains("schema version 99") == true)
        }
    }

    @Test func versionsStayImmutable() async throws {
        try await PostgresTestServer.withFreshStore { store, _ in
            _ = try await store.createFlight(name: "f", sourceCode: "print(1)")
            await #expect(throws: PSQLError.self) {
                _ = try await store.client.query("UPDATE flight_versions SET source_code = 'print(2)'")
            }
        }
    }

    @Test func namesAreUniqueIgnoringCase() async throws {
        try await PostgresTestServer.withFreshStore { store, _ in
            _ = try await store.createFlight(name: "Daily", sourceCode: "print(1)")
            let error = await #expect(throws: PostgresControlError.self) {
                _ = try await store.createFlight(name: "dAILY", sourceCode: "print(1)")
            }
            #expect(error?.sqlState == "23505")
        }
    }
}
