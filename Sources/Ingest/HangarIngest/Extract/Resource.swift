import Foundation

/// A named stream of rows for one table, with that table's hints: what a source is made of.
///
///     let repos = Resource("repos", hints: TableHints(table: "github_repo_stats", primaryKey: ["repo"])) { emit in
///         for name in ["duckdb/duckdb", "dlt-hub/dlt"] {
///             try await emit.row(fetchRepo(name))
///         }
///         emit.state["last_run"] = .string(now)
///     }
///
/// With an ``Incremental``, only rows that are new since the last run load; see there.
public struct Resource: Sendable {
    public let name: String
    public var hints: TableHints
    /// Loads only rows past the cursor's last value, and keeps that value in this resource's state.
    public var incremental: Incremental?
    let produce: @Sendable (ResourceEmitter) async throws -> Void

    public init(_ name: String, hints: TableHints? = nil, incremental: Incremental? = nil,
                produce: @escaping @Sendable (ResourceEmitter) async throws -> Void) {
        self.name = name
        self.hints = hints ?? TableHints(table: name)
        self.incremental = incremental
        self.produce = produce
    }

    /// A resource over any sequence of rows; with a sorted incremental, iteration stops as soon
    /// as no later row can load.
    public static func rows<Rows: Sequence & Sendable>(_ name: String, _ rows: Rows, hints: TableHints? = nil,
                                                       incremental: Incremental? = nil) -> Resource
    where Rows.Element == IngestValue {
        Resource(name, hints: hints, incremental: incremental) { emit in
            for row in rows {
                try emit.row(row)
                if emit.shouldStop { break }
            }
        }
    }

    /// A resource over an asynchronous sequence of rows (one at a time or pages of them).
    public static func stream<Rows: AsyncSequence & Sendable>(_ name: String, _ rows: Rows, hints: TableHints? = nil,
                                                              incremental: Incremental? = nil) -> Resource
    where Rows.Element == IngestValue {
        Resource(name, hints: hints, incremental: incremental) { emit in
            for try await row in rows {
                try emit.row(row)
                if emit.shouldStop { break }
            }
        }
    }

    /// A resource over `Encodable` values, each becoming one row.
    public static func encodable<Rows: Sequence & Sendable>(_ name: String, _ rows: Rows, hints: TableHints? = nil,
                                                            incremental: Incremental? = nil) -> Resource
    where Rows.Element: Encodable {
        Resource(name, hints: hints, incremental: incremental) { emit in
            for row in rows {
                try emit.row(encoding: row)
                if emit.shouldStop { break }
            }
        }
    }

    /// A resource over raw JSON: an array of objects, an object holding such an array, or JSON
    /// lines. The bytes go to the load package as they are and are parsed once, in normalize
    /// (with an incremental, each row is first read during extract for its cursor value alone,
    /// and the rows that load go on as they are).
    public static func json(_ name: String, _ data: Data, hints: TableHints? = nil, incremental: Incremental? = nil) -> Resource {
        Resource(name, hints: hints, incremental: incremental) { emit in try emit.json(data) }
    }

    /// A resource over JSON files (arrays, objects holding an array, or JSON lines).
    public static func jsonFiles(_ name: String, _ files: [URL], hints: TableHints? = nil, incremental: Incremental? = nil) -> Resource {
        Resource(name, hints: hints, incremental: incremental) { emit in
            for file in files {
                try emit.jsonFile(file)
                if emit.shouldStop { break }
            }
        }
    }
}

/// Several resources loaded together, each into its own table; the source's name keys its
/// section of the pipeline state.
public struct Source: Sendable {
    public let name: String
    public var resources: [Resource]
    /// The contract of resources that set none of their own; a run's contract overrides both.
    public var schemaContract: SchemaContract?

    public init(_ name: String, resources: [Resource], schemaContract: SchemaContract? = nil) {
        self.name = name
        self.resources = resources
        self.schemaContract = schemaContract
    }
}
