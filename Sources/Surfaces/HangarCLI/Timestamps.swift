import Foundation
import HangarViews

/// How times and durations are written for people: UTC ISO-8601 to the second (JSON has
/// `JSONTime`'s microseconds).
enum Timestamps {
    static func human(_ date: Date?) -> String {
        date.map { iso($0, fractional: false) } ?? "-"
    }

    static func iso(_ date: Date, fractional: Bool) -> String {
        JSONTime.iso(date, fractional: fractional)
    }

    /// "850ms", "12s", "3m 05s", "2h 03m", "3d 04h": two units at most, enough to compare runs.
    static func duration(_ interval: TimeInterval) -> String {
        let interval = max(0, interval)
        if interval < 1 { return "\(Int((interval * 1000).rounded()))ms" }
        if interval < 60 { return String(format: "%.1fs", interval) }
        let seconds = Int(interval.rounded())
        let (minutes, hours, days) = (seconds / 60, seconds / 3600, seconds / 86400)
        if hours == 0 { return String(format: "%dm %02ds", minutes, seconds % 60) }
        if days == 0 { return String(format: "%dh %02dm", hours, minutes % 60) }
        return String(format: "%dd %02dh", days, hours % 24)
    }
}
