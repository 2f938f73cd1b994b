import Foundation
import HangarAccount
@_exported import HangarIngest

extension FlightContext {
    /// An ingest pipeline loading into one of the account's databases, holding the database's
    /// lease for each package load only; its packages live under the home's `pipelines/`.
    ///
    ///     let pipeline = try flight.pipeline("github_repo_stats", database: "docs_playground",
    ///                                        dataset: "flights_demo_dlt")
    ///     print(try await pipeline.run(repos, loaderFileFormat: .parquet))
    ///
    /// `database: "md:NAME"` is MotherDuck's NAME when the account has a MotherDuck token (runs
    /// get it as `MOTHERDUCK_TOKEN`), and the local account's NAME when it has none: the same
    /// flight runs both ways, as Python flights' `md:` connections do.
    public func pipeline(_ name: String, database: String, dataset: String? = nil,
                         options: PipelineOptions = PipelineOptions()) throws -> Pipeline {
        var options = options
        let destination: Destination
        switch Self.motherDuckDatabase(database) {
        case .some(let motherDuckName) where motherDuckToken != nil:
            destination = .motherDuck(database: motherDuckName, token: MotherDuckToken(motherDuckToken!))
        case let named:
            let account = try self.database(named ?? database)
            if let lake = try account.lake {
                // DuckLake takes concurrent writers itself: no lease, each load one snapshot.
                destination = .duckLake(name: account.name, location: lake.location)
            } else {
                if options.destinationAccess == nil {
                    options.destinationAccess = { work in try account.withLease(work) }
                }
                destination = .duckdb(path: account.url.path)
            }
        }
        // What each run loaded goes to the platform, which records it with the flight's run.
        if let reportFile = environment["HANGAR_LOAD_INFO_FILE"], !reportFile.isEmpty {
            let callerLoaded = options.loaded
            options.loaded = { info in
                LoadReports.append(info, to: reportFile)
                callerLoaded?(info)
            }
        }
        return try Pipeline(name: name, destination: destination, dataset: dataset,
                            pipelinesDirectory: home.pipelines, options: options)
    }

    /// The MotherDuck token of this run, when the account has one.
    var motherDuckToken: String? {
        environment["MOTHERDUCK_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `NAME` of `md:NAME` or `motherduck:NAME` (`my_db` for a bare `md:`, as MotherDuck does);
    /// nil for a local name.
    static func motherDuckDatabase(_ database: String) -> String? {
        let lowered = database.lowercased()
        guard let prefix = ["md:", "motherduck:"].first(where: { lowered.hasPrefix($0) }) else { return nil }
        let rest = database.dropFirst(prefix.count).split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let name = rest.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return name.isEmpty ? "my_db" : name
    }
}

/// The load-info file of a run: one JSON line per pipeline run, appended whole (O_APPEND) so
/// reports from several pipelines, or processes, never interleave.
enum LoadReports {
    static func append(_ info: LoadInfo, to path: String) {
        let report = LoadReport(pipeline: info.pipelineName, dataset: info.datasetName, rows: info.rowCounts,
                                load_ids: info.packages.map(\.loadID))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(report) else { return }
        line.append(0x0A)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The line's fields, as the platform's RunLoadSummary reads them.
    struct LoadReport: Encodable {
        let pipeline: String
        let dataset: String
        let rows: [String: Int]
        let load_ids: [String]
    }
}
