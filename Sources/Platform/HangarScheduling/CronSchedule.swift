import Foundation

/// A standard 5-field cron schedule (`minute hour day-of-month month day-of-week`), as in the
/// hosted service's `schedule_cron := '15 7 * * *'`.
///
/// Syntax: `*`, values, lists `a,b`, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n` (from `a` to the
/// end of the range); month names `JAN`–`DEC` and day names `SUN`–`SAT` in any case; day-of-week
/// 0–7 with both 0 and 7 meaning Sunday; and the macros `@hourly`, `@daily`, `@midnight`,
/// `@weekly`, `@monthly`, `@yearly`, `@annually`.
///
/// Day-of-month and day-of-week follow Vixie cron: when both are restricted a day matches if
/// either matches; otherwise both must. A field counts as unrestricted when it allows every value
/// (`*`, `*/1`, `1-31`, `0-6`, `SUN-SAT`); `*/2` is a restriction.
///
/// Times are wall-clock times in the time zone passed to ``nextFire(after:in:)``. Across
/// daylight-saving changes:
/// - spring forward: a matching time inside the skipped interval fires once, at the first instant
///   after the change (a 02:30 job in New York fires at 03:00 EDT that day). Several skipped
///   matches collapse into that one firing.
/// - fall back: the repeated hour fires once, at its first occurrence; its second pass never fires.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField

    private static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    private static let fieldList = "minute hour day-of-month month day-of-week"

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]

    /// Parses `expression`; throws a ``CronError`` naming the field and the problem, and rejects
    /// schedules that can never fire (such as `0 0 30 2 *`).
    public init(_ expression: String) throws(CronError) {
        var fields = expression.split(whereSeparator: \.isWhitespace)
        if let first = fields.first, first.hasPrefix("@") {
            guard let expansion = Self.macros[first.lowercased()] else {
                throw CronError(
                    "unknown macro \"\(first)\" (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)")
            }
            guard fields.count == 1 else {
                throw CronError("macro \"\(first)\" stands alone, found \(fields.count) fields in \"\(expression)\"")
            }
            fields = expansion.split(separator: " ")
        }
        guard fields.count == 5 else {
            throw CronError("expected 5 fields (\(Self.fieldList)), found \(fields.count) in \"\(expression)\"")
        }
        minutes = try CronField.parse(fields[0], as: .minute)
        hours = try CronField.parse(fields[1], as: .hour)
        daysOfMonth = try CronField.parse(fields[2], as: .dayOfMonth)
        months = try CronField.parse(fields[3], as: .month)
        daysOfWeek = try CronField.parse(fields[4], as: .dayOfWeek)

        // Only a day-of-month that must match on its own (day-of-week unrestricted) can make a
        // schedule impossible: every calendar date falls on every weekday over the years, and a
        // restricted day-of-week on its own always finds a day.
        if !dayOfWeekRestricted {
            let allowedMonths = months.members
            let possible = allowedMonths.contains { month in
                daysOfMonth.next(atOrAfter: 1).map { $0 <= (month == 2 ? 29 : CronSchedule.longest(month)) } ?? false
            }
            if !possible {
                let names = allowedMonths.map { Self.monthNames[$0 - 1] }
                let place = names.count == 1 ? "in \(names[0])" : "in any of \(names.joined(separator: ", "))"
                throw CronError(
                    "\"\(expression)\" never fires: day-of-month \(daysOfMonth.render(.dayOfMonth)) does not occur \(place)")
            }
        }
    }

    private static func longest(_ month: Int) -> Int {
        CivilMinute.daysIn(year: 2000, month: month)
    }

    private var dayOfMonthRestricted: Bool { daysOfMonth.mask != CronFieldKind.dayOfMonth.fullMask }
    private var dayOfWeekRestricted: Bool { daysOfWeek.mask != CronFieldKind.dayOfWeek.fullMask }

    /// The normalized expression: macros expanded, names and 7 (Sunday) turned into numbers,
    /// full fields written `*`, e.g. `@weekly` → `0 0 * * 0`, `0 9 * jan-mar mon-fri` → `0 9 * 1-3 1-5`.
    public var description: String {
        [
            minutes.render(.minute), hours.render(.hour), daysOfMonth.render(.dayOfMonth),
            months.render(.month), daysOfWeek.render(.dayOfWeek),
        ].joined(separator: " ")
    }

    /// The first instant strictly after `date` at which the schedule fires, with fields read as
    /// wall-clock time in `timeZone` (see the type's notes on daylight-saving changes). Nil only
    /// when no firing exists within the next 100 years, which a parsed schedule never hits.
    public func nextFire(after date: Date, in timeZone: TimeZone = .gmt) -> Date? {
        let clock = WallClock(timeZone: timeZone)
        var cursor = clock.localMinute(of: date)
        let limit = CivilMinute(localMinute: cursor).year + 100
        let after = date.timeIntervalSince1970
        // Wall-clock minutes after `date`'s own can still map to instants at or before it (inside
        // a repeated hour, or collapsed onto the end of a gap); skip those.
        while let candidate = nextMatch(afterLocalMinute: cursor, yearLimit: limit) {
            let instant = clock.instant(ofLocalMinute: candidate)
            if TimeInterval(instant) > after {
                return Date(timeIntervalSince1970: TimeInterval(instant))
            }
            cursor = candidate
        }
        return nil
    }

    /// Whether the schedule fires at the minute containing `date` in `timeZone`
    /// (consistent with ``nextFire(after:in:)``).
    public func fires(at date: Date, in timeZone: TimeZone = .gmt) -> Bool {
        let start = (date.timeIntervalSince1970 / 60).rounded(.down) * 60
        guard let fire = nextFire(after: Date(timeIntervalSince1970: start - 1), in: timeZone) else { return false }
        return fire.timeIntervalSince1970 >= start && fire.timeIntervalSince1970 < start + 60
    }

    private func dayMatches(year: Int, month: Int, day: Int) -> Bool {
        let domMatch = daysOfMonth.contains(day)
        if dayOfMonthRestricted && dayOfWeekRestricted {
            return domMatch || daysOfWeek.contains(CivilMinute.weekday(year: year, month: month, day: day))
        }
        return domMatch && daysOfWeek.contains(CivilMinute.weekday(year: year, month: month, day: day))
    }

    /// The first matching wall-clock minute after `localMinute`, skipping whole months, days and
    /// hours that cannot match.
    func nextMatch(afterLocalMinute localMinute: Int, yearLimit: Int) -> Int? {
        var t = CivilMinute(localMinute: localMinute + 1)
        // Without day-of-week in play the day search can jump straight between allowed days.
        let dayStepsByDOM = !dayOfWeekRestricted
        while t.year <= yearLimit {
            guard let month = months.next(atOrAfter: t.month) else {
                t = CivilMinute(year: t.year + 1, month: 1, day: 1, hour: 0, minute: 0)
                continue
            }
            if month != t.month { t = CivilMinute(year: t.year, month: month, day: 1, hour: 0, minute: 0) }
            let length = CivilMinute.daysIn(year: t.year, month: t.month)
            var day: Int? = t.day
            while let d = day, d <= length, !dayMatches(year: t.year, month: t.month, day: d) {
                day = dayStepsByDOM ? daysOfMonth.next(atOrAfter: d + 1) : d + 1
            }
            guard let day, day <= length else {
                t = CivilMinute(year: t.year, month: t.month + 1, day: 1, hour: 0, minute: 0)
                continue
            }
            if day != t.day { t.day = day; t.hour = 0; t.minute = 0 }
            guard let hour = hours.next(atOrAfter: t.hour) else {
                t.day += 1; t.hour = 0; t.minute = 0
                continue
            }
            if hour != t.hour { t.hour = hour; t.minute = 0 }
            guard let minute = minutes.next(atOrAfter: t.minute) else {
                t.hour += 1; t.minute = 0
                continue
            }
            t.minute = minute
            return t.localMinute
        }
        return nil
    }
}
