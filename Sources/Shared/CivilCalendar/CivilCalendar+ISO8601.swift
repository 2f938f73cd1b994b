extension CivilCalendar {
    /// `2026-11-25T14:03:11Z`, with six fractional digits only when the instant has them.
    ///
    /// Written by hand because Foundation's `.iso8601` date strategies load ICU's time-zone tables
    /// on first use, a cost every `hangar ingest` would pay for one date in a package's manifest.
    public static func iso8601(microsecondsSince1970 microseconds: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var days = microseconds / perDay, rest = microseconds % perDay
        if rest < 0 {
            days -= 1
            rest += perDay
        }
        let seconds = rest / 1_000_000, fraction = rest % 1_000_000
        var text = iso8601(days: Int(clamping: days)) + "T" + twoDigits(seconds / 3600) + ":" + twoDigits(seconds / 60 % 60) + ":" + twoDigits(seconds % 60)
        if fraction != 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: 6 - digits.count) + digits
        }
        return text + "Z"
    }

    /// `2026-11-25T14:03:11Z` for the whole seconds of a time (a `Date`'s `timeIntervalSince1970`),
    /// what Foundation's `.iso8601` date strategies write.
    public static func iso8601(wholeSecondsOf secondsSince1970: Double) -> String {
        iso8601(microsecondsSince1970: Int64(secondsSince1970.rounded(.down)) * 1_000_000)
    }

    /// `2026-11-25` for days since 1970-01-01.
    public static func iso8601(days: Int) -> String {
        let (year, month, day) = civil(fromDays: days)
        let yearText = String(abs(year))
        return (year < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + twoDigits(Int64(month)) + "-" + twoDigits(Int64(day))
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
