extension ISO8601Timestamp {
    /// `2026-11-25T14:03:11Z`, with six fractional digits only when the instant has them: the
    /// form APIs take in `since=` parameters and `parse` reads back exactly.
    static func format(_ microseconds: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var days = microseconds / perDay, rest = microseconds % perDay
        if rest < 0 {
            days -= 1
            rest += perDay
        }
        let seconds = rest / 1_000_000, fraction = rest % 1_000_000
        var text = formatDate(Int32(clamping: days)) + "T" + twoDigits(seconds / 3600) + ":" + twoDigits(seconds / 60 % 60) + ":" + twoDigits(seconds % 60)
        if fraction != 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: 6 - digits.count) + digits
        }
        return text + "Z"
    }

    /// `2026-11-25` for days since 1970-01-01 (the inverse of `daysFromCivil`).
    static func formatDate(_ days: Int32) -> String {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let yearText = String(abs(year))
        return (year < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + twoDigits(Int64(month)) + "-" + twoDigits(Int64(day))
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
