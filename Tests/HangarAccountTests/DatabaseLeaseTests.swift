import Foundation
@testable import HangarAccount
import Testing

/// Leases between real processes: a Python child takes the same `flock` another Hangar
/// process would, and writes itself as holder the same way.
struct DatabaseLeaseTests {
    final class Holder {
        let process = Process()
        let input = Pipe()
        let output = Pipe()

        /// Starts a child that holds the lease of `database` until its standard input closes.
        init(_ database: URL, purpose: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import fcntl, json, os, sys, datetime
                f = open(sys.argv[1], "a+")
                fcntl.flock(f, fcntl.LOCK_EX)
                f.truncate(0)
                f.write(json.dumps({"pid": os.getpid(), "purpose": sys.argv[2], "since": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}))
                f.flush()
                print("held", flush=True)
                sys.stdin.read()
                """, DatabaseLease.leaseFile(for: database).path, purpose]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            // The child says when it holds the lease: the test waits for that line, not a timer.
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            guard line.hasPrefix("held") else { throw AccountError("the holder did not start: \(line)") }
        }

        func release() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    func database() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-lease-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("docs_playground.duckdb")
    }

    @Test(.timeLimit(.minutes(5)))
    func aWaiterSeesTheHolderAndGetsTheLeaseWhenItIsReleased() throws {
        let database = try database()
        let holder = try Holder(database, purpose: "flight docs_dlt_ingest run 12")
        var seen: LeaseHolder?
        let me = LeaseHolder(purpose: "hangar sql", since: Date(timeIntervalSince1970: 1_796_126_896.75))
        let lease = try DatabaseLease.acquire(database, as: me, timeout: 30) { current in
            seen = current
            holder.release()
        }
        #expect(seen?.purpose == "flight docs_dlt_ingest run 12")
        #expect(seen?.pid == holder.process.processIdentifier)
        #expect(DatabaseLease.currentHolder(of: database)?.purpose == "hangar sql")
        // Written in whole seconds, as ISO 8601 that Foundation's own decoder reads.
        #expect(DatabaseLease.currentHolder(of: database)?.since == Date(timeIntervalSince1970: 1_796_126_896))
        #expect(me.description == "hangar sql (pid \(getpid())) since 2026-12-01T12:08:16Z")
        lease.release()
        #expect(DatabaseLease.currentHolder(of: database) == nil)
    }

    @Test(.timeLimit(.minutes(5)))
    func aTimeoutNamesTheHolder() throws {
        let database = try database()
        let holder = try Holder(database, purpose: "flight docs_dlt_ingest run 7")
        defer { holder.release() }
        let error = #expect(throws: AccountError.self) {
            try DatabaseLease.acquire(database, as: LeaseHolder(purpose: "hangar ingest"), timeout: 0.2)
        }
        #expect(error?.message.hasPrefix("docs_playground.duckdb is busy: held by flight docs_dlt_ingest run 7 (pid \(holder.process.processIdentifier))") == true)
        #expect(error?.message.contains("waited 0.2 s") == true)
    }

    @Test(.timeLimit(.minutes(5)))
    func aKilledHolderLeavesTheDatabaseFree() throws {
        let database = try database()
        let holder = try Holder(database, purpose: "a flight that dies")
        kill(holder.process.processIdentifier, SIGKILL)
        holder.process.waitUntilExit()
        var waited = false
        let lease = try DatabaseLease.acquire(database, as: LeaseHolder(purpose: "next"), timeout: 5) { _ in waited = true }
        #expect(!waited, "the kernel released the dead holder's lock")
        lease.release()
    }

    @Test func leasesInOneProcessTakeTurnsToo() throws {
        let database = try database()
        let first = try DatabaseLease.acquire(database, as: LeaseHolder(purpose: "first"))
        #expect(throws: AccountError.self) { try DatabaseLease.acquire(database, as: LeaseHolder(purpose: "second"), timeout: 0.05) }
        first.release()
        let value = try DatabaseLease.with(database, as: LeaseHolder(purpose: "second"), timeout: 1) { 42 }
        #expect(value == 42)
        #expect(DatabaseLease.currentHolder(of: database) == nil, "released after the closure")
    }
}

struct HangarHomeTests {
    @Test func anExplicitHomeWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        #expect(HangarHome.resolve(explicit: "/tmp/a", environment: ["HANGAR_HOME": "/tmp/b"]).root.path == "/tmp/a")
        #expect(HangarHome.resolve(explicit: nil, environment: ["HANGAR_HOME": "/tmp/b"]).root.path == "/tmp/b")
        #expect(HangarHome.resolve(explicit: nil, environment: [:]).root.lastPathComponent == ".hangar")
    }

    @Test func accountDatabasesAreFilesByName() throws {
        let home = HangarHome(FileManager.default.temporaryDirectory.appendingPathComponent("hangar-home-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: home.root) }
        #expect(try home.database("docs_playground").path == home.root.appendingPathComponent("databases/docs_playground.duckdb").path)
        #expect(try home.database("/tmp/elsewhere.duckdb").path == "/tmp/elsewhere.duckdb")
        let error = #expect(throws: AccountError.self) { try home.database("../escape") }
        #expect(error?.message.contains("is not a database name") == true)
    }
}
