import DuckDB
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `HangarBench dlt`: the issue's workloads through dlt 1.27.2 and through Hangar, on the same
/// machine in the same invocation, each run a child process measured from outside (`ChildRun`:
/// wall time, peak RSS). After each workload both databases must hold the same tables — row counts
/// and a checksum of the user columns of `github_repo_stats` and `github_repo_stats__topics` —
/// or the benchmark fails (after printing its figures).
///
/// 1. HANGAR_BENCH_RECORDS records merged on `id` into an empty table (DuckDB's own `read_json`
///    runs on the same file for the "within 2×" target)
/// 2. an update of them (10% changed, 1% new) merged into the table from 1
/// 3. the records in 10 pages from a resource with an incremental cursor on `pushed_at`,
///    appended into an empty table (append, so that the workload measures the cursor, not the key).
///    Each side's resource hands its pages over as that side's API clients do: dlt's yields
///    lists of dicts (parsed with orjson), Hangar's passes each page's JSON text (`emit.json`,
///    what FlightKit's REST client does with a page)
/// 4. HANGAR_BENCH_BIG_RECORDS records appended (Hangar also appends HANGAR_BENCH_RECORDS records
///    alone, the baseline of the flat-memory target)
///
/// Knobs (environment):
/// - `HANGAR_BENCH_RECORDS` (default 200000): records of workloads 1–3
/// - `HANGAR_BENCH_BIG_RECORDS` (default 2000000): records of workload 4
/// - `HANGAR_BENCH_DLT_WORKLOADS` (default `1,2,3,4`): which workloads run (2 implies 1)
/// - `HANGAR_BENCH_REPEATS` (default 3): how often each side of workloads 1–3, and `read_json`,
///   runs from the same starting state; the median time and median peak RSS are reported, with
///   every run's beside them. A run of a few tenths of a second varies by 10% on a shared VM.
/// - `HANGAR_DLT_VENV`: a ready virtual environment with dlt, instead of `scripts/dlt-venv`'s
///
/// Data is generated once by `bench/generate_github_repos.py` into `.build/bench-data/` and
/// reused; the commands run from the package root, as `make bench` does.
struct DltComparison {
    static let table = "github_repo_stats"
    static let dataset = "bench"
    static let pages = 10

    let records: Int
    let bigRecords: Int
    let workloads: Set<Int>
    let repeats: Int
    let hangar: String
    let bench: String
    let dataFolder = URL(fileURLWithPath: ".build/bench-data", isDirectory: true)

    init() {
        let environment = ProcessInfo.processInfo.environment
        records = Int(environment["HANGAR_BENCH_RECORDS"] ?? "") ?? 200_000
        bigRecords = Int(environment["HANGAR_BENCH_BIG_RECORDS"] ?? "") ?? 2_000_000
        var selected = Set((environment["HANGAR_BENCH_DLT_WORKLOADS"] ?? "1,2,3,4").split(separator: ",")
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        if selected.contains(2) { selected.insert(1) }
        workloads = selected
        repeats = max(1, Int(environment["HANGAR_BENCH_REPEATS"] ?? "") ?? 3)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        bench = executable.path
        hangar = executable.deletingLastPathComponent().appendingPathComponent("hangar").path
    }

    /// One workload's two sides (or why it did not run).
    struct Result {
        let number: Int
        let label: String
        let records: Int
        var dlt: ChildRun?
        var hangar: ChildRun?
        var notRun: String?
    }

    func run() throws {
        say("== dlt 1.27.2 vs Hangar: \(grouped(records)) GitHub-repository-like records (workloads 1–3), "
              + "\(grouped(bigRecords)) (workload 4); each run a separate process")
        guard FileManager.default.isExecutableFile(atPath: hangar) else {
            throw BenchFailure("no hangar binary next to HangarBench at \(hangar); build it: swift build -c release --product hangar")
        }
        let python = try dltPython()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-bench-dlt-\(getpid())", isDirectory: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        var results: [Result] = []
        var mismatches: [String] = []
        var reference: ChildRun?
        var baseline: ChildRun?

        do {
            let base = try dataFile(records)

            // Workloads 1 and 2: merge on id, the update merged into the table from 1.
            if workloads.contains(1) {
                let readJSONDB = work.appendingPathComponent("read_json.duckdb")
                reference = try medianRun(reset: { try remove([readJSONDB]) }) {
                    try ChildRun.run(hangar, ["sql", readJSONDB.path, "-c", "CREATE TABLE t AS SELECT * FROM read_json('\(base.path)')"])
                }
                say("DuckDB read_json → CREATE TABLE AS on workload 1's file: \(describe(reference!))")
                let update = workloads.contains(2) ? try updateFile(records) : nil
                let updateRecords = try update.map { try countRecords($0) } ?? 0
                let oneLabel = "1 merge \(grouped(records)) → empty", twoLabel = "2 merge \(grouped(updateRecords)) (10% chg, 1% new)"
                if let problem = hangarMergeProblem(work) {
                    say("workloads 1–2 NOT RUN: \(problem)")
                    results.append(Result(number: 1, label: oneLabel, records: records, notRun: "hangar merge did not run, see above"))
                    if update != nil {
                        results.append(Result(number: 2, label: twoLabel, records: updateRecords, notRun: "hangar merge did not run, see above"))
                    }
                } else {
                    let dltDB = work.appendingPathComponent("w12-dlt.duckdb"), hangarDB = work.appendingPathComponent("w12-hangar.duckdb")
                    let dltDir = work.appendingPathComponent("w12-dlt-pipelines"), home = work.appendingPathComponent("w12-hangar-home")
                    var one = Result(number: 1, label: oneLabel, records: records)
                    one.dlt = try medianRun(reset: { try remove([dltDB, dltDir]) }) {
                        try runDlt(python, "merge", base, dltDB, dltDir, expectRows: records, workload: 1)
                    }
                    one.hangar = try medianRun(reset: { try remove([hangarDB, home]) }) {
                        try runHangarIngest(base, hangarDB, home, merge: true, expectRows: records, workload: 1)
                    }
                    results.append(one)
                    if let mismatch = try compare(workload: 1, dltDB, hangarDB, expectRows: records) { mismatches.append(mismatch) }
                    if let update {
                        let newRecords = Int(Double(records) * 0.01)
                        var two = Result(number: 2, label: twoLabel, records: updateRecords)
                        // Every run of workload 2 starts from the tables workload 1 left.
                        let afterOne = work.appendingPathComponent("w12-after-workload-1", isDirectory: true)
                        let dltState = [dltDB, dltDir], hangarState = [hangarDB, home]
                        try save(dltState + hangarState, in: afterOne)
                        two.dlt = try medianRun(reset: { try restore(dltState, from: afterOne) }) {
                            try runDlt(python, "merge", update, dltDB, dltDir, expectRows: updateRecords, workload: 2)
                        }
                        two.hangar = try medianRun(reset: { try restore(hangarState, from: afterOne) }) {
                            try runHangarIngest(update, hangarDB, home, merge: true, expectRows: updateRecords, workload: 2)
                        }
                        try? FileManager.default.removeItem(at: afterOne)
                        results.append(two)
                        if let mismatch = try compare(workload: 2, dltDB, hangarDB, expectRows: records + newRecords) { mismatches.append(mismatch) }
                    }
                }
            }

            // Workload 3: an incremental cursor on pushed_at, 10 pages, appended.
            if workloads.contains(3) {
                var three = Result(number: 3, label: "3 incremental pushed_at, \(Self.pages) pages", records: records)
                if let problem = HangarIncrementalWorkload.unavailable {
                    say("workload 3 NOT RUN: \(problem)")
                    three.notRun = "the Hangar side is not built in, see above"
                } else {
                    let dltDB = work.appendingPathComponent("w3-dlt.duckdb"), hangarDB = work.appendingPathComponent("w3-hangar.duckdb")
                    let dltDir = work.appendingPathComponent("w3-dlt-pipelines"), home = work.appendingPathComponent("w3-hangar-home")
                    three.dlt = try medianRun(reset: { try remove([dltDB, dltDir]) }) {
                        try runDlt(python, "incremental", base, dltDB, dltDir, expectRows: records, workload: 3)
                    }
                    three.hangar = try medianRun(reset: { try remove([hangarDB, home]) }) {
                        let hangarRun = try ChildRun.run(bench, ["hangar-incremental", base.path, hangarDB.path, home.path, String(Self.pages)])
                        try check(rowCounts: hangarRowCounts(hangarRun.output), expectRows: records, side: "Hangar", workload: 3, run: hangarRun)
                        say("workload 3 Hangar: \(describe(hangarRun))\(hangarStages(hangarRun.output))")
                        return hangarRun
                    }
                    if let mismatch = try compare(workload: 3, dltDB, hangarDB, expectRows: records) { mismatches.append(mismatch) }
                }
                results.append(three)
            }

            // Workload 4: many records appended; Hangar's append of the small file is the memory baseline.
            if workloads.contains(4) {
                var four = Result(number: 4, label: "4 append \(grouped(bigRecords))", records: bigRecords)
                baseline = try runHangarIngest(base, work.appendingPathComponent("w4-baseline.duckdb"),
                                               work.appendingPathComponent("w4-baseline-home"), merge: false, expectRows: records,
                                               workload: 4, note: " (baseline: \(grouped(records)) appended)")
                try? FileManager.default.removeItem(at: work.appendingPathComponent("w4-baseline.duckdb"))
                try? FileManager.default.removeItem(at: work.appendingPathComponent("w4-baseline-home"))
                if let problem = diskProblem(forRecords: bigRecords) {
                    say("workload 4 NOT RUN: \(problem)")
                    four.notRun = "not enough free disk, see above"
                } else {
                    let big = try dataFile(bigRecords)
                    let dltRate = results.first { $0.number == 1 }?.dlt.map { Double(records) / $0.seconds } ?? 3_700
                    say("workload 4: dlt appends \(grouped(bigRecords)) records now — expect about "
                          + "\(Int((Double(bigRecords) / dltRate / 60).rounded(.up))) minute(s) at \(grouped(Int(dltRate))) rows/s; Hangar follows")
                    let dltDB = work.appendingPathComponent("w4-dlt.duckdb"), hangarDB = work.appendingPathComponent("w4-hangar.duckdb")
                    four.dlt = try runDlt(python, "append", big, dltDB, work.appendingPathComponent("w4-dlt-pipelines"),
                                          expectRows: bigRecords, workload: 4)
                    four.hangar = try runHangarIngest(big, hangarDB, work.appendingPathComponent("w4-hangar-home"), merge: false,
                                                      expectRows: bigRecords, workload: 4)
                    if let mismatch = try compare(workload: 4, dltDB, hangarDB, expectRows: bigRecords) { mismatches.append(mismatch) }
                }
                results.append(four)
            }
        }

        say("")
        report(results, reference: reference, baseline: baseline)
        if !mismatches.isEmpty {
            throw BenchFailure("dlt and Hangar produced different tables:\n" + mismatches.joined(separator: "\n"))
        }
    }

    // MARK: - Running each side

    /// Runs `body` `repeats` times, each after `reset` set up the starting state, and returns
    /// the median time and the median peak RSS (the output of the run with the median time),
    /// listing every run's figures with them. The files are left as the last run wrote them.
    private func medianRun(reset: () throws -> Void, _ body: () throws -> ChildRun) throws -> ChildRun {
        var runs: [ChildRun] = []
        for _ in 0..<repeats {
            try reset()
            runs.append(try body())
        }
        let byTime = runs.sorted { $0.seconds < $1.seconds }[runs.count / 2]
        var median = ChildRun(seconds: byTime.seconds, peakRSSBytes: runs.map(\.peakRSSBytes).sorted()[runs.count / 2],
                              output: byTime.output)
        median.allSeconds = runs.map(\.seconds)
        median.allPeakRSSBytes = runs.map(\.peakRSSBytes)
        if runs.count > 1 { say("  median of \(runs.count): \(describe(median))") }
        return median
    }

    /// Removes databases (with their WAL) and folders, for a run that starts from nothing.
    private func remove(_ items: [URL]) throws {
        for item in items + items.filter { $0.pathExtension == "duckdb" }.map { URL(fileURLWithPath: $0.path + ".wal") } {
            if FileManager.default.fileExists(atPath: item.path) { try FileManager.default.removeItem(at: item) }
        }
    }

    /// Copies `items` into `folder`, to `restore` before each run that starts from them.
    private func save(_ items: [URL], in folder: URL) throws {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for item in items where FileManager.default.fileExists(atPath: item.path) {
            try FileManager.default.copyItem(at: item, to: folder.appendingPathComponent(item.lastPathComponent))
        }
    }

    private func restore(_ items: [URL], from folder: URL) throws {
        try remove(items)
        for item in items {
            let saved = folder.appendingPathComponent(item.lastPathComponent)
            if FileManager.default.fileExists(atPath: saved.path) { try FileManager.default.copyItem(at: saved, to: item) }
        }
    }

    private func runDlt(_ python: String, _ mode: String, _ file: URL, _ database: URL, _ pipelines: URL,
                        expectRows: Int, workload: Int) throws -> ChildRun {
        let run = try ChildRun.run(python, [
            "bench/dlt_workload.py", mode, file.path, "--database", database.path, "--pipelines-dir", pipelines.path,
            "--pipeline", "bench", "--dataset", Self.dataset, "--table", Self.table, "--pages", String(Self.pages),
        ])
        let line = run.output.split(separator: "\n").last { $0.hasPrefix("{") }
        let object = line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]
        try check(rowCounts: object?["row_counts"] as? [String: Int], expectRows: expectRows, side: "dlt", workload: workload, run: run)
        say("workload \(workload) dlt: \(describe(run)) (pipeline.run itself \(String(format: "%.2f", object?["seconds"] as? Double ?? 0)) s)")
        return run
    }

    private func runHangarIngest(_ file: URL, _ database: URL, _ home: URL, merge: Bool, expectRows: Int, workload: Int,
                                 note: String = "") throws -> ChildRun {
        var arguments = ["ingest", file.path, "--table", Self.table, "--database", database.path, "--dataset", Self.dataset,
                         "--pipeline", "bench", "--home", home.path, "--json"]
        if merge { arguments += ["--write-disposition", "merge", "--primary-key", "id"] }
        let run = try ChildRun.run(hangar, arguments)
        try check(rowCounts: hangarRowCounts(run.output), expectRows: expectRows, side: "Hangar", workload: workload, run: run)
        say("workload \(workload) Hangar\(note): \(describe(run))\(hangarStages(run.output))")
        return run
    }

    /// `row_counts` of a LoadInfo printed as JSON (pretty-printed, possibly after other output).
    private func hangarRowCounts(_ output: String) -> [String: Int]? {
        guard let start = output.range(of: "{\n")?.lowerBound ?? output.firstIndex(of: "{"),
              let end = output.lastIndex(of: "}") else { return nil }
        let object = try? JSONSerialization.jsonObject(with: Data(output[start...end].utf8)) as? [String: Any]
        return object?["row_counts"] as? [String: Int]
    }

    private func hangarStages(_ output: String) -> String {
        guard let start = output.range(of: "{\n")?.lowerBound ?? output.firstIndex(of: "{"), let end = output.lastIndex(of: "}"),
              let object = try? JSONSerialization.jsonObject(with: Data(output[start...end].utf8)) as? [String: Any] else { return "" }
        if object["normalized_while_extracting"] as? Bool == true {
            return String(format: " (extract and normalize side by side %.2f s, load %.2f s)", object["extract_seconds"] as? Double ?? 0,
                          object["load_seconds"] as? Double ?? 0)
        }
        return String(format: " (extract %.2f s, normalize %.2f s, load %.2f s)", object["extract_seconds"] as? Double ?? 0,
                      object["normalize_seconds"] as? Double ?? 0, object["load_seconds"] as? Double ?? 0)
    }

    private func check(rowCounts: [String: Int]?, expectRows: Int, side: String, workload: Int, run: ChildRun) throws {
        let loaded = rowCounts?[Self.table] ?? -1
        guard loaded == expectRows else {
            throw BenchFailure("workload \(workload): \(side) loaded \(loaded) rows into \(Self.table), expected \(expectRows):\n\(run.output)")
        }
    }

    /// Why `hangar ingest --write-disposition merge` cannot run, found by merging one record into a scratch database.
    private func hangarMergeProblem(_ work: URL) -> String? {
        let probe = work.appendingPathComponent("merge-probe.jsonl")
        _ = FileManager.default.createFile(atPath: probe.path, contents: Data("{\"id\": 1, \"name\": \"probe\"}\n".utf8))
        defer {
            for name in ["merge-probe.jsonl", "merge-probe.duckdb", "merge-probe.duckdb.wal", "merge-probe-home"] {
                try? FileManager.default.removeItem(at: work.appendingPathComponent(name))
            }
        }
        do {
            _ = try ChildRun.run(hangar, ["ingest", probe.path, "--table", "probe", "--database", work.appendingPathComponent("merge-probe.duckdb").path,
                                          "--home", work.appendingPathComponent("merge-probe-home").path,
                                          "--write-disposition", "merge", "--primary-key", "id"])
            return nil
        } catch {
            let message = "\(error)".split(separator: "\n").first { $0.contains("Error:") } ?? "\(error)".split(separator: "\n").last ?? ""
            return "hangar ingest --write-disposition merge fails: \(message.trimmingCharacters(in: .whitespaces))"
        }
    }

    /// The venv's python: `HANGAR_DLT_VENV`, else the one `scripts/dlt-venv` makes (once) and prints.
    private func dltPython() throws -> String {
        if let venv = ProcessInfo.processInfo.environment["HANGAR_DLT_VENV"], !venv.isEmpty { return venv + "/bin/python" }
        let marker = ProcessInfo.processInfo.environment["HANGAR_CACHE_DIR"] == nil ? "" : " (HANGAR_CACHE_DIR)"
        say("dlt: scripts/dlt-venv\(marker) …")
        let run = try ChildRun.run("scripts/dlt-venv", [])
        guard let venv = run.output.split(separator: "\n").last.map(String.init), FileManager.default.isExecutableFile(atPath: venv + "/bin/python") else {
            throw BenchFailure("scripts/dlt-venv printed no usable venv:\n\(run.output)")
        }
        return venv + "/bin/python"
    }

    // MARK: - The same tables on both sides

    struct TableDigest: Equatable {
        var columns: [String]
        var rows: Int
        var checksum: String
        var orphans: Int
        var text: String { "\(grouped(rows)) rows, checksum \(checksum)" + (orphans > 0 ? ", \(orphans) rows without a parent" : "") }
    }

    /// Row count and checksum of every user table of the dataset, over the user columns
    /// (`_dlt_*` left out; timestamps as epoch microseconds); child tables hash each row with its
    /// list index and its parent's `id`, so a child row moved to another parent changes the sum.
    func digests(_ database: URL) throws -> [String: TableDigest] {
        let connection = try Database(path: database.path, configuration: Configuration(accessMode: .readOnly)).connect()
        let schema = Self.dataset
        var tables: [String] = []
        try connection.query("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = '\(schema)' AND NOT starts_with(table_name, '_dlt') ORDER BY table_name
            """).forEach { tables.append(try $0.get(0, as: String.self)) }
        var result: [String: TableDigest] = [:]
        for table in tables {
            var columns: [(name: String, type: String)] = []
            try connection.query("""
                SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = '\(schema)' AND table_name = '\(table.replacingOccurrences(of: "'", with: "''"))' ORDER BY column_name
                """).forEach { columns.append((try $0.get(0, as: String.self), try $0.get(1, as: String.self))) }
            let user = columns.filter { !$0.name.hasPrefix("_dlt_") }
            func expression(_ alias: String, _ column: (name: String, type: String)) -> String {
                let quoted = "\(alias).\"\(column.name.replacingOccurrences(of: "\"", with: "\"\""))\""
                return column.type.hasPrefix("TIMESTAMP") ? "epoch_us(\(quoted))" : quoted
            }
            var hashed = user.map { expression("c", $0) }
            var join = ""
            var orphans = "0"
            if let separator = table.range(of: "__", options: .backwards) {
                let parent = String(table[..<separator.lowerBound])
                join = "LEFT JOIN \"\(schema)\".\"\(parent)\" p ON c._dlt_parent_id = p._dlt_id"
                hashed.append("c._dlt_list_idx")
                if parent == Self.table { hashed.append("p.id") }
                orphans = "count(*) FILTER (WHERE p._dlt_id IS NULL)"
            }
            let row = try connection.query("""
                SELECT count(*), coalesce(sum(hash(\(hashed.joined(separator: ", ")))), 0)::VARCHAR, \(orphans)
                FROM "\(schema)"."\(table)" c \(join)
                """).next()
            result[table] = TableDigest(columns: user.map { "\($0.name) \($0.type)" }, rows: try row?.get(0, as: Int.self) ?? -1,
                                        checksum: try row?.get(1, as: String.self) ?? "?", orphans: try row?.get(2, as: Int.self) ?? -1)
        }
        return result
    }

    /// nil when both databases hold the same tables (and the root table the expected rows), else what differs.
    private func compare(workload: Int, _ dltDB: URL, _ hangarDB: URL, expectRows: Int) throws -> String? {
        let dlt = try digests(dltDB), hangar = try digests(hangarDB)
        var problems: [String] = []
        if dlt.keys.sorted() != hangar.keys.sorted() {
            problems.append("tables: dlt has \(dlt.keys.sorted().joined(separator: ", ")); Hangar has \(hangar.keys.sorted().joined(separator: ", "))")
        }
        for table in Set(dlt.keys).intersection(hangar.keys).sorted() {
            let d = dlt[table]!, h = hangar[table]!
            if d.columns != h.columns {
                problems.append("\(table) columns: dlt has [\(d.columns.joined(separator: ", "))]; Hangar has [\(h.columns.joined(separator: ", "))]")
            } else if d != h {
                problems.append("\(table): dlt \(d.text); Hangar \(h.text)")
            }
        }
        for (side, digest) in [("dlt", dlt), ("Hangar", hangar)] where digest[Self.table]?.rows != expectRows {
            problems.append("\(Self.table): \(side) holds \(digest[Self.table]?.rows ?? 0) rows, expected \(grouped(expectRows))")
        }
        if problems.isEmpty {
            let summary = dlt.keys.sorted().map { "\($0) \(dlt[$0]!.text)" }.joined(separator: "; ")
            say("workload \(workload): same tables on both sides — \(summary)")
            return nil
        }
        let message = "workload \(workload) MISMATCH:\n  " + problems.joined(separator: "\n  ")
        say(message)
        return message
    }

    // MARK: - Report

    private func report(_ results: [Result], reference: ChildRun?, baseline: ChildRun?) {
        let widths = [36, 9, 10, 8, 12, 14, 12, 14]
        let header = ["workload", "dlt s", "Hangar s", "ratio", "rows/s dlt", "rows/s Hangar", "RSS dlt", "RSS Hangar"]
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { index, pair in pad(pair.0, pair.1, right: index > 0) }.joined(separator: " ")
        }
        say(line(header))
        for result in results {
            guard let dlt = result.dlt, let hangar = result.hangar else {
                say(line([result.label, "—", "—", "—", "—", "—", "—", "—"]) + "  not run")
                continue
            }
            say(line([result.label, seconds(dlt.seconds), seconds(hangar.seconds), String(format: "%.1f×", dlt.seconds / hangar.seconds),
                        grouped(Int(Double(result.records) / dlt.seconds)), grouped(Int(Double(result.records) / hangar.seconds)),
                        megabytes(dlt.peakRSSBytes), megabytes(hangar.peakRSSBytes)]))
        }
        if let baseline {
            say(line(["  Hangar append \(grouped(records))", "—", seconds(baseline.seconds), "—", "—",
                        grouped(Int(Double(records) / baseline.seconds)), "—", megabytes(baseline.peakRSSBytes)]))
        }
        if let reference {
            say(line(["  DuckDB read_json, workload 1 file", "—", seconds(reference.seconds), "—", "—",
                        grouped(Int(Double(records) / reference.seconds)), "—", megabytes(reference.peakRSSBytes)]))
        }
        say("ratio = dlt seconds / Hangar seconds (= Hangar rows/s ÷ dlt rows/s); RSS = peak resident memory of the process")
        if repeats > 1 {
            say("workloads 1–3 and read_json: each side ran \(repeats) times from the same start; the median time and the median peak RSS are shown")
        }
        say("")
        func verdict(_ met: Bool) -> String { met ? "met" : "MISSED" }
        for number in [1, 2, 3] {
            guard let result = results.first(where: { $0.number == number }) else { continue }
            guard let dlt = result.dlt, let hangar = result.hangar else {
                say("workload \(number): Hangar ≥10× dlt's rows/s — not measured (\(result.notRun ?? "not run"))")
                continue
            }
            let ratio = dlt.seconds / hangar.seconds
            say("workload \(number): Hangar \(String(format: "%.1f", ratio))× dlt's rows/s (target ≥10×) — \(verdict(ratio >= 10))")
        }
        if let reference {
            if let hangar = results.first(where: { $0.number == 1 })?.hangar {
                let ratio = hangar.seconds / reference.seconds
                say("workload 1: Hangar takes \(String(format: "%.2f", ratio))× DuckDB read_json's time "
                      + "(\(seconds(hangar.seconds)) s vs \(seconds(reference.seconds)) s; target ≤2×) — \(verdict(ratio <= 2))")
            } else {
                say("workload 1: Hangar within 2× of DuckDB read_json (\(seconds(reference.seconds)) s) — not measured")
            }
        }
        for result in results {
            guard let dlt = result.dlt, let hangar = result.hangar else { continue }
            let ratio = Double(hangar.peakRSSBytes) / Double(dlt.peakRSSBytes)
            say("workload \(result.number): Hangar peak RSS \(megabytes(hangar.peakRSSBytes)) vs dlt \(megabytes(dlt.peakRSSBytes)) = "
                  + "\(String(format: "%.2f", ratio))× (target ≤0.5×) — \(verdict(ratio <= 0.5))")
        }
        if let baseline {
            if let big = results.first(where: { $0.number == 4 })?.hangar {
                let ratio = Double(big.peakRSSBytes) / Double(baseline.peakRSSBytes)
                say("workload 4: Hangar peak RSS \(megabytes(big.peakRSSBytes)) at \(grouped(bigRecords)) records vs "
                      + "\(megabytes(baseline.peakRSSBytes)) at \(grouped(records)) (append) = \(String(format: "%.2f", ratio))× "
                      + "(target ≤1.5×) — \(verdict(ratio <= 1.5))")
            } else {
                say("workload 4: Hangar memory flat from \(grouped(records)) to \(grouped(bigRecords)) records — not measured")
            }
        }
    }

    // MARK: - Data

    /// The generated file of `count` records, made once and reused (written under a temporary
    /// name first, so an interrupted generation leaves nothing that looks finished).
    func dataFile(_ count: Int) throws -> URL {
        try generated("github_repos_\(count).jsonl", expectRecords: count, [String(count)])
    }

    /// The update of the `base`-record file: 10% of its records changed, 1% new.
    private func updateFile(_ base: Int) throws -> URL {
        try generated("github_repos_\(base)_update.jsonl", expectRecords: nil,
                      ["0", "--changed", "0.1", "--new", "0.01", "--base", String(base)])
    }

    private func generated(_ name: String, expectRecords: Int?, _ arguments: [String]) throws -> URL {
        try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)
        let file = dataFolder.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: file.path) {
            say("generating \(file.path) …")
            let partial = dataFolder.appendingPathComponent(name + ".partial")
            _ = try ChildRun.run("/usr/bin/env", ["python3", "bench/generate_github_repos.py", arguments[0], partial.path] + arguments.dropFirst())
            try FileManager.default.moveItem(at: partial, to: file)
        }
        // Counting reads the whole file: it checks a cached file and brings it into the page cache for both sides alike.
        let found = try countRecords(file)
        if let expectRecords, found != expectRecords {
            throw BenchFailure("\(file.path) holds \(found) records, expected \(expectRecords); delete it to generate it again")
        }
        return file
    }

    private func countRecords(_ file: URL) throws -> Int {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var lines = 0
        while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { bytes in for byte in bytes where byte == 0x0A { lines += 1 } }
        }
        return lines
    }

    /// Why workload 4 would not fit on disk: its file (if not generated yet), two databases and dlt's and Hangar's packages.
    private func diskProblem(forRecords count: Int) -> String? {
        let file = dataFolder.appendingPathComponent("github_repos_\(count).jsonl")
        let fileBytes = FileManager.default.fileExists(atPath: file.path) ? 0 : count * 700
        let needed = fileBytes + count * 1_200
        var stats = statvfs()
        guard statvfs(dataFolder.path, &stats) == 0 else { return nil }
        let free = Int(stats.f_bavail) * Int(stats.f_frsize)
        guard free < needed else { return nil }
        return "it needs about \(needed / 1_000_000_000 + 1) GB of free disk, \(free / 1_000_000) MB are free (df \(dataFolder.path))"
    }

    private func describe(_ run: ChildRun) -> String {
        let all = run.allSeconds.count > 1
            ? " (runs: \(run.allSeconds.map(seconds).joined(separator: ", ")) s; \(run.allPeakRSSBytes.map(megabytes).joined(separator: ", ")))"
            : ""
        return "\(seconds(run.seconds)) s, peak RSS \(megabytes(run.peakRSSBytes))\(all)"
    }
}

func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return (number < 0 ? "-" : "") + result
}

private func seconds(_ value: Double) -> String { String(format: value < 10 ? "%.2f" : "%.1f", value) }
private func megabytes(_ bytes: Int) -> String { "\(bytes / 1_048_576) MB" }

/// Prints a line and flushes it at once: runs take minutes, and progress should show even when
/// the output goes to a file or a pipe.
private func say(_ line: String) {
    print(line)
    fflush(nil)
}
