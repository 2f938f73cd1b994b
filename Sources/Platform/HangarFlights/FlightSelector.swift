import Foundation

/// How a caller names a flight: by id, or by its unique name. Names are matched ignoring ASCII
/// case (the same rule that keeps them unique), and a name can never look like a UUID, so a
/// string given on a command line or in a URL means exactly one thing.
public enum FlightSelector: Sendable, Hashable, CustomStringConvertible {
    case id(UUID)
    case name(String)

    /// A UUID string selects by id, anything else by name.
    public init(_ idOrName: String) {
        if let id = UUID(uuidString: idOrName) {
            self = .id(id)
        } else {
            self = .name(idOrName)
        }
    }

    public var description: String {
        switch self {
        case .id(let id): id.uuidString.lowercased()
        case .name(let name): "\"\(name)\""
        }
    }
}
