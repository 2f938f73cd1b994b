/// Why a DuckLake account database could not be created or reached.
public struct DuckLakeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No CATALOG given, and the control store is not on PostgreSQL to lend its server.
        case catalogRequired
        /// The catalog refused the attach or could not be reached.
        case catalogUnreachable
        /// The data path's object store refused or could not be reached.
        case storageUnreachable
        /// A database of that name exists already.
        case exists
        /// A bad name, option or path.
        case invalid
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
