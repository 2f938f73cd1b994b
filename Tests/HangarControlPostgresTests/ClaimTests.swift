import Foundation
import HangarControlPostgres
import Testing

/// Workers on many hosts claim from one table: every pending run is claimed by exactly one.
struct ClaimTests {
    static let runsPerFlight = 60
    static let flights = 3

    /// Creates the flights and their pending runs, triggered from several clients at once.
    static func pendingRuns(_ store: PostgresControlStore, database: String) async throws -> Set<UUID> {
        var flightIDs: [UUID] = []
        for index in 0..<flights {
            flightIDs.append(try await store.createFlight(name: "flight_\(index)", sourceCode: "print(\(index))"))
        }
        let ids = try await withThrowingTaskGroup(of: [UUID].self, returning: [UUID].self) { group in
            for flightID in flightIDs {
                for _ in 0..<2 {
                    group.addTask {
                        try await PostgresTestServer.withStore(database: database) { other in
                            var ids: [UUID] = []
                            for _ in 0..<(runsPerFlight / 2) { ids.append(try await other.triggerRun(flightID: flightID).id) }
                            return ids
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        // Concurrent triggers get consecutive, distinct numbers per flight.
        for flightID in flightIDs {
            #expect(try await store.runs(flightID: flightID).map(\.runNumber) == Array(1...runsPerFlight))
        }
        return Set(ids)
    }

    /// Claims until nothing is left, a few runs at a time; returns every run it was handed.
    static func claimAll(_ store: PostgresControlStore, name: String, slots: Int) async throws -> [UUID] {
        let worker = try await store.registerWorker(name: name, host: "test-host", slots: slots)
        var claimed: [UUID] = []
        while true {
            let batch = try await store.claimRuns(for: worker, limit: slots)
            if batch.isEmpty { return claimed }
            claimed += batch.map(\.id)
            for run in batch {
                _ = try await store.markRunning(run.id, by: worker)
                _ = try await store.markFinished(run.id, by: worker, succeeded: true, exitCode: 0)
            }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func concurrentClaimersTakeEveryRunExactlyOnce() async throws {
        try await PostgresTestServer.withFreshStore { store, database in
            let pending = try await Self.pendingRuns(store, database: database)
            let claimers = 8
            let claims = try await withThrowingTaskGroup(of: [UUID].self, returning: [[UUID]].self) { group in
                for index in 0..<claimers {
                    group.addTask {
                        try await PostgresTestServer.withStore(database: database) { other in
                            try await Self.claimAll(other, name: "worker-\(index)", slots: 1 + index % 4)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == pending.count, "a run was claimed twice or not at all")
            #expect(Set(all) == pending)
            #expect(claims.filter { !$0.isEmpty }.count > 1, "only one claimer ever got work: the test did not race")
            let statuses = Set(try await store.runs(flightID: try #require(try await Self.flightID(store))).map(\.status))
            #expect(statuses == ["SUCCEEDED"])
        }
    }

    static func flightID(_ store: PostgresControlStore) async throws -> UUID? {
        for try await id in try await store.client.query("SELECT id FROM flights ORDER BY name LIMIT 1").decode(String.self) {
            return UUID(uuidString: id)
        }
        return nil
    }

    // MARK: - Claimers in separate processes

    static let databaseVariable = "HANGAR_POSTGRES_TEST_CLAIM_DATABASE"

    @Test(.timeLimit(.minutes(5)))
    func claimersInSeparateProcessesTakeEveryRunExactlyOnce() async throws {
        try await PostgresTestServer.withFreshStore { store, database in
            let pending = try await Self.pendingRuns(store, database: database)
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
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[databaseVariable] != nil, "runs only as a child of the test above"))
    func claimAsAChildProcess() async throws {
        let database = try #require(ProcessInfo.processInfo.environment[Self.databaseVariable])
        let claimed = try await PostgresTestServer.withStore(database: database) { store in
            try await Self.claimAll(store, name: "process-\(getpid())", slots: 3)
        }
        for id in claimed { print("claimed \(id.uuidString)") }
    }

    // MARK: - Rules

    @Test func aWorkerOnlyMovesRunsItHolds() async throws {
        try await PostgresTestServer.withFreshStore { store, _ in
            let flight = try await store.createFlight(name: "f", sourceCode: "print(1)")
            let run = try await store.triggerRun(flightID: flight)
            let one = try await store.registerWorker(name: "one", host: "a", slots: 1)
            let two = try await store.registerWorker(name: "two", host: "b", slots: 1)
            #expect(try await store.claimRuns(for: one, limit: 5).map(\.id) == [run.id])
            #expect(try await store.claimRuns(for: two, limit: 5).isEmpty)
            let error = await #expect(throws: PostgresControlError.self) { _ = try await store.markRunning(run.id, by: two) }
            #expect(error?.kind == .conflict)
            #expect(try await store.markRunning(run.id, by: one).status == "RUNNING")
        }
    }
}
