import Foundation
@testable import HangarAccount
import HangarTestSupport
import Testing

/// Leases between real processes: a Python child takes the same `flock` another Hangar
/// process would, and writes itself as holder the same way.
struct DatabaseLeaseTests {
    /// A folder of the test's own (each test gets a value of the suite of its own).
    let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory()
    }

    func database() -> URL {
        scratch.url.appendingPathComponent("docs_playground.duckdb")
    }

    @Test(.timeLimit(.minutes(5)))
    func aWaiterSeesTheHolderAndGetsTheLeaseWhenItIsReleased() throws {
        let database = database()
        let holder = try LeaseHolderProcess(leaseFile: DatabaseLease.leaseFile(for: database).path, purpose: "flight docs_dlt_ingest run 12")
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
        let database = database()
        let holder = try LeaseHolderProcess(leaseFile: DatabaseLease.leaseFile(for: database).path, purpose: "flight docs_dlt_ingest run 7")
        defer { holder.release() }
        let error = #expect(throws: AccountError.self) {
            try DatabaseLease.acquire(database, as: LeaseHolder(purpose: "hangar ingest"), timeout: 0.2)
        }
        #expect(error?.message.hasPrefix("docs_playground.duckdb is busy: held by flight docs_dlt_ingest run 7 (pid \(holder.process.processIdentifier))") == true)
        #expect(error?.message.contains("waited 0.2 s") == true)
    }

    @Test(.timeLimit(.minutes(5)))
    func aKilledHolderLeavesTheDatabaseFree() throws {
        let database = database()
        let holder = try LeaseHolderProcess(leaseFile: DatabaseLease.leaseFile(for: database).path, purpose: "a flight that dies")
        kill(holder.process.processIdentifier, SIGKILL)
        holder.process.waitUntilExit()
        var waited = false
        let lease = try DatabaseLease.acquire(database, as: LeaseHolder(purpose: "next"), timeout: 5) { _ in waited = true }
        #expect(!waited, "the kernel released the dead holder's lock")
        lease.release()
    }

    @Test func leasesInOneProcessTakeTurnsToo() throws {
        let database = database()
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
        let scratch = try ScratchDirectory()
        let home = HangarHome(scratch.url.appendingPathComponent("home"))
        #expect(try home.database("docs_playground").path == home.root.appendingPathComponent("databases/docs_playground.duckdb").path)
        #expect(try home.database("/tmp/elsewhere.duckdb").path == "/tmp/elsewhere.duckdb")
        let error = #expect(throws: AccountError.self) { try home.database("../escape") }
        #expect(error?.message.contains("is not a database name") == true)
    }
}
