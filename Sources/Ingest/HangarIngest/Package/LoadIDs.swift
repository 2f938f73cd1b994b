import Foundation

/// Load ids are Unix timestamps with microsecond precision ("1795615391.123456"), increasing
/// within a pipeline even when two come within the same microsecond.
enum LoadIDs {
    static func next(after previous: String?) -> String {
        var micros = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down))
        if let previous, let last = Double(previous) {
            let lastMicros = Int64((last * 1_000_000).rounded())
            if micros <= lastMicros { micros = lastMicros + 1 }
        }
        return String(micros / 1_000_000) + "." + String(format: "%06lld", micros % 1_000_000)
    }
}
