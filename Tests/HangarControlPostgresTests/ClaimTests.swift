import Foundation
import HangarControlPostgres
import HangarFlights
import HangarTestSupport
import Testing

/// Workers on many hosts claim from one table: every pending run is claimed by exactly one.
struct ClaimTests {
    static let runsPerFlight = 60
    static let flightCount = 3

    static func store(_ database: String) throws -> PostgresControlStore {
        try PostgresTestServer.store(database: database, home: PostgresTestServer.home)
    }

    /// Creates the flights and their pending runs, triggered from several stores (hosts) at once.
    static func pendingRuns(database: String) throws -> Set<UUID> {
        let flights = Flights(store: try store(database))
        var flightIDs: [UUID] = []
        for index in 0..<flightCount {
            flightIDs.append(try flights.create(NewFlight(name: "flight_\(index)", sourceCode: "print(\(index))")).id)
        }
        let triggered = try onThreads(flightIDs.count * 2) { [flightIDs] index in
            let other = Flights(store: try store(database))
            let flightID = flightIDs[index / 2]
            return try (0..<(runsPerFlight / 2)).map { _ in try other.triggerRun(.id(flightID)).id }
        }
        // Concurrent triggers get consecutive, distinct numbers per flight.
        for flightID in flightIDs {
            #expect(try flights.runs(.id(flightID)).map(\.runNumber) == Array((1...runsPerFlight).reversed()))
        }
        let ids = triggered.flatMap { $0 }
        #expect(ids.count == runsPerFlight * flightCount)
        return Set(ids)
    }

    /// Claims until nothing is left, a few runs at a time, running and finishing each; returns
    /// every run it was handed.
    static func claimAll(database: String, name: String, slots: Int) throws -> [UUID] {
        let store = try store(database)
        let flights = Flights(store: store)
        let worker = try store.registerWorker(name: name, host: "test-host", slots: slots)
        var claimed: [UUID] = []
        while true {
            let batch = try store.claimRuns(for: worker, limit: slots)
            if batch.isEmpty { return claimed }
            #expect(batch.count <= slots)
            claimed += batch
            for id in batch {
                _ = try flights.markRunning(id)
                _ = try flights.markFinished(id, .succeeded)
            }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func concurrentClaimersTakeEveryRunExactlyOnce() throws {
        let database = try PostgresTestServer.freshDatabase()
        let pending = try Self.pendingRuns(database: database)
        let claims = try onThreads(8) { index in
            try Self.claimAll(database: database, name: "worker-\(index)", slots: 1 + index % 4)
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == pending.count, "a run was claimed twice or not at all")
        #expect(Set(all) == pending)
        #expect(claims.filter { !$0.isEmpty }.count > 1, "only one claimer ever got work: the test did not race")
        let statuses = try Self.store(database).read { db in
            try db.rows("SELECT DISTINCT status FROM runs").map { $0["status"] as String }
        }
        #expect(statuses == ["SUCCEEDED"])
    }

    @Test func claimsAreOldestFirstAndAClaimedRunIsHeldByOneWorker() throws {
        let database = try PostgresTestServer.freshDatabase()
        let store = try Self.store(database)
        let flights = Flights(store: store)
        let flight = try flights.create(NewFlight(name: "f", sourceCode: "print(1)"))
        let runs = try (0..<3).map { _ in try flights.triggerRun(.id(flight.id)).id }
        let one = try store.registerWorker(name: "one", host: "a", slots: 2)
        let two = try store.registerWorker(name: "two", host: "b", slots: 2)
        #expect(try store.claimRuns(for: one, limit: 2) == Array(runs[0..<2]))
        #expect(try store.claimRuns(for: two, limit: 2) == [runs[2]])
        #expect(try store.claimRuns(for: two, limit: 2).isEmpty)
        #expect(try store.claimRuns(for: one, limit: 0).isEmpty)
        let holders = try store.read { db in
            try db.rows("SELECT id, worker_id FROM runs").map { ($0["id"] as String, $0["worker_id"] as String) }
        }
        #expect(Dictionary(uniqueKeysWithValues: holders) == [
            runs[0].uuidString.lowercased(): one.id.uuidString.lowercased(), runs[1].uuidString.lowercased(): one.id.uuidString.lowercased(),
            runs[2].uuidString.lowercased(): two.id.uuidString.lowercased(),
        ])
    }

    // MARK: - Claimers in separate processes

    static let databaseVariable = "HANGAR_POSTGRES_TEST_CLAIM_DATABASE"

    @Test(.timeLimit(.minutes(5)))
    func claimersInSeparateProcessesTakeEveryRunExactlyOnce() throws {
        let database = try PostgresTestServer.freshDatabase()
        let pending = try Self.pendingRuns(database: database)
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var children: [(Process, Pipe)] = []
        for _ in 0..<4 {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["--testing-library", "swift-testing", "--filter", "claimAsAChildProcess"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.databaseVariable] = database
            environment[PostgresTestServer.socketVariable] = try PostgresTestServer.socketFolder()
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            children.append((process, output))
        }
        var all: [UUID] = []
        for (process, output) in children {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "claimer failed:\n\(text)")
            #expect(text.contains("claimAsAChildProcess() passed"), "claimer did not run:\n\(text)")
            all += text.split(separator: "\n").compactMap { line in
                line.hasPrefix("claimed ") ? UUID(uuidString: String(line.dropFirst("claimed ".count))) : nil
            }
        }
        #expect(all.count == pending.count, "a run was claimed twice or not at all")
        #expect(Set(all) == pending)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[databaseVariable] != nil, "runs only as a child of the test above"))
    func claimAsAChildProcess() throws {
        let database = try #require(ProcessInfo.processInfo.environment[Self.databaseVariable])
        let claimed = try Self.claimAll(database: database, name: "process-\(getpid())", slots: 3)
        for id in claimed { print("claimed \(id.uuidString)") }
    }
}
