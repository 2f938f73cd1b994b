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
        "\(purpose) (pid \(pid)) since \(CivilCalendar.iso8601(wholeSecondsOf: since.timeIntervalSince1970))"
    }
}
