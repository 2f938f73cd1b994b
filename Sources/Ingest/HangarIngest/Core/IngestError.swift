/// An ingest failure: what was wrong, and where (resource, table, column, row) when known.
///
/// The message is written for the person running the pipeline: it says what to change.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let kind: Kind
    public let message: String
    /// For a failed load: what the run did, failed jobs included.
    public internal(set) var loadInfo: LoadInfo?
    /// For malformed JSON: where, and what was wrong there, so a caller that knows where the
    /// bytes read came from in the user's input can say it in the input's own terms.
    var malformed: Malformed?

    struct Malformed: Sendable, Equatable {
        /// "in" or "after" `row`; nil before the first row.
        var relation: String?
        var row: Int
        var line: Int
        var byte: Int
        var detail: String
        /// The file the position is in, when the reader saw only part of it.
        var source: String?

        /// The same place, `rows`, `lines` and `bytes` further into the input.
        func shifted(rows: Int, lines: Int, bytes: Int, source: String?) -> Malformed {
            Malformed(relation: relation, row: row + rows, line: line + lines, byte: byte + bytes, detail: detail, source: source)
        }
    }

    static func malformedJSON(_ malformed: Malformed) -> IngestError {
        let place = malformed.relation.map { " \($0) row \(malformed.row)" } ?? ""
        let file = malformed.source.map { " of \($0)" } ?? ""
        var error = IngestError(.malformedJSON, message: "malformed JSON\(place) (line \(malformed.line), byte \(malformed.byte)\(file)): \(malformed.detail)")
        error.malformed = malformed
        return error
    }

    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public static func == (left: IngestError, right: IngestError) -> Bool {
        left.kind == right.kind && left.message == right.message && left.loadInfo == right.loadInfo
    }

    /// The category of a failure; new categories may be added, compare with the static members.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let name: Name
        private init(_ name: Name) { self.name = name }
        public var description: String { name.rawValue }

        public static let invalidName = Kind(.invalidName)
        public static let invalidData = Kind(.invalidData)
        /// A loader file could not be written, found or read back.
        public static let loaderFile = Kind(.loaderFile)
        /// Input that is not well-formed JSON (or typed JSON lines); the message says where.
        public static let malformedJSON = Kind(.malformedJSON)
        /// Reading or writing the pipeline's files failed (disk full, permissions).
        public static let storage = Kind(.storage)
        /// A feature this version does not have yet.
        public static let unsupported = Kind(.unsupported)
        /// A load job failed for good; the package was aborted and the destination left as it was.
        public static let loadFailed = Kind(.loadFailed)
        /// Data broke a frozen schema contract; nothing was loaded.
        public static let contractViolation = Kind(.contractViolation)
        /// An incremental cannot run as configured, or a row's cursor value is missing or cannot
        /// be compared with the cursor's values; the message names the resource and the row.
        public static let incrementalCursor = Kind(.incrementalCursor)

        private enum Name: String {
            case invalidName = "invalid name"
            case invalidData = "invalid data"
            case loaderFile = "loader file"
            case malformedJSON = "malformed JSON"
            case storage, unsupported
            case loadFailed = "load failed"
            case contractViolation = "schema contract violation"
            case incrementalCursor = "incremental cursor"
        }
    }
}
