/// An ingest failure: what was wrong, and where (resource, table, column, row) when known.
///
/// The message is written for the person running the pipeline: it says what to change.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Code
    public let message: String

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

        private enum Name: String {
            case invalidName = "invalid name"
            case invalidData = "invalid data"
        }
    }
}
