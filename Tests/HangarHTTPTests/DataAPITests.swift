import DuckDB
import Foundation
import HangarAccount
import HangarTestSupport
import Testing

/// The account's databases over HTTP: listing, tables with counts and columns, samples, and the
/// SQL box, every file opened under its lease for one request.
struct DataAPITests {
    /// A home with `shop.duckdb` (orders: 5 rows, main and a `sales` schema) and `empty.duckdb`.
    static func makeAccount() throws -> FlightsTestHome {
        let test = try FlightsTestHome()
        let folder = test.home + "/databases"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            let connection = try Database(path: folder + "/shop.duckdb").connect()
            try connection.execute("""
                CREATE TABLE orders (id BIGINT, customer VARCHAR, total DECIMAL(10, 2), placed_at TIMESTAMP, tags VARCHAR[]);
                INSERT INTO orders VALUES
                  (1, 'ada', 12.50, '2026-11-01 10:00:00', ['new']),
                  (2, 'bob', 7.25, '2026-11-02 11:00:00', []),
                  (3, 'cy', 100.00, '2026-11-03 12:00:00', ['vip', 'new']),
                  (4, 'dee', 3.10, '2026-11-04 13:00:00', NULL),
                  (5, 'eve', 55.55, '2026-11-05 14:00:00', ['vip']);
                CREATE SCHEMA sales;
                CREATE TABLE sales.regions (region VARCHAR, big BIGINT);
                INSERT INTO sales.regions VALUES ('north', 9007199254740993), ('south', 1);
                """)
        }
        do { _ = try Database(path: folder + "/empty.duckdb").connect() }
        // A name a session's own catalog has: attached as memory_file, as `hangar sql` does.
        do { try Database(path: folder + "/memory.duckdb").connect().execute("CREATE TABLE notes AS SELECT 1 AS n") }
        return test
    }

    /// Path parameters are percent-decoded: the table the list names `my table` is
    /// `/tables/main/my%20table`.
    @Test(.timeLimit(.minutes(5)))
    func aTableNameWithASpaceIsReachedByItsEncodedPath() async throws {
        let test = try FlightsTestHome()
        let folder = test.home + "/databases"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Database(path: folder + "/spaced.duckdb").connect().execute("CREATE TABLE \"my table\" AS SELECT 42 AS answer")
        let server = try await test.serve()
        let api = try server.client()
        #expect(try await api.get("/api/v1/databases/spaced/tables").items.first?["table"] as? String == "my table")
        let sample = try await api.get("/api/v1/databases/spaced/tables/main/my%20table")
        #expect(sample.status == 200)
        #expect(sample.json["rows"] as? [[Int]] == [[42]])
    }

    @Test(.timeLimit(.minutes(5)))
    func databasesTablesAndSamples() async throws {
        let test = try Self.makeAccount()
        let server = try await test.serve()
        let api = try server.client()

        let databases = try await api.get("/api/v1/databases")
        #expect(databases.items.map { $0["name"] as? String } == ["empty", "memory", "shop"])
        let shop = try #require(databases.items.last)
        #expect(shop["path"] as? String == test.home + "/databases/shop.duckdb")
        #expect((shop["size_bytes"] as? Int ?? 0) > 0)

        let tables = try await api.get("/api/v1/databases/shop/tables")
        #expect(tables.status == 200)
        #expect(tables.items.map { "\($0["schema"] as? String ?? "").\($0["table"] as? String ?? "")" } == ["main.orders", "sales.regions"])
        let orders = try #require(tables.items.first)
        #expect(orders["row_count"] as? Int == 5)
        let columns = (orders["columns"] as? [[String: Any]] ?? []).map { "\($0["name"] as? String ?? "") \($0["type"] as? String ?? "")" }
        #expect(columns == ["id BIGINT", "customer VARCHAR", "total DECIMAL(10,2)", "placed_at TIMESTAMP", "tags VARCHAR[]"])
        #expect(try await api.get("/api/v1/databases/empty/tables").items.isEmpty)

        let sample = try await api.get("/api/v1/databases/shop/tables/main/orders?limit=2&numbers=javascript")
        #expect(sample.status == 200)
        #expect(sample.json["row_count"] as? Int == 5)
        #expect(sample.json["limit"] as? Int == 2)
        let rows = try #require(sample.json["rows"] as? [[Any]])
        #expect(rows.count == 2)
        #expect(rows[0][0] as? Int == 1)
        #expect(rows[0][1] as? String == "ada")
        #expect(rows[0][2] as? String == "12.50")
        #expect(rows[0][3] as? String == "2026-11-01 10:00:00")
        #expect(rows[0][4] as? [String] == ["new"])
        #expect(try await api.get("/api/v1/databases/shop/tables/main/orders").json["limit"] as? Int == 20)
        // For JavaScript, integers beyond what a double holds exactly come as text; by default,
        // as hangar sql --json writes them, as numbers with every digit.
        let regions = try await api.get("/api/v1/databases/shop/tables/sales/regions?numbers=javascript")
        #expect((regions.json["rows"] as? [[Any]])?.first?[1] as? String == "9007199254740993")
        let exact = try await api.get("/api/v1/databases/shop/tables/sales/regions")
        #expect(String(decoding: exact.body, as: UTF8.self).contains("[\"north\",9007199254740993]"))
        let exactOrders = try await api.get("/api/v1/databases/shop/tables/main/orders?limit=1")
        #expect(String(decoding: exactOrders.body, as: UTF8.self).contains("[1,\"ada\",12.50,"))
        #expect(try await api.get("/api/v1/databases/shop/tables/main/orders?numbers=float").errorParameter == "numbers")

        #expect(try await api.get("/api/v1/databases/memory/tables").items.first?["table"] as? String == "notes")
        #expect(try await api.get("/api/v1/databases/memory/tables/main/notes").json["rows"] as? [[Int]] == [[1]])
        #expect(try await api.get("/api/v1/databases/nope/tables").status == 404)
        #expect(try await api.get("/api/v1/databases/shop/tables/main/nope").status == 404)
        #expect(try await api.get("/api/v1/databases/shop/tables/main/orders?limit=1001").errorParameter == "limit")
        // Only names of the account's files: no paths.
        #expect(try await api.get("/api/v1/databases/..%2F..%2Fetc/tables").status == 404)
    }

    @Test(.timeLimit(.minutes(5)))
    func theSQLBoxRunsOneStatementWithALimitAndATimeout() async throws {
        let test = try Self.makeAccount()
        let server = try await test.serve()
        let api = try server.client()

        let named = try await api.post("/api/v1/sql", ["sql": "SELECT id, customer FROM shop.main.orders ORDER BY id", "limit": 3])
        #expect(named.status == 200)
        #expect((named.json["columns"] as? [[String: Any]])?.map { $0["name"] as? String } == ["id", "customer"])
        #expect((named.json["columns"] as? [[String: Any]])?.map { $0["type"] as? String } == ["BIGINT", "VARCHAR"])
        #expect((named.json["rows"] as? [[Any]])?.map { $0[1] as? String } == ["ada", "bob", "cy"])
        #expect(named.json["row_count"] as? Int == 3)
        #expect(named.json["truncated"] as? Bool == true)
        #expect(named.json["elapsed_sec"] is Double || named.json["elapsed_sec"] is Int)

        let byDefault = try await api.post("/api/v1/sql", ["sql": "SELECT count(*) AS n FROM orders", "database": "shop"])
        #expect((byDefault.json["rows"] as? [[Any]])?.first?.first as? Int == 5)
        #expect(byDefault.json["truncated"] as? Bool == false)
        // Writes go through, under the lease, and are there for the next request.
        #expect(try await api.post("/api/v1/sql", ["sql": "INSERT INTO orders (id, customer) VALUES (6, 'fay')", "database": "shop"]).status == 200)
        #expect(try await api.get("/api/v1/databases/shop/tables").items.first?["row_count"] as? Int == 6)
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT 42 AS answer"]).json["rows"] as? [[Int]] == [[42]])
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT n FROM memory_file.main.notes"]).json["rows"] as? [[Int]] == [[1]])
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT n FROM notes", "database": "memory"]).json["rows"] as? [[Int]] == [[1]])

        let syntax = try await api.post("/api/v1/sql", ["sql": "SELEC 1"])
        #expect(syntax.status == 400)
        #expect(syntax.errorParameter == "sql")
        #expect(syntax.errorMessage?.contains("Parser Error") == true)
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT 1; SELECT 2"]).errorParameter == "sql")
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT * FROM nope.main.t"]).errorParameter == "sql")
        #expect(try await api.post("/api/v1/sql", ["sql": "  "]).errorParameter == "sql")
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT 1", "database": "nope"]).errorParameter == "database")
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT 1", "limit": 0]).errorParameter == "limit")
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT 1", "timeout_sec": 0]).errorParameter == "timeout_sec")
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT 1", "timeout_sec": "1"]).errorParameter == "timeout_sec")
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT 1", "numbers": "float"]).errorParameter == "numbers")

        // Nothing beyond the account's attached databases: no files (the token's, say).
        let file = try await api.post("/api/v1/sql", ["sql": "SELECT * FROM read_text('\(test.home)/server/token')"])
        #expect(file.status == 400)
        #expect(!file.text.contains(try server.token()))
        #expect(try await api.post("/api/v1/sql", ["sql": "SET enable_external_access = true"]).status == 400)
        // Not even DuckDB's temporary folder, which it would otherwise allow to itself.
        let allowed = try await api.post("/api/v1/sql", ["sql": "SELECT current_setting('allowed_directories')::VARCHAR AS a"])
        #expect((allowed.json["rows"] as? [[String]])?.first?.first == "[]", "\(allowed.text)")
        let tmp = FileManager.default.currentDirectoryPath + "/.tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        #expect(try await api.post("/api/v1/sql", ["sql": "COPY (SELECT 1) TO '\(tmp)/escape.csv'"]).status == 400)
        #expect(!FileManager.default.fileExists(atPath: tmp + "/escape.csv"))

        let slow = try await api.post("/api/v1/sql", ["sql": "SELECT count(*) FROM range(1000000000000) a", "timeout_sec": 0.5])
        #expect(slow.status == 504)
        #expect(slow.errorCode == "timeout")
    }

    @Test(.timeLimit(.minutes(5)))
    func aDatabaseBusyPastTheTimeoutIsAConflictNamingItsHolder() async throws {
        let test = try Self.makeAccount()
        let server = try await test.serve()
        let api = try server.client()
        let lease = try DatabaseLease.acquire(URL(fileURLWithPath: test.home + "/databases/shop.duckdb"),
                                              as: LeaseHolder(purpose: "a test holding shop"))
        let busy = try await api.post("/api/v1/sql", ["sql": "SELECT count(*) FROM orders", "database": "shop", "timeout_sec": 0.3])
        #expect(busy.status == 409)
        #expect(busy.errorCode == "conflict")
        #expect(busy.errorMessage?.contains("a test holding shop") == true)
        lease.release()
        // Released between requests, the next one gets it; the server kept no lease after the
        // request either (this process takes it at once).
        #expect(try await api.post("/api/v1/sql", ["sql": "SELECT count(*) FROM orders", "database": "shop"]).status == 200)
        let again = try DatabaseLease.acquire(URL(fileURLWithPath: test.home + "/databases/shop.duckdb"),
                                              as: LeaseHolder(purpose: "a test"), timeout: 0)
        again.release()
    }
}
