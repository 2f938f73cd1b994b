import ArgumentParser
import DuckDB
import Foundation
import HangarAccount
import HangarIngest

/// `hangar ingest`: loads JSON files through the ingest engine, for people and scripts.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load JSON or JSON lines files into a DuckDB dataset through the ingest engine.",
        discussion: """
        Each FILE is a JSON array of objects, an object holding such an array, or JSON lines; - reads \
        standard input. Nested objects become columns (owner__login), lists become child tables \
        (repos__topics). The pipeline keeps its state and load packages under $HANGAR_HOME/pipelines, \
        and a failed or interrupted run is finished by the next one.
        """
    )

    @Argument(help: ArgumentHelp("JSON or JSON lines files; - for standard input.", valueName: "file"))
    var files: [String]

    @Option(help: "The table to load into.")
    var table: String

    @Option(help: "A database of the account (a name) or a path ending in .duckdb.")
    var database: String = "my_db"

    @Option(help: "The dataset (schema) in the database; defaults to <pipeline>_dataset.")
    var dataset: String?

    @Option(help: "The pipeline name, which keys its state and packages; defaults to ingest_<table>.")
    var pipeline: String?

    @Option(name: .customLong("write-disposition"), help: "append, replace or merge.")
    var writeDisposition: WriteDisposition = .append

    @Option(name: .customLong("primary-key"), help: ArgumentHelp("Primary key columns, comma-separated.", valueName: "col[,col]"))
    var primaryKey: String?

    @Option(name: .customLong("merge-strategy"), help: "With merge: delete-insert (default), upsert, insert-only or scd2 (history: rows valid from/to).")
    var mergeStrategy: MergeStrategy = .deleteInsert

    @Option(name: .customLong("merge-key"), help: ArgumentHelp("With merge: replace all rows sharing these columns' values.", valueName: "col[,col]"))
    var mergeKey: String?

    @Option(name: .customLong("dedup-sort"), help: ArgumentHelp("With merge: of rows sharing a key, keep the one with the highest (desc, default) or lowest (asc) value.", valueName: "col[:asc|desc]"))
    var dedupSort: String?

    @Option(name: .customLong("hard-delete"), help: ArgumentHelp("With merge: rows where this column is true (or set) delete their key.", valueName: "col"))
    var hardDelete: String?

    @Option(name: .customLong("loader-file-format"), help: "parquet, jsonl or insert_values.")
    var loaderFileFormat: LoaderFileFormat = .parquet

    @Option(name: .customLong("max-table-nesting"), help: "Nested data deeper than this stays JSON.")
    var maxTableNesting: Int?

    @Flag(name: .customLong("delete-completed-jobs"), help: "Delete the loader files of packages once they are loaded (dlt's delete_completed_jobs); the package's record stays.")
    var deleteCompletedJobs = false

    @Flag(name: .customLong("colliding-keys-fail"), help: "Refuse rows with keys that normalize to one column (blockHash and block_hash) instead of loading the last one's value, as dlt does, with a warning.")
    var collidingKeysFail = false

    @Option(name: .customLong("keep-failed-packages"), help: ArgumentHelp("Packages whose data could not be normalized are set aside in normalize/failed; keep this many of the newest.", valueName: "count"))
    var keepFailedPackages = 5

    @Option(help: "The Hangar home (default $HANGAR_HOME, else ~/.hangar).")
    var home: String?

    @Option(name: .customLong("lease-timeout"), help: "Seconds to wait for the database while another process writes to it.")
    var leaseTimeout: Double = 300

    @Flag(help: "Print LoadInfo as JSON.")
    var json = false

    func validate() throws {
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("Standard input (-) can be read only once.") }
        if let maxTableNesting, maxTableNesting < 0 { throw ValidationError("--max-table-nesting takes 0 or more.") }
        if writeDisposition != .merge, mergeKey != nil || dedupSort != nil || hardDelete != nil || mergeStrategy != .deleteInsert {
            throw ValidationError("--merge-strategy, --merge-key, --dedup-sort and --hard-delete go with --write-disposition merge.")
        }
        _ = try parsedDedupSort()
    }

    func run() async throws {
        let hangarHome = HangarHome.resolve(explicit: home)
        let databaseURL: URL
        do {
            databaseURL = try hangarHome.database(database)
        } catch let error as AccountError {
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
        let databasePath = databaseURL.path
        let pipelineName = pipeline ?? "ingest_\((try? NamingConvention().normalize(table)) ?? "table")"
        let hints = TableHints(table: table, writeDisposition: writeDisposition, primaryKey: columns(primaryKey),
                               mergeKey: columns(mergeKey), maxTableNesting: maxTableNesting, mergeStrategy: mergeStrategy,
                               dedupSort: try parsedDedupSort(), hardDelete: hardDelete)
        var inputs: [Data] = []
        var urls: [URL] = []
        for file in files {
            if file == "-" {
                inputs.append(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard FileManager.default.isReadableFile(atPath: file) else {
                    FileHandle.standardError.write(Data("Error: cannot read \(file): no such readable file\n".utf8))
                    throw ExitCode.failure
                }
                urls.append(URL(fileURLWithPath: file))
            }
        }
        let standardInput = inputs, fileURLs = urls
        let resource = Resource(table, hints: hints) { emit in
            for data in standardInput { try emit.json(data) }
            for url in fileURLs { try emit.jsonFile(url) }
        }
        do {
            var options = PipelineOptions()
            options.deleteCompletedJobs = deleteCompletedJobs
            options.failedPackagesKept = max(0, keepFailedPackages)
            options.collidingKeysFail = collidingKeysFail
            let holder = LeaseHolder(purpose: "hangar ingest into \(table) (pipeline \(pipelineName))"), timeout = leaseTimeout
            // A DuckLake database takes concurrent writers itself: no lease, each load one snapshot.
            let lake = DuckLakeDescriptor.isDescriptor(databaseURL) ? try DuckLakeDescriptor.read(from: databaseURL) : nil
            // Other processes (flights, SQL sessions) take turns on the file: hold its lease per package load.
            if lake == nil { options.destinationAccess = { work in
                try DatabaseLease.with(databaseURL, as: holder, timeout: timeout, waiting: { current in
                    let who = current.map(\.description) ?? "another process"
                    FileHandle.standardError.write(Data("waiting for \(databaseURL.lastPathComponent): held by \(who)\n".utf8))
                }, work)
            } }
            // People at a terminal see the stages go by; pipes and scripts get only the result.
            if isatty(STDERR_FILENO) == 1 {
                options.progress = { step in FileHandle.standardError.write(Data("\(step)\n".utf8)) }
            }
            let destination: Destination = lake.map { .duckLake(name: database, location: $0.location) } ?? .duckdb(path: databasePath)
            let pipeline = try Pipeline(name: pipelineName, destination: destination, dataset: dataset,
                                        pipelinesDirectory: hangarHome.pipelines, options: options)
            let info = try await pipeline.run(resource, loaderFileFormat: loaderFileFormat)
            print(json ? String(decoding: try info.jsonData(), as: UTF8.self) : info.description)
        } catch let error as AccountError {
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            throw ExitCode.failure
        } catch let error as IngestError {
            if let info = error.loadInfo {
                print(json ? String(decoding: try info.jsonData(), as: UTF8.self) : info.description)
            }
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}

extension IngestCommand {
    private func columns(_ list: String?) -> [String] {
        list.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
    }

    private func parsedDedupSort() throws -> DedupSort? {
        guard let dedupSort else { return nil }
        let parts = dedupSort.split(separator: ":", maxSplits: 1).map(String.init)
        guard let column = parts.first, !column.isEmpty else { throw ValidationError("--dedup-sort takes a column, like stars:desc.") }
        guard parts.count == 1 || parts[1] == "asc" || parts[1] == "desc" else {
            throw ValidationError("--dedup-sort takes COLUMN, COLUMN:asc or COLUMN:desc, not \(dedupSort).")
        }
        return DedupSort(column: column, order: parts.count == 2 && parts[1] == "asc" ? .ascending : .descending)
    }
}

extension WriteDisposition: ExpressibleByArgument {}
extension MergeStrategy: ExpressibleByArgument {}
extension LoaderFileFormat: ExpressibleByArgument {}
