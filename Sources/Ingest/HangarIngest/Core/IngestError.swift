/// An ingest failure: what was wrong, and where (resource, table, column, row) when known.
///
/// The message is written for the person running the pipeline: it says what to change.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Code
    public let message: String
    /// For a failed load: what the run did, failed jobs included.
    public internal(set) var loadInfo: LoadInfo?

    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The category of a failure; new categories may be added, compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: Name
        private init(_ name: Name) { self.name = name }
        public var description: String { name.rawValue }

        public static let invalidName = Code(.invalidName)
        public static let invalidData = Code(.invalidData)
        /// A loader file could not be written, found or read back.
        public static let loaderFile = Code(.loaderFile)
        /// Input that is not well-formed JSON (or typed JSON lines); the message says where.
        public static let malformedJSON = Code(.malformedJSON)
        /// Reading or writing the pipeline's files failed (disk full, permissions).
        public static let storage = Code(.storage)
        /// A feature this version does not have yet.
        public static let unsupported = Code(.unsupported)
        /// A load job failed for good; the package was aborted and the destination left as it was.
        public static let loadFailed = Code(.loadFailed)
        /// Data broke a frozen schema contract; nothing was loaded.
        public static let contractViolation = Code(.contractViolation)
        /// An incremental cannot run as configured, or a row's cursor value is missing or cannot
        /// be compared with the cursor's values; the message names the resource and the row.
        public static let incrementalCursor = Code(.incrementalCursor)

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
