import DuckDB
import Foundation
import HangarTestSupport
import Testing

struct ConcurrencyTests {
    @Test(.timeLimit(.minutes(5)))
    func aLongQueryIsInterruptedFromAnotherTask() async throws {
        let database = try Database()
        let (started, signal) = AsyncStream<Void>.makeStream()
        let connection = try database.connect()
        // Tells the test the query is really running, so the interrupt cannot come too early.
        try connection.register(ScalarFunction(name: "running", parameters: [.bigint], returns: .bigint, deterministic: false) { args in
            signal.yield()
            return args[0]
        })
        let handle = connection.interruptHandle
        let query = Task.detached { [connection] () -> Result<Int?, DuckDBError> in
            do {
                return .success(try connection.scalar("SELECT count(*) FROM range(100000000000) t(i) WHERE running(i) >= 0", as: Int.self))
            } catch let error as DuckDBError {
                return .failure(error)
            } catch {
                return .failure(DuckDBError(.unknown, message: "\(error)"))
            }
        }
        for await _ in started { break }
        handle.interrupt()
        switch await query.value {
        case .success(let count): Issue.record("the query finished with \(String(describing: count)) instead of being interrupted")
        case .failure(let error):
            #expect(error.kind == .interrupt)
            #expect(error.message.contains("Interrupt"))
        }
    }

    @Test func twoConnectionsWorkAtTheSameTimeFromDifferentTasks() async throws {
        let db = try TestDatabase()
        let database = db.database
        try database.connect().execute("CREATE TABLE a (x BIGINT); CREATE TABLE b (x BIGINT)")
        // Each task holds its own connection; both must see the same barrier before finishing, so
        // they are provably open and working at the same time.
        let barrier = Barrier(parties: 2)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for table in ["a", "b"] {
                group.addTask {
                    let connection = try database.connect()
                    try connection.transaction { c in
                        let appender = try c.appender(table: table)
                        for i in 0..<100_000 { try appender.append(Int64(i)) }
                        try appender.close()
                    }
                    await barrier.arrive()
                    return try connection.scalar("SELECT sum(x) FROM \(table)", as: Int.self) ?? -1
                }
            }
            var sums: [Int] = []
            for try await sum in group { sums.append(sum) }
            #expect(sums == [4_999_950_000, 4_999_950_000])
        }
        #expect(try database.connect().scalar("SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)", as: Int.self) == 200_000)
    }

    @Test func aSerialConnectionIsSharedByManyTasks() async throws {
        let shared = try SerialConnection(Database())
        try await shared.run { try $0.execute("CREATE TABLE t (x INTEGER)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask { _ = try await shared.run { try $0.execute("INSERT INTO t VALUES (?)", [i]) } }
            }
            try await group.waitForAll()
        }
        #expect(try await shared.run { try $0.scalar("SELECT sum(x) FROM t", as: Int.self) } == 190)
    }

    @Test func asecondProcessWritingTheSameFileIsToldWhoHoldsTheLock() throws {
        let db = try TestDatabase()
        try db.connect().execute("CREATE TABLE t (x INTEGER)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import ctypes, sys
            lib = ctypes.CDLL(sys.argv[1])
            db = ctypes.c_void_p(); err = ctypes.c_char_p()
            state = lib.duckdb_open_ext(sys.argv[2].encode(), ctypes.byref(db), None, ctypes.byref(err))
            print(err.value.decode() if state else "opened")
            """, duckDBLibraryPath(), db.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("Could not set lock on file"), "\(text)")
        #expect(text.contains("PID \(ProcessInfo.processInfo.processIdentifier)"), "\(text)")
    }
}

/// The library provisioned by `make setup`, which the test binary links.
func duckDBLibraryPath() -> String {
    Checkout.file(".duckdb/lib/libduckdb.so").path
}

/// Waits until `parties` tasks have arrived.
actor Barrier {
    private let parties: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(parties: Int) { self.parties = parties }

    func arrive() async {
        arrived += 1
        if arrived == parties {
            waiting.forEach { $0.resume() }
            waiting.removeAll()
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}
