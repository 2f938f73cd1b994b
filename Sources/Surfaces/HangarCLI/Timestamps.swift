import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How times and durations are written: UTC ISO-8601 everywhere, to the second for people and
/// to the microsecond (the store's precision) in JSON.
enum Timestamps {
    static func human(_ date: Date?) -> String {
        date.map { iso($0, fractional: false) } ?? "-"
    }

    static func json(_ date: Date?) -> JSONDocument {
        date.map { .string(iso($0, fractional: true)) } ?? .null
    }

    static func iso(_ date: Date, fractional: Bool) -> String {
        let microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = time_t(microseconds.quotient(1_000_000))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let day = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                         Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        guard fractional else { return day + "Z" }
        return day + String(format: ".%06dZ", Int(microseconds.remainder(1_000_000)))
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

private extension Int64 {
    /// Division rounding down, so times before 1970 still get a non-negative fraction.
    func quotient(_ divisor: Int64) -> Int64 { (self - remainder(divisor)) / divisor }
    func remainder(_ divisor: Int64) -> Int64 { ((self % divisor) + divisor) % divisor }
}
