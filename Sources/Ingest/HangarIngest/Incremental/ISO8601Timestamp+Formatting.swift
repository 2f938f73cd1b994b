import CivilCalendar

extension ISO8601Timestamp {
    /// `2026-11-25T14:03:11Z`, with six fractional digits only when the instant has them: the
    /// form APIs take in `since=` parameters and `parse` reads back exactly.
    static func format(_ microseconds: Int64) -> String {
        CivilCalendar.iso8601(microsecondsSince1970: microseconds)
    }

    /// `2026-11-25` for days since 1970-01-01 (the inverse of `daysFromCivil`).
    static func formatDate(_ days: Int32) -> String {
        CivilCalendar.iso8601(days: Int(days))
    }
}
