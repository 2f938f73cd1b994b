import Foundation

/// What a resource writes its rows and state to during extract. Rows go straight to files in
/// the load package being extracted, so memory stays flat however many rows a resource yields.
public final class ResourceEmitter {
    public let resource: String
    public let source: String
    /// This resource's section of the pipeline state; kept when the load commits.
    public var state: [String: StateValue]
    /// The source's own section of the pipeline state, shared by its resources.
    public var sourceState: [String: StateValue]
    public private(set) var rowCount = 0
    private let files: ExtractFiles
    private let index: Int

    init(resource: String, index: Int, source: String, state: PipelineState, files: ExtractFiles) {
        self.resource = resource
        self.index = index
        self.source = source
        self.state = state.resource(resource, source: source)
        self.sourceState = state.source(source)
        self.files = files
    }

    /// One row: a JSON-like object.
    public func row(_ value: IngestValue) throws {
        try files.append(value, resource: index)
        rowCount += 1
        if rowCount == 1 { CrashPoint.duringExtract.reached() }
    }

    /// A page of rows.
    public func rows(_ page: [IngestValue]) throws {
        for value in page { try row(value) }
    }

    /// One row from an `Encodable` value.
    public func row<Value: Encodable>(encoding value: Value) throws {
        try row(try IngestValueEncoder().encode(value))
    }

    /// Raw JSON (an array of objects, an object holding one, or JSON lines), kept as it is until
    /// normalize parses it.
    public func json(_ data: Data) throws {
        try files.appendJSON(data, resource: index)
    }

    /// A JSON file, copied into the package as it is.
    public func jsonFile(_ url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw IngestError(.invalidData, message: "resource \(resource): cannot read \(url.path): \(error.localizedDescription)")
        }
        try json(data)
    }
}
