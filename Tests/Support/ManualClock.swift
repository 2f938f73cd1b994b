import Foundation

/// The time a test gives the platform (`Flights(home:clock:)` stamps records with it): it
/// stands still until the test sets or moves it.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// Starts at `date`; by default 2026-05-28 20:26:40 UTC.
    public init(_ date: Date = Date(timeIntervalSince1970: 1_780_000_000)) { current = date }

    public var now: Date { lock.withLock { current } }

    public func set(_ date: Date) { lock.withLock { current = date } }

    public func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// The date of an ISO-8601 UTC text, for readable expectations.
public func utc(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text)!
}
