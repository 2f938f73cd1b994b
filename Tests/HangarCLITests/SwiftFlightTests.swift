import Foundation
import HangarTestSupport
import Testing

/// Swift flights end to end through the real `hangar` binary: `create --runtime swift`, a
/// detached supervisor compiling `main.swift` against the FlightKit SDK built beside the binary,
/// the cached build reused, a changed source rebuilt, a compile error failing its run, and a
/// flight loading an account database through FlightKit's pipeline and `database(...).write`.
///
/// Serialized: each test compiles a flight, and the rebuild time it measures should not be
/// two compilers sharing the machine's cores.
@Suite(.serialized)
struct SwiftFlightTests {
    /// The flight prints what `FlightContext` tells it about the run.
    static let contextFlight = """
        import FlightKit
        import Foundation

        let flight = FlightContext.current
        print("flight: \\(flight.flightName ?? "-") id \\(flight.flightID ?? "-")")
        print("run: \\(flight.runNumber.map(String.init) ?? "-") id \\(flight.runID ?? "-") scheduled \\(flight.isScheduled)")
        print("config: " + flight.config.sorted { $0.key < $1.key }.map { "\\($0.key)=\\($0.value)" }.joined(separator: ","))
        print("\\(flight.config("GREETING", default: "hello")), \\(flight.config("TARGET", default: "nobody"))!")

        """

    /// A bad line 4: the compiler's message names it.
    static let brokenFlight = """
        import FlightKit

        let flight = FlightContext.current
        let count: Int = "not a number"
        print(count)

        """

    /// Prints, pauses, prints again, then crashes.
    static let crashingFlight = """
        import FlightKit
        import Foundation

        print("step 1 done")
        FileHandle.standardError.write(Data("a warning\\n".utf8))
        usleep(1_000_000)
        print("step 2 done")
        fatalError("boom")

        """

    /// Three repositories merged on `id` into e2e_account.e2e_data.repos, then one ledger row per run.
    static let loadingFlight = """
        import FlightKit
        import Foundation

        struct Repo: Encodable, Sendable {
            let id: Int
            let name: String
            let stars: Int
        }

        let flight = FlightContext.current
        let run = flight.runNumber ?? 0
        let rows = [Repo(id: 1, name: "duckdb", stars: 100 + run), Repo(id: 2, name: "dlt", stars: 200 + run),
                    Repo(id: 3, name: "hangar", stars: 300 + run)]
        let repos = Resource("repos", hints: TableHints(table: "repos", writeDisposition: .merge, primaryKey: ["id"])) { emit in
            for row in rows { try emit.row(encoding: row) }
        }
        let pipeline = try flight.pipeline("e2e_repos", database: "e2e_account", dataset: "e2e_data")
        let info = try await pipeline.run(repos)
        print(info)
        try flight.database("e2e_account").write { connection in
            try connection.execute("CREATE TABLE IF NOT EXISTS e2e_data.ledger (run_number BIGINT, run_id VARCHAR)")
            try connection.execute("INSERT INTO e2e_data.ledger VALUES (?, ?)", [run, flight.runID ?? "-"])
        }
        print("ledger row written for run \\(run)")

        """

    @Test(.timeLimit(.minutes(5)))
    func aSwiftFlightIsBuiltRunReusedChangedAndRebuilt() throws {
        try Self.requireSDK()
        let home = try FlightsTestHome()
        let source = try home.file("main.swift", Self.contextFlight)
        let created = try home.hangar("create", "greeter", "--source", source, "--runtime", "swift",
                                      "--config", "GREETING=hello", "--config", "TARGET=world", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        let flightID = try JSONOutput.object(created.stdout)["flight_id"] as? String

        // Run 1 compiles the flight, then runs it.
        let first = try home.hangar("run", "greeter", "--wait", "--json")
        let firstLog = try home.hangar("logs", "greeter", "1").stdout
        #expect(first.status == 0, "\(first.stderr)\n\(firstLog)")
        let firstRun = try JSONOutput.object(first.stdout)
        #expect(firstRun["status"] as? String == "RUN_STATUS_SUCCEEDED")
        #expect(firstLog.contains("[hangar] compiling the flight (swiftc, against FlightKit)\n"), "\(firstLog)")
        #expect(firstLog.contains("hello, world!\n"), "\(firstLog)")
        #expect(firstLog.contains("flight: greeter id \(flightID ?? "?")\n"), "\(firstLog)")
        #expect(firstLog.contains("run: 1 id \(firstRun["run_id"] as? String ?? "?") scheduled false\n"), "\(firstLog)")
        #expect(firstLog.contains("config: GREETING=hello,TARGET=world\n"), "\(firstLog)")

        // Run 2, with a config override, starts the cached binary: no compiler.
        let second = try home.hangar("run", "greeter", "--config", "GREETING=hi", "--wait")
        let secondLog = try home.hangar("logs", "greeter", "2").stdout
        #expect(second.status == 0, "\(second.stderr)\n\(secondLog)")
        #expect(secondLog.contains("[hangar] reusing the build of this version\n"), "\(secondLog)")
        #expect(!secondLog.contains("compiling") && !secondLog.contains("compiled in"), "\(secondLog)")
        #expect(secondLog.contains("hi, world!\n"), "\(secondLog)")
        #expect(secondLog.contains("config: GREETING=hi,TARGET=world\n"), "\(secondLog)")

        // A changed source is a new version, compiled again — well under a minute, the SDK
        // being built already.
        let changed = try home.file("main.swift", Self.contextFlight + "print(\"version two\")\n")
        let updated = try home.hangar("update", "greeter", "--source", changed)
        #expect(updated.status == 0, "\(updated.stderr)")
        let started = ContinuousClock.now
        let third = try home.hangar("run", "greeter", "--wait")
        let seconds = Self.seconds(ContinuousClock.now - started)
        let thirdLog = try home.hangar("logs", "greeter", "3").stdout
        #expect(third.status == 0, "\(third.stderr)\n\(thirdLog)")
        #expect(thirdLog.contains("[hangar] run 3 of greeter, version 2 (swift)\n"), "\(thirdLog)")
        #expect(thirdLog.contains("[hangar] compiling the flight (swiftc, against FlightKit)\n"), "\(thirdLog)")
        #expect(thirdLog.contains("version two\n"), "\(thirdLog)")
        let compiled = thirdLog.firstMatch(of: /\[hangar\] compiled in (\d+\.\d) s/).flatMap { Double($0.1) }
        print("Swift flight rebuilt after a source change: compiled in \(compiled.map { String($0) } ?? "?") s, "
              + String(format: "run --wait took %.1f s", seconds))
        #expect(compiled != nil && compiled! < 60, "\(thirdLog)")
        #expect(seconds < 60, "the rebuild and run took \(seconds) s")

        // Run 4 of version 2 reuses version 2's build.
        let fourth = try home.hangar("run", "greeter", "--wait")
        let fourthLog = try home.hangar("logs", "greeter", "4").stdout
        #expect(fourth.status == 0, "\(fourth.stderr)\n\(fourthLog)")
        #expect(fourthLog.contains("[hangar] reusing the build of this version\n") && fourthLog.contains("version two\n"), "\(fourthLog)")
    }

    @Test(.timeLimit(.minutes(5)))
    func aCompileErrorFailsTheRunWithTheCompilersMessages() throws {
        try Self.requireSDK()
        let home = try FlightsTestHome()
        let source = try home.file("main.swift", Self.brokenFlight)
        #expect(try home.hangar("create", "broken", "--source", source, "--runtime", "swift").status == 0)

        let run = try home.hangar("run", "broken", "--wait", "--json")
        #expect(run.status == 1, "\(run.stderr)")
        let failed = try JSONOutput.object(run.stdout)
        #expect(failed["status"] as? String == "RUN_STATUS_FAILED")
        #expect(failed["failure_reason"] as? String == "build_failure")
        #expect((failed["failure_detail"] as? String)?.contains("the Swift compiler rejected the flight's source") == true, "\(failed)")
        #expect(failed["started_at"] is NSNull, "the program never started: \(failed)")

        let log = try home.hangar("logs", "broken", "1").stdout
        #expect(log.contains("[hangar] compiling the flight (swiftc, against FlightKit)\n"), "\(log)")
        // The compiler's own lines, naming the flight's file as main.swift (not the build folder), once.
        #expect(log.contains("\nmain.swift:4:18: error: cannot convert value of type 'String' to specified type 'Int'\n"), "\(log)")
        #expect(log.matches(of: /main\.swift:\d+:\d+: error:/).count == 1, "\(log)")
        #expect(log.hasSuffix("[hangar] the Swift compiler rejected the flight's source; fix main.swift and update the flight\n"), "\(log)")
        // Nothing was cached: the next run compiles (and fails) again.
        let again = try home.hangar("run", "broken", "--wait")
        #expect(again.status == 1)
        let againLog = try home.hangar("logs", "broken", "2").stdout
        #expect(againLog.contains("[hangar] compiling the flight") && againLog.contains(": error: "), "\(againLog)")
    }

    @Test(.timeLimit(.minutes(5)))
    func aSwiftFlightsLinesReachTheLogAsPrintedEvenWhenItCrashes() throws {
        try Self.requireSDK()
        let home = try FlightsTestHome()
        let source = try home.file("main.swift", Self.crashingFlight)
        #expect(try home.hangar("create", "crasher", "--source", source, "--runtime", "swift").status == 0)

        let run = try home.hangar("run", "crasher", "--wait", "--json")
        #expect(run.status == 1, "\(run.stderr)")
        let failed = try JSONOutput.object(run.stdout)
        #expect(failed["failure_reason"] as? String == "signal", "\(failed)")

        // Standard output is a pipe: without line buffering (FlightKitStartup) the C library
        // would hold both lines until exit, and a crash loses them.
        let lines = try JSONOutput.lines(try home.hangar("logs", "crasher", "1", "--json").stdout)
        let texts = lines.compactMap { $0["line"] as? String }
        let step1 = texts.firstIndex(of: "step 1 done"), warning = texts.firstIndex(of: "a warning")
        let step2 = texts.firstIndex(of: "step 2 done"), crash = texts.firstIndex { $0.contains("Fatal error: boom") }
        #expect(step1 != nil && warning != nil && step2 != nil && crash != nil, "\(texts)")
        if let step1, let warning, let step2, crash != nil {
            #expect(step1 < warning && warning < step2, "\(texts)")
            // Each line was captured when printed, not all at the end (a second apart, with room
            // for a loaded machine reading the first one late).
            let first = Self.secondOfDay(lines[step1]["reported_at"]), second = Self.secondOfDay(lines[step2]["reported_at"])
            #expect(second - first >= 0.5, "step 1 at \(first), step 2 at \(second)")
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func aSwiftFlightMergesIntoAnAccountDatabaseAndWritesALedgerRow() throws {
        try Self.requireSDK()
        let home = try FlightsTestHome()
        let source = try home.file("main.swift", Self.loadingFlight)
        #expect(try home.hangar("create", "loader", "--source", source, "--runtime", "swift").status == 0)

        for number in 1...2 {
            let run = try home.hangar("run", "loader", "--wait")
            let log = try home.hangar("logs", "loader", String(number)).stdout
            #expect(run.status == 0, "run \(number): \(run.stderr)\n\(log)")
            #expect(log.contains("ledger row written for run \(number)\n"), "\(log)")
        }

        // `hangar sql NAME --home HOME` opens <home>/databases/NAME.duckdb, the flight's database.
        let repos = try home.hangar("sql", "e2e_account", "-c",
                                    "SELECT id, name, stars FROM e2e_data.repos ORDER BY id", "--json")
        #expect(repos.status == 0, "\(repos.stderr)")
        let rows = try JSONOutput.array(repos.stdout)
        #expect(rows.map { $0["id"] as? Int } == [1, 2, 3], "\(repos.stdout)")
        #expect(rows.map { $0["name"] as? String } == ["duckdb", "dlt", "hangar"])
        #expect(rows.map { $0["stars"] as? Int } == [102, 202, 302], "the second run's values win: \(repos.stdout)")

        let ledger = try home.hangar("sql", "e2e_account", "-c",
                                     "SELECT run_number, run_id FROM e2e_data.ledger ORDER BY run_number", "--json")
        #expect(ledger.status == 0, "\(ledger.stderr)")
        let entries = try JSONOutput.array(ledger.stdout)
        #expect(entries.map { $0["run_number"] as? Int } == [1, 2], "\(ledger.stdout)")
        let runIDs = try (1...2).map { number in
            try JSONOutput.object(try home.hangar("run-info", "loader", String(number), "--json").stdout)["run_id"] as? String
        }
        #expect(entries.map { $0["run_id"] as? String } == runIDs)

        let loads = try home.hangar("sql", "e2e_account", "-c", "SELECT count(*) AS loads FROM e2e_data._dlt_loads", "--json")
        #expect(try JSONOutput.array(loads.stdout).first?["loads"] as? Int == 2, "\(loads.stdout)\(loads.stderr)")
    }

    // MARK: - Support

    /// Swift flights compile against the FlightKit SDK beside the `hangar` binary
    /// (`libFlightKit.so` and `Modules/FlightKit.swiftmodule`). Without it the supervisor would
    /// build the SDK into each test's home, for minutes; fail at once, saying what to build.
    static func requireSDK() throws {
        let folder = try HangarProcess.executable().deletingLastPathComponent()
        let missing = ["libFlightKit.so", "Modules/FlightKit.swiftmodule"].filter {
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
        }
        guard missing.isEmpty else {
            throw TestFailure("""
                the FlightKit SDK is not built beside \(folder.path)/hangar (missing \(missing.joined(separator: ", "))); \
                build it with `swift build --product FlightKit` (same --scratch-path and configuration as the tests) \
                — `make test` does — then run the tests again
                """)
        }
    }

    /// `2026-11-30T17:50:30.416871Z` → seconds since that day's midnight.
    static func secondOfDay(_ timestamp: Any?) -> Double {
        guard let text = timestamp as? String, let match = text.firstMatch(of: /T(\d\d):(\d\d):(\d\d(?:\.\d+)?)Z$/),
              let hours = Double(match.1), let minutes = Double(match.2), let seconds = Double(match.3) else { return .nan }
        return hours * 3600 + minutes * 60 + seconds
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
