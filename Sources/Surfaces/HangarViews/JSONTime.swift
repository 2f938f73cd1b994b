import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How the surfaces write times in JSON: ISO-8601 in UTC with microseconds, the store's precision
/// (`2026-11-30T07:15:00.123456Z`), in `--json` and in the API alike.
public enum JSONTime {
    public static func iso(_ date: Date, fractional: Bool = true) -> String {
        let microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        // Rounding down, so times before 1970 still get a non-negative fraction.
        let fraction = ((microseconds % 1_000_000) + 1_000_000) % 1_000_000
        var seconds = time_t((microseconds - fraction) / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let day = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                         Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return fractional ? day + String(format: ".%06dZ", Int(fraction)) : day + "Z"
    }

    /// Seconds rounded to milliseconds: enough to compare runs, short to print.
    public static func seconds(_ interval: TimeInterval) -> Double {
        (interval * 1000).rounded() / 1000
    }
}
