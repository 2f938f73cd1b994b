import CivilCalendar
import Foundation

/// Who holds a database lease, written into the lease file so that a waiting process can say
/// whom it waits for.
public struct LeaseHolder: Sendable, Codable, Equatable, CustomStringConvertible {
    public var pid: Int32
    /// What the holder is doing, in words: "hangar ingest", "flight docs_dlt_ingest run 12".
    public var purpose: String
    public var since: Date

    public init(purpose: String, pid: Int32 = getpid(), since: Date = Date()) {
        self.pid = pid
        self.purpose = purpose
        self.since = since
    }

    public var description: String {
        "\(purpose) (pid \(pid)) since \(Self.iso8601(since))"
    }

    /// What `.iso8601` writes (whole seconds, UTC), without loading ICU's time zones, which cost
    /// every run that takes a lease 2-3 ms.
    static func iso8601(_ date: Date) -> String {
        CivilCalendar.iso8601(microsecondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)) * 1_000_000)
    }
}
