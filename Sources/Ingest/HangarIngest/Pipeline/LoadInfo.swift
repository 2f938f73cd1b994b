import Foundation

/// What a pipeline run did: packages loaded (or not), jobs, rows per table and time per stage.
/// Prints in dlt's format; `jsonData()` gives the same as JSON for scripts.
public struct LoadInfo: Sendable, Codable, Equatable, CustomStringConvertible {
    public struct Job: Sendable, Codable, Equatable {
        public var table: String
        public var file: String
        public var state: String
        public var rows: Int?
        public var failedMessage: String?

        enum CodingKeys: String, CodingKey { case table, file, state, rows, failedMessage = "failed_message" }
    }

    public struct Package: Sendable, Codable, Equatable {
        public var loadID: String
        /// `loaded`, `aborted`, or `loaded before` for a package a crash had left committed.
        public var state: String
        public var jobs: [Job]
        public var failedJobs: [Job] { jobs.filter { $0.state == "failed" } }

        enum CodingKeys: String, CodingKey { case loadID = "load_id", state, jobs }
    }

    public var pipelineName: String
    public var destinationName: String
    public var destinationLocation: String
    public var datasetName: String
    public var packages: [Package]
    /// Rows normalized into each table by this run's packages.
    public var rowCounts: [String: Int]
    public var extractSeconds: Double
    public var normalizeSeconds: Double
    public var loadSeconds: Double
    public var warnings: [String]
    /// Rows and values a schema contract dropped, per table.
    public var discardedRows: [String: Int] = [:]
    public var discardedValues: [String: Int] = [:]
    /// The rows were normalized while they were extracted (`extractSeconds` covers both).
    public var normalizedWhileExtracting: Bool?

    enum CodingKeys: String, CodingKey {
        case pipelineName = "pipeline_name", destinationName = "destination_name", destinationLocation = "destination_location"
        case datasetName = "dataset_name", packages, rowCounts = "row_counts", extractSeconds = "extract_seconds"
        case normalizeSeconds = "normalize_seconds", loadSeconds = "load_seconds", warnings
        case discardedRows = "discarded_rows", discardedValues = "discarded_values"
        case normalizedWhileExtracting = "normalized_while_extracting"
    }

    public var hasFailedJobs: Bool { packages.contains { !$0.failedJobs.isEmpty } }

    public var description: String {
        var lines = ["Pipeline \(pipelineName) load step completed in \(String(format: "%.2f", loadSeconds)) seconds"]
        lines.append("\(packages.count) load package(s) were loaded to destination \(destinationName) and into dataset \(datasetName)")
        lines.append("The \(destinationName) destination used \(destinationLocation) location to store data")
        for package in packages {
            let failed = package.failedJobs
            if failed.isEmpty {
                lines.append("Load package \(package.loadID) is \(package.state.uppercased()) and contains no failed jobs")
            } else {
                lines.append("Load package \(package.loadID) is \(package.state.uppercased()) and contains \(failed.count) FAILED job(s)!")
                for job in failed { lines.append("\t\(job.file): \(job.failedMessage ?? "failed")") }
            }
        }
        if !rowCounts.isEmpty {
            lines.append("Rows: " + rowCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if !discardedRows.isEmpty || !discardedValues.isEmpty {
            let rows = discardedRows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) rows" }
            let values = discardedValues.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) values" }
            lines.append("Discarded by the schema contract: " + (rows + values).joined(separator: ", "))
        }
        if normalizedWhileExtracting == true {
            lines.append(String(format: "Stages: extract and normalize side by side %.2fs, load %.2fs", extractSeconds, loadSeconds))
        } else {
            lines.append(String(format: "Stages: extract %.2fs, normalize %.2fs, load %.2fs", extractSeconds, normalizeSeconds, loadSeconds))
        }
        for warning in warnings { lines.append("Warning: \(warning)") }
        return lines.joined(separator: "\n")
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
