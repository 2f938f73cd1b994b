import Foundation
import HangarTestSupport
import Testing

/// Input that once blocked a pipeline for good: a table name longer than a file name may be
/// (a long key holding a list, nesting hundreds deep). It loads, and the runs after it still do.
struct HostileInputTests {
    @Test(arguments: ["long key", "deep nesting"])
    func aTableNameLongerThanAFileNameLoadsAndBlocksNothing(kind: String) throws {
        let scratch = try ScratchDirectory()
        let home = scratch.path("home")
        try Data("{\"id\":1,\"name\":\"a\"}\n".utf8).write(to: scratch.url.appendingPathComponent("good.jsonl"))
        let hostile: String
        if kind == "long key" {
            hostile = "{\"id\":2,\"\(String(repeating: "k", count: 300))\":[1,2]}\n"
        } else {
            hostile = "{\"id\":2,\"a\":" + String(repeating: "{\"a\":", count: 249) + "[1,2]" + String(repeating: "}", count: 249) + "}\n"
        }
        try Data(hostile.utf8).write(to: scratch.url.appendingPathComponent("hostile.jsonl"))
        let common = ["--table", "t", "--database", "hostile", "--home", home, "--json"]
        for file in ["good", "hostile", "good", "hostile"] {
            let run = try HangarProcess.run(["ingest", scratch.path("\(file).jsonl")] + common)
            #expect(run.status == 0, "\(file): \(run.stderr)")
        }
        let counts = try HangarProcess.run(["sql", "hostile", "--home", home, "--json", "-c", """
            SELECT (SELECT count(*) FROM ingest_t_dataset.t) AS parents,
                   (SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 't__%' AND length(table_name) > 120) AS long_tables
            """])
        #expect(counts.status == 0, "\(counts.stderr)")
        let row = try JSONOutput.array(counts.stdout).first
        #expect(row?["parents"] as? Int == 4, "\(counts.stdout)")
        #expect(row?["long_tables"] as? Int == 1, "\(counts.stdout)")
    }
}

/// Runs of one pipeline racing over its packages: a run killed with its package pending, then
/// three runs of the same pipeline at once. They take turns (the pipeline's lease), one of them
/// loads the pending package and counts its rows, and every row is there exactly once.
struct PipelineConcurrencyTests {
    @Test(.timeLimit(.minutes(3)))
    func runsOfOnePipelineTakeTurnsAndLoadEveryRowOnce() async throws {
        let scratch = try ScratchDirectory()
        let home = scratch.path("home")
        for (index, name) in ["killed", "a", "b", "c"].enumerated() {
            let rows = (0..<1000).map { "{\"id\":\(index * 1000 + $0),\"run\":\"\(name)\"}" }.joined(separator: "\n") + "\n"
            try Data(rows.utf8).write(to: scratch.url.appendingPathComponent("\(name).jsonl"))
        }
        let common = ["--table", "events", "--database", "shared", "--home", home, "--json"]
        // Killed inside its load transaction: its package stays pending.
        let killed = try HangarProcess.run(["ingest", scratch.path("killed.jsonl")] + common, environment: ["HANGAR_CRASH_AT": "load-transaction"])
        #expect(killed.status != 0)

        let runs = try ["a", "b", "c"].map { try HangarProcess.start(["ingest", scratch.path("\($0).jsonl")] + common) }
        var finished: [ProgramOutput] = []
        for run in runs { finished.append(await run.finish()) }
        var loadedRows = 0
        for run in finished {
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            // The only thing a run may say on stderr is that it waited its turn.
            let other = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("waiting for pipeline ingest_events:") && !$0.isEmpty }
            #expect(other.isEmpty, "\(run.stderr)")
            loadedRows += (try JSONOutput.object(run.stdout)["row_counts"] as? [String: Any])?["events"] as? Int ?? 0
        }
        // Each run counts what it loaded, the pending package included.
        #expect(loadedRows == 4000)
        let counts = try HangarProcess.run(["sql", "shared", "--home", home, "--json", "-c",
                                            "SELECT count(*) AS n, count(DISTINCT id) AS ids, count(DISTINCT run) AS runs FROM ingest_events_dataset.events"])
        let row = try JSONOutput.array(counts.stdout).first
        #expect(row?["n"] as? Int == 4000 && row?["ids"] as? Int == 4000 && row?["runs"] as? Int == 4, "\(counts.stdout)\(counts.stderr)")
    }
}

/// Rules that disagreed with themselves, and an ATTACH that slipped past the lease.
struct ConsistentRefusalTests {
    @Test func keysThatCannotBeEnvironmentVariablesAreRefusedEverywhere() throws {
        let home = try FlightsTestHome()
        let secret = try home.hangar("secret", "create", "s", "bad key=value")
        #expect(secret.status == 4, "\(secret.stdout)\(secret.stderr)")
        #expect(secret.stderr.contains("is not an environment variable name"), "\(secret.stderr)")
        let config = try home.sqlError("""
            SELECT * FROM MD_CREATE_FLIGHT(name := 'nl', source_code := 'print(1)', config := MAP {'A' || chr(10) || 'B': 'x'})
            """)
        #expect(config.contains("config key \"A\\nB\" is not an environment variable name"), "\(config)")
        let equals = try home.hangar("secret", "create", "s", "A=B=C")
        #expect(equals.status == 0, "a value may hold '=': \(equals.stderr)")
    }

    @Test func aFlightIdThatIsNotOneNamesTheParameter() throws {
        let home = try FlightsTestHome()
        let error = try home.sqlError("SELECT * FROM MD_GET_FLIGHT(flight_id := 'leaker')")
        #expect(error.contains("Invalid Input Error: MD_GET_FLIGHT: flight_id must be a flight's id (a UUID), not \"leaker\""), "\(error)")
        #expect(!error.contains("Conversion Error"), "\(error)")
    }

    @Test func attachingAnAccountDatabaseByPathIsRefused() throws {
        let home = try FlightsTestHome()
        _ = try home.hangar("sql", "-c", "CREATE DATABASE other")
        for spelling in ["\(home.home)/databases/other.duckdb", "duckdb:\(home.home)/databases/../databases/other.duckdb"] {
            let attach = try home.hangar("sql", "-c", "ATTACH '\(spelling)' AS o")
            #expect(attach.status != 0)
            #expect(attach.stderr.contains("other.duckdb is an account database; ATTACH by path would hold it past its lease"), "\(attach.stderr)")
        }
        // By name it is reached under its lease, and a file elsewhere attaches as DuckDB allows.
        #expect(try home.hangar("sql", "-c", "CREATE TABLE other.main.t AS SELECT 1 AS x").status == 0)
        let elsewhere = try home.hangar("sql", "-c", "ATTACH '\(home.scratch.path("free.duckdb"))' AS f", "-c", "CREATE TABLE f.t AS SELECT 1")
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
    }
}

/// A flight that daemonizes a child (double fork, a session of its own) does not leave it running
/// with the run's environment and secrets once the run is over.
struct DaemonizedChildTests {
    @Test(.timeLimit(.minutes(3)))
    func aDoubleForkedChildIsEndedWithTheRun() throws {
        let home = try FlightsTestHome()
        try home.createFlight("daemonizer", source: """
            import os, time
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.setsid()
                if os.fork() == 0:
                    os.write(w, str(os.getpid()).encode())
                    os.close(w)
                    time.sleep(300)
                    os._exit(0)
                os._exit(0)
            os.waitpid(pid, 0)
            os.close(w)
            print("daemon", os.read(r, 64).decode(), flush=True)
            """)
        let run = try home.hangar("run", "daemonizer", "--wait")
        #expect(run.status == 0, "\(run.stderr)")
        let log = try home.hangar("logs", "daemonizer", "1").stdout
        let line = log.split(separator: "\n").first { $0.hasPrefix("daemon ") }
        let pid = try #require(line.flatMap { pid_t($0.dropFirst("daemon ".count)) }, "\(log)")
        #expect(kill(pid, 0) != 0 && errno == ESRCH, "the daemon \(pid) outlived its run")
        #expect(log.contains("[hangar] ended 1 process the flight left running: \(pid) (python"), "\(log)")
    }
}

/// What failed input and noisy runs leave behind is bounded.
struct RetentionTests {
    @Test func onlyTheNewestFailedPackagesAreKept() throws {
        let scratch = try ScratchDirectory()
        let home = scratch.path("home")
        try Data("{\"id\":1}\n{\"id\": oops}\n".utf8).write(to: scratch.url.appendingPathComponent("bad.jsonl"))
        for _ in 0..<4 {
            let run = try HangarProcess.run(["ingest", scratch.path("bad.jsonl"), "--table", "t", "--database", "r", "--home", home,
                                             "--keep-failed-packages", "2"])
            #expect(run.status != 0)
            #expect(run.stderr.contains("set aside"), "\(run.stderr)")
        }
        let failed = try FileManager.default.contentsOfDirectory(atPath: home + "/pipelines/ingest_t/normalize/failed")
        #expect(failed.filter { !$0.hasPrefix(".") }.count == 2, "\(failed)")
    }

    @Test(.timeLimit(.minutes(3)))
    func aNoisyRunsLogKeepsItsStartAndItsEnd() throws {
        let home = try FlightsTestHome()
        try home.createFlight("noisy", source: """
            for i in range(30000):
                print("line %06d " % i + "x" * 90)
            print("the end", flush=True)
            """)
        let run = try HangarProcess.run(["run", "noisy", "--wait", "--home", home.home], environment: ["HANGAR_RUN_LOG_MAX_BYTES": "1000000"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try home.hangar("logs", "noisy", "1").stdout.split(separator: "\n").map(String.init)
        let bytes = lines.reduce(0) { $0 + $1.utf8.count }
        #expect(bytes < 1_200_000, "\(bytes) bytes kept")
        #expect(lines.contains { $0.hasSuffix("line 000000 " + String(repeating: "x", count: 90)) })
        #expect(lines.contains { $0.hasSuffix("the end") })
        #expect(lines.contains { $0.contains("[hangar] the log passed 781 KB: from here only its last 195 KB are kept") }, "\(lines.prefix(3))")
        #expect(lines.contains { $0.contains("lines (") && $0.contains(") were left out here; the last") })
    }
}

/// A malformed line deep in a large file (which extract copies in parts) is reported at the
/// file's own row, line and byte.
struct ErrorPositionTests {
    @Test(.timeLimit(.minutes(2)))
    func aMalformedLinePastTheFirstPartNamesTheFilesLineAndByte() throws {
        let scratch = try ScratchDirectory()
        // 200,000 rows of one line each, the 123,457th malformed; made in a few large pieces.
        let good = "{\"id\": 7, \"name\": \"n7\", \"payload\": \"xxxxxxxxxxxxxxxxxxxx\"}\n"
        let before = String(repeating: good, count: 123_456)
        let badByte = before.utf8.count + "{\"id\": ".utf8.count
        let text = before + "{\"id\": oops}\n" + String(repeating: good, count: 200_000 - 123_457)
        let file = scratch.url.appendingPathComponent("big.jsonl")
        try Data(text.utf8).write(to: file)
        let run = try HangarProcess.run(["ingest", file.path, "--table", "big", "--database", "positions", "--home", scratch.path("home")])
        #expect(run.status != 0)
        #expect(run.stderr.contains("malformed JSON in row 123457 (line 123457, byte \(badByte) of \(file.path)): expected a value, found 'o'"),
                "\(run.stderr)")
    }
}

/// Generated hostile rows, each file through one pipeline: every run loads or fails naming the
/// row and line of the input, and a good run after it always succeeds.
struct HostileRowsPropertyTests {
    /// A deterministic generator, so a failure names the seed that reproduces it.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let names = ["id", String(repeating: "k", count: 300), "ключ", "🚀", "!!!", "___", " ", "a.b", "A", "a", "blockHash",
                        "block_hash", "x__y", "123", "\u{0007}bell", "tab\tkey", "quote\"key"]

    static func value(_ generator: inout Generator, depth: Int) -> String {
        switch generator.next(depth > 3 ? 4 : 7) {
        case 0: return String(generator.next(1_000_000) - 500_000)
        case 1: return "\"text \(generator.next(100))\""
        case 2: return ["true", "false", "null"][generator.next(3)]
        case 3: return String(Double(generator.next(1000)) / 7)
        case 4: return "[" + (0..<generator.next(3)).map { _ in value(&generator, depth: depth + 1) }.joined(separator: ",") + "]"
        case 5: return object(&generator, depth: depth + 1)
        default:
            let levels = 50 + generator.next(250)
            return String(repeating: "{\"n\":", count: levels) + "[1]" + String(repeating: "}", count: levels)
        }
    }

    static func object(_ generator: inout Generator, depth: Int) -> String {
        let count = 1 + generator.next(4)
        let fields = (0..<count).map { _ in
            let name = names[generator.next(names.count)].unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\"": return "\\\""
                case "\t": return "\\t"
                case "\u{0007}": return "\\u0007"
                default: return String(scalar)
                }
            }.joined()
            return "\"\(name)\":\(value(&generator, depth: depth))"
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    @Test(.timeLimit(.minutes(6)))
    func everyRunLoadsOrNamesTheRowAndTheNextGoodRunSucceeds() throws {
        let scratch = try ScratchDirectory()
        let home = scratch.path("home")
        try Data("{\"id\": 1, \"name\": \"good\"}\n".utf8).write(to: scratch.url.appendingPathComponent("good.jsonl"))
        let common = ["--table", "hostile", "--database", "property", "--home", home]
        for seed in 1...12 {
            var generator = Generator(state: UInt64(seed))
            var lines = (0..<(5 + generator.next(20))).map { _ in Self.object(&generator, depth: 0) }
            // Now and then a line that is not JSON at all.
            if seed % 4 == 0 { lines.insert("{\"id\": 1, oops", at: generator.next(lines.count)) }
            let file = scratch.url.appendingPathComponent("hostile-\(seed).jsonl")
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)

            let hostile = try HangarProcess.run(["ingest", file.path] + common)
            if hostile.status != 0 {
                #expect(hostile.stderr.contains("row ") && hostile.stderr.contains("line "),
                        "seed \(seed): a failure must name the row and line: \(hostile.stderr)")
            }
            let good = try HangarProcess.run(["ingest", scratch.path("good.jsonl")] + common)
            #expect(good.status == 0, "seed \(seed): the good run after it failed: \(good.stderr)")
        }
    }
}
