import Foundation

/// Maps between instants and wall-clock minutes in one time zone, resolving the minutes a
/// daylight-saving change skips or repeats.
struct WallClock {
    let timeZone: TimeZone

    private func offset(_ second: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(second)))
    }

    /// The wall-clock minute containing `date`.
    func localMinute(of date: Date) -> Int {
        let local = date.timeIntervalSince1970 + TimeInterval(timeZone.secondsFromGMT(for: date))
        return Int((local / 60).rounded(.down))
    }

    /// The instant (seconds since 1970) a wall-clock minute stands for:
    /// - a minute that occurs once: that instant;
    /// - a minute that occurs twice (the repeated hour when clocks fall back): the first occurrence;
    /// - a minute that does not occur (the gap when clocks spring forward): the end of the gap,
    ///   i.e. the first instant after the change.
    func instant(ofLocalMinute minute: Int) -> Int {
        let local = minute * 60
        let before = offset(local - 86_400)
        let after = offset(local + 86_400)
        var best: Int?
        for candidate in Set([before, after]) {
            let instant = local - candidate
            if offset(instant) == candidate {
                best = min(best ?? instant, instant)
            }
        }
        if let best { return best }
        // In a gap: the change lies between the two readings; find its first second.
        var low = min(local - before, local - after)
        var high = max(local - before, local - after)
        let lowOffset = offset(low)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(middle) == lowOffset { low = middle } else { high = middle }
        }
        return high
    }
}
