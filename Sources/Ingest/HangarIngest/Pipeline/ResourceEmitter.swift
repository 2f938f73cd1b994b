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
    /// The rows written to the package so far (rows an incremental dropped do not count).
    public private(set) var rowCount = 0
    private let files: ExtractFiles
    private let index: Int
    private let incrementalFilter: IncrementalFilter?

    init(resource: String, index: Int, source: String, state: PipelineState, files: ExtractFiles,
         incremental: Incremental? = nil, primaryKey: [String] = []) throws {
        self.resource = resource
        self.index = index
        self.source = source
        let resourceState = state.resource(resource, source: source)
        self.state = resourceState
        self.sourceState = state.source(source)
        self.files = files
        incrementalFilter = try incremental.map {
            try IncrementalFilter($0, resource: resource, primaryKey: primaryKey, state: resourceState)
        }
    }

    /// The resource's incremental cursor, nil without an ``Incremental``. Read it before fetching
    /// to ask a source only for what is new: `emit.incremental?.startValue`.
    public var incremental: IncrementalCursor? { incrementalFilter?.cursor }

    /// True once no row emitted from now on can load: the resource's incremental has a
    /// ``Incremental/rowOrder`` and a row came past its range in that order. Stop fetching when it
    /// turns true; rows emitted after it are dropped. (It is a flag rather than a thrown signal so
    /// that a resource's code after its fetch loop, saving its own state for example, still runs.)
    public var shouldStop: Bool { incrementalFilter?.isExhausted ?? false }

    /// One row: a JSON-like object. With an incremental, it is written only if it is in range and
    /// not a duplicate at the boundary.
    public func row(_ value: IngestValue) throws {
        if let incrementalFilter, try !incrementalFilter.admit(value) { return }
        try files.append(value, resource: index)
        rowCount += 1
        if rowCount == 1 { CrashPoint.duringExtract.reached() }
    }

    /// A page of rows; stops early when ``shouldStop`` turns true.
    public func rows(_ page: [IngestValue]) throws {
        for value in page {
            try row(value)
            if shouldStop { return }
        }
    }

    /// One row from an `Encodable` value.
    public func row<Value: Encodable>(encoding value: Value) throws {
        try row(try IngestValueEncoder().encode(value))
    }

    /// Raw JSON (an array of objects, an object holding one, or JSON lines), kept as it is until
    /// normalize parses it.
    ///
    /// With an incremental, the rows are filtered here: each is read from the bytes for its cursor
    /// value alone (and checked), and the rows that load are passed on as JSON lines, their bytes
    /// unchanged. Only rows whose key digest the filter needs are built whole.
    public func json(_ data: Data) throws {
        guard let incrementalFilter else { return try files.appendJSON(data, resource: index) }
        let path = incrementalFilter.path
        var admitted: [Range<Int>] = []
        var rejected = 0, stopped = false
        func row(_ ticket: Int) throws -> IngestValue {
            try JSONReader.value(from: data[data.startIndex + admitted[ticket].lowerBound ..< data.startIndex + admitted[ticket].upperBound])
        }
        do {
            try JSONReader.rows(from: data, layout: .automatic, typed: false, inPlace: { parser in
                let start = parser.byteOffset
                let cursorValue = try path.value(readingRowFrom: &parser)
                let range = start..<parser.byteOffset
                // The row is admitted under its future ticket; a rejected one leaves no trace.
                admitted.append(range)
                if try !incrementalFilter.admit(cursorValue: cursorValue, ticket: admitted.count - 1, rowOf: row) {
                    admitted.removeLast()
                    rejected += 1
                }
                if incrementalFilter.isExhausted { throw StopReading() }
                return true
            }, body: { _, _ in })
        } catch is StopReading {
            stopped = true
        }
        try incrementalFilter.digestPendingKeys(rowOf: row)
        guard !admitted.isEmpty else { return }
        defer {
            let before = rowCount
            rowCount += admitted.count
            if before == 0 { CrashPoint.duringExtract.reached() }
        }
        // Every row loads (a first run, or an API asked since the cursor): the document goes on whole.
        if rejected == 0 && !stopped { return try files.appendJSON(data, resource: index) }
        var lines = Data(capacity: admitted.reduce(0) { $0 + $1.count + 1 })
        data.withUnsafeBytes { bytes in
            for range in admitted {
                lines.append(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + range.lowerBound, count: range.count)
                lines.append(UInt8(ascii: "\n"))
            }
        }
        try files.appendJSON(lines, resource: index, layout: .lines)
    }

    /// Ends reading a document once no later row can load.
    private struct StopReading: Error {}

    /// Writes the incremental's cursor into ``state``, after the resource has produced its rows.
    func finish() {
        incrementalFilter?.write(into: &state)
    }

    /// A JSON file, copied into the package as it is.
    public func jsonFile(_ url: URL) throws {
        // Without an incremental the file needs no parsing here: it is copied in bounded memory
        // (JSON lines in parts) and parsed once, in normalize.
        guard incrementalFilter != nil else { return try files.appendJSONFile(url, resource: index) }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw IngestError(.invalidData, message: "resource \(resource): cannot read \(url.path): \(error.localizedDescription)")
        }
        try json(data)
    }

}
