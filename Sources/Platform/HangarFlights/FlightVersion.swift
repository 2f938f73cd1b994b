import Foundation

/// One immutable version of a flight's content, without its code: what
/// `MD_LIST_FLIGHT_VERSIONS` shows.
public struct FlightVersion: Sendable, Hashable, Identifiable {
    public let id: UUID
    public let flightID: UUID
    /// 1, 2, 3 … per flight.
    public let number: Int
    public let createdAt: Date
    public let runtime: FlightRuntime
    public let config: [String: String]
    /// Lower-cased, in the order given; on a clash between their params the last one wins.
    public let secretNames: [String]
    public let accessTokenName: String?
    /// Nil when never set; 0 means no limit.
    public let maxRuntimeSec: Int?
    public let instanceType: String?
}

/// A version with its code: what `MD_GET_FLIGHT_VERSION` shows and what a run executes.
public struct FlightVersionDetail: Sendable, Hashable {
    public let version: FlightVersion
    public let sourceCode: String
    /// Nil when the flight has no requirements.
    public let requirementsTxt: String?
}
