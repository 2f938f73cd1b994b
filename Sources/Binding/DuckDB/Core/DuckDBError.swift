import CDuckDB

/// An error reported by DuckDB, or by the binding when a value cannot be converted.
///
/// The message is DuckDB's own text, unchanged; `sql` is the statement that failed, when there
/// was one. Match on `kind` (`error.kind == .constraint`) rather than on the message.
public struct DuckDBError: Error, Sendable, Equatable, CustomStringConvertible {
    public let kind: Kind
    public let message: String
    public let sql: String?

    public init(_ kind: Kind, message: String, sql: String? = nil) {
        self.kind = kind
        self.message = message
        self.sql = sql
    }

    public var description: String {
        guard let sql else { return message }
        return "\(message) (while executing: \(sql))"
    }

    func with(sql: String) -> DuckDBError {
        DuckDBError(kind, message: message, sql: self.sql ?? sql)
    }

    /// The category of an error. New categories may be added; compare with the static members.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let code: Code
        private init(_ code: Code) { self.code = code }

        public var description: String { code.rawValue }

        public static let unknown = Kind(.unknown)
        public static let outOfRange = Kind(.outOfRange)
        public static let conversion = Kind(.conversion)
        public static let catalog = Kind(.catalog)
        public static let parser = Kind(.parser)
        public static let binder = Kind(.binder)
        public static let constraint = Kind(.constraint)
        public static let transaction = Kind(.transaction)
        public static let io = Kind(.io)
        public static let interrupt = Kind(.interrupt)
        public static let invalidInput = Kind(.invalidInput)
        public static let outOfMemory = Kind(.outOfMemory)
        public static let permission = Kind(.permission)
        public static let notImplemented = Kind(.notImplemented)
        public static let invalidType = Kind(.invalidType)
        public static let serialization = Kind(.serialization)
        public static let connection = Kind(.connection)
        public static let `internal` = Kind(.internal)
        public static let other = Kind(.other)
        /// Raised by the binding itself: a value of the wrong type, a closed object, misuse.
        public static let misuse = Kind(.misuse)

        private enum Code: String {
            case unknown = "Unknown", outOfRange = "Out of Range", conversion = "Conversion"
            case catalog = "Catalog", parser = "Parser", binder = "Binder", constraint = "Constraint"
            case transaction = "Transaction", io = "IO", interrupt = "Interrupt"
            case invalidInput = "Invalid Input", outOfMemory = "Out of Memory"
            case permission = "Permission", notImplemented = "Not implemented"
            case invalidType = "Invalid type", serialization = "Serialization"
            case connection = "Connection", `internal` = "Internal", other = "Other"
            case misuse = "Misuse"
        }

        init(_ type: duckdb_error_type) {
            switch type {
            case DUCKDB_ERROR_OUT_OF_RANGE: self = .outOfRange
            case DUCKDB_ERROR_CONVERSION: self = .conversion
            case DUCKDB_ERROR_CATALOG: self = .catalog
            case DUCKDB_ERROR_PARSER: self = .parser
            case DUCKDB_ERROR_BINDER: self = .binder
            case DUCKDB_ERROR_CONSTRAINT: self = .constraint
            case DUCKDB_ERROR_TRANSACTION: self = .transaction
            case DUCKDB_ERROR_IO: self = .io
            case DUCKDB_ERROR_INTERRUPT: self = .interrupt
            case DUCKDB_ERROR_INVALID_INPUT: self = .invalidInput
            case DUCKDB_ERROR_OUT_OF_MEMORY: self = .outOfMemory
            case DUCKDB_ERROR_PERMISSION: self = .permission
            case DUCKDB_ERROR_NOT_IMPLEMENTED: self = .notImplemented
            case DUCKDB_ERROR_INVALID_TYPE: self = .invalidType
            case DUCKDB_ERROR_SERIALIZATION: self = .serialization
            case DUCKDB_ERROR_CONNECTION: self = .connection
            case DUCKDB_ERROR_INTERNAL: self = .internal
            case DUCKDB_ERROR_INVALID: self = .unknown
            default: self = .other
            }
        }
    }
}

extension DuckDBError {
    static func misuse(_ message: String, sql: String? = nil) -> DuckDBError {
        DuckDBError(.misuse, message: message, sql: sql)
    }

    /// The error of a failed `duckdb_result`; DuckDB's text is kept verbatim.
    static func from(result: UnsafeMutablePointer<duckdb_result>, sql: String?) -> DuckDBError {
        let message = duckdb_result_error(result).map { String(cString: $0) } ?? "unknown DuckDB error"
        return DuckDBError(Kind(duckdb_result_error_type(result)), message: message, sql: sql)
    }
}
