import CivilCalendar

/// A wall-clock minute in the proleptic Gregorian calendar, with no time zone attached.
/// Conversions to and from "local minutes" (minutes since 1970-01-01 00:00 on the wall clock)
/// use Howard Hinnant's days-from-civil algorithms, so searching never touches `Calendar`.
struct CivilMinute: Hashable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
    }

    init(localMinute: Int) {
        let days = Self.floorDivide(localMinute, 1440)
        let inDay = localMinute - days * 1440
        let (y, m, d) = Self.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: inDay / 60, minute: inDay % 60)
    }

    /// Minutes since 1970-01-01 00:00 on the wall clock.
    var localMinute: Int {
        Self.days(year: year, month: month, day: day) * 1440 + hour * 60 + minute
    }

    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    static func isLeapYear(_ year: Int) -> Bool { CivilCalendar.isLeapYear(year) }

    static func daysIn(year: Int, month: Int) -> Int { CivilCalendar.daysIn(year: year, month: month) }

    /// Days since 1970-01-01.
    static func days(year: Int, month: Int, day: Int) -> Int { CivilCalendar.days(year: year, month: month, day: day) }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) { CivilCalendar.civil(fromDays: days) }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let days = days(year: year, month: month, day: day)
        return ((days % 7) + 7 + 4) % 7
    }
}
