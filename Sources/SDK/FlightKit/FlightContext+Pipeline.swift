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
    public func pipeline(_ name: String, database: String, dataset: String? = nil,
                         options: PipelineOptions = PipelineOptions()) throws -> Pipeline {
        let account = try self.database(database)
        var options = options
        if options.destinationAccess == nil {
            options.destinationAccess = { work in try account.withLease(work) }
        }
        return try Pipeline(name: name, destination: .duckdb(path: account.url.path), dataset: dataset,
                            pipelinesDirectory: home.pipelines, options: options)
    }
}
