import DuckDB
import Foundation

/// The loader files of a package being normalized: one writer per table, files named
/// `<table>.<file id>.<retry>.<format>`, and `jobs.json` recording each file's columns so the
/// load step (maybe in a later process) reads every file with the types it was written with.
final class JobWriters {
    static let manifestName = "jobs.json"

    private let folder: URL
    private let format: LoaderFileFormat
    private let maxFileBytes: Int
    /// The file ids of each table's files, so writers working side by side name their files
    /// apart, in order; nil for ids from 0 without a limit.
    private let fileIDs: Range<Int>?
    private var writers: [String: LoaderFileWriter] = [:]

    init(folder: URL, format: LoaderFileFormat, maxFileBytes: Int, fileIDs: Range<Int>? = nil) {
        self.folder = folder
        self.format = format
        self.maxFileBytes = maxFileBytes
        self.fileIDs = fileIDs
    }

    func write(_ batch: TableBatch) throws {
        guard batch.rowCount > 0 else { return }
        if writers[batch.table] == nil {
            let table = batch.table, format = format, offset = fileIDs?.lowerBound ?? 0
            writers[table] = try LoaderFileWriter(table: table, format: format, folder: folder, maxFileBytes: maxFileBytes) {
                JobName.make(table: table, fileID: offset + $0, format: format)
            }
        }
        try writers[batch.table]!.write(batch)
    }

    /// Closes every file; returns each job file's columns, by file name. Fails when a table's
    /// files ran past the writer's file ids, whose names would then sort among the next writer's.
    func finish() throws -> [String: [ColumnSchema]] {
        var jobs: [String: [ColumnSchema]] = [:]
        for table in writers.keys.sorted() {
            let files = try writers[table]!.finish()
            if let fileIDs, files.count > fileIDs.count {
                throw IngestError(.loaderFile, message: "\(table) took \(files.count) loader files, more than the \(fileIDs.count) file ids of its writer")
            }
            for file in files { jobs[file.url.lastPathComponent] = file.columns }
        }
        return jobs
    }

    /// Records the jobs of a package beside its `new_jobs` folder, for the load step.
    static func writeManifest(_ jobs: [String: [ColumnSchema]], package: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try PackageFiles.write(try encoder.encode(jobs), to: package.appendingPathComponent(manifestName))
    }


    /// The columns of each job file of a package, by file name.
    static func columns(inPackage package: URL) throws -> [String: [ColumnSchema]] {
        let url = package.appendingPathComponent(manifestName)
        do {
            return try JSONDecoder().decode([String: [ColumnSchema]].self, from: Data(contentsOf: url))
        } catch {
            throw IngestError(.storage, message: "cannot read the job list \(url.path): \(error)")
        }
    }

    /// Loads one job file into `qualifiedTable` inside the caller's transaction.
    static func load(_ job: URL, format: LoaderFileFormat, table: String, columns: [ColumnSchema],
                     into qualifiedTable: String, on connection: Connection) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: job.path))?[.size] as? Int ?? 0
        let file = LoaderFile(url: job, format: format, table: table, columns: columns, rowCount: 0, byteCount: size)
        try LoaderFileLoad.load(file, into: qualifiedTable, on: connection)
    }
}
