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
    /// normalize parses it. With an incremental, its rows are filtered first (see `filterJSON`).
    public func json(_ data: Data) throws {
        guard case .whole(let rows) = try filterJSON(data) else { return }
        try files.appendJSON(data, resource: index)
        passedOn(rows)
    }

    /// A JSON file, copied into the package as it is: in bounded memory (JSON lines in parts), to
    /// be parsed once, in normalize. With an incremental, its rows are filtered first.
    public func jsonFile(_ url: URL) throws {
        if incrementalFilter != nil {
            let data: Data
            do {
                data = try Data(contentsOf: url, options: .alwaysMapped)
            } catch {
                throw IngestError(.invalidData, message: "resource \(resource): cannot read \(url.path): \(error.localizedDescription)")
            }
            guard case .whole(let rows) = try filterJSON(data) else { return }
            try files.appendJSONFile(url, resource: index)
            passedOn(rows)
        } else {
            try files.appendJSONFile(url, resource: index)
        }
    }

    /// A document may be passed on whole when every row of it loads and it has at most this many
    /// rows: until then the place of each row is kept (16 bytes), in case one does not load.
    static let wholeDocumentRows = 1 << 18

    /// What became of a document's rows.
    private enum Filtered {
        /// The document is to be passed on whole: every row loads (a first run, or an API asked
        /// since the cursor), or there is no incremental (`rows` nil: they are not counted).
        case whole(rows: Int?)
        /// The rows that load (if any) were passed on as JSON lines, their bytes unchanged, in
        /// parts of about the package's part size.
        case passedOn
    }

    /// Filters a document's rows through the incremental, if there is one. Each row is read from
    /// the bytes for its cursor value alone (and checked); only rows whose key digest the filter
    /// needs are built whole.
    private func filterJSON(_ data: Data) throws -> Filtered {
        guard let incrementalFilter else { return .whole(rows: nil) }
        let path = incrementalFilter.path, partBytes = files.flushBytes
        // Loading rows not passed on yet, and whether the document may still go on whole.
        var unsent: [Range<Int>] = []
        var unsentBytes = 0, whole = true
        func row(_ place: Range<Int>) throws -> IngestValue {
            try JSONReader.value(from: data[data.startIndex + place.lowerBound ..< data.startIndex + place.upperBound])
        }
        func send() throws {
            guard !unsent.isEmpty else { return }
            var lines = Data(capacity: unsentBytes)
            data.withUnsafeBytes { bytes in
                let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
                for place in unsent {
                    lines.append(base + place.lowerBound, count: place.count)
                    lines.append(UInt8(ascii: "\n"))
                }
            }
            try files.appendJSON(lines, resource: index, layout: .lines)
            passedOn(unsent.count)
            unsent.removeAll(keepingCapacity: true)
            unsentBytes = 0
        }
        do {
            try JSONReader.rows(from: data, layout: .automatic, typed: false, inPlace: { parser in
                let start = parser.byteOffset
                let cursorValue = try path.value(readingRowFrom: &parser)
                let place = start..<parser.byteOffset
                if try incrementalFilter.admit(cursorValue: cursorValue, place: place, rowOf: row) {
                    unsent.append(place)
                    unsentBytes += place.count + 1
                    if unsent.count > Self.wholeDocumentRows { whole = false }
                } else {
                    whole = false
                }
                if !whole, unsentBytes >= partBytes { try send() }
                if incrementalFilter.isExhausted { throw StopReading() }
                return true
            }, body: { _, _ in })
        } catch is StopReading {
            whole = false
        }
        try incrementalFilter.digestPendingKeys(rowOf: row)
        if whole, !unsent.isEmpty { return .whole(rows: unsent.count) }
        try send()
        return .passedOn
    }

    private func passedOn(_ rows: Int?) {
        guard let rows, rows > 0 else { return }
        let before = rowCount
        rowCount += rows
        if before == 0 { CrashPoint.duringExtract.reached() }
    }

    /// Ends reading a document once no later row can load.
    private struct StopReading: Error {}

    /// Writes the incremental's cursor into ``state``, after the resource has produced its rows.
    func finish() {
        incrementalFilter?.write(into: &state)
    }
}
