/// Schedules in words, for people reading a list of flights or editing a schedule: "every day at
/// 07:15 UTC", "every 15 minutes", "at minute 0 of every hour", "at 09:00 UTC on Monday through
/// Friday". The words are built from the parsed fields, so every spelling of one schedule
/// (`@daily`, `0 0 * * *`, `0 0 1-31 * SUN-SAT`) reads the same.
extension CronSchedule {
    /// The schedule in words. `timeZone` names the zone the fields are read in; the platform's
    /// schedules are UTC.
    public func inWords(timeZone: String = "UTC") -> String {
        CronWords(schedule: self, zone: timeZone).sentence
    }
}

/// Builds the sentence: a time-of-day part, then which days and months.
struct CronWords {
    let schedule: CronSchedule
    let zone: String

    /// At most this many listed times ("at 07:00 and 19:00 UTC") before the sentence switches to
    /// minutes and hours described separately.
    static let maxListedTimes = 6

    private static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]

    var sentence: String {
        let minutes = schedule.minutes.members
        let hours = schedule.hours.members
        let everyMinute = schedule.minutes.mask == CronFieldKind.minute.fullMask
        let everyHour = schedule.hours.mask == CronFieldKind.hour.fullMask

        // The time of day: a list of clock times when there are few, else minutes and hours.
        var time: String
        var isClockTimes = false
        // "every …" phrases need no "of every hour"; "at minute …" phrases do.
        var isRecurring = false
        if everyMinute {
            time = "every minute"
            isRecurring = true
        } else if !everyHour, minutes.count * hours.count <= Self.maxListedTimes {
            let times = hours.flatMap { hour in minutes.map { Self.clock(hour, $0) } }
            time = "at \(Self.list(times)) \(zone)"
            isClockTimes = true
        } else if let step = Self.evenStep(minutes, in: 0...59) {
            time = "every \(step) minutes"
            isRecurring = true
        } else if minutes.count == 1 {
            time = "at minute \(minutes[0])"
        } else {
            time = "at minutes \(Self.list(Self.runs(minutes).map { Self.numbers($0) }))"
        }
        if !isClockTimes {
            time += hoursPhrase(hours, everyHour: everyHour, recurring: isRecurring)
        }

        // Clock times on every day of the week and month read "every day at …".
        let everyDay = schedule.daysOfMonth.mask == CronFieldKind.dayOfMonth.fullMask
            && schedule.daysOfWeek.mask == CronFieldKind.dayOfWeek.fullMask
        if isClockTimes, everyDay { time = "every day \(time)" }
        let days = daysPhrase
        return days.isEmpty ? time : "\(time) \(days)"
    }

    /// Which hours, after the minutes: nothing, "of every hour", "of every 2nd hour",
    /// "(of every hour) between 09:00 and 17:59 UTC" or "during hours 1-3 and 9 UTC".
    private func hoursPhrase(_ hours: [Int], everyHour: Bool, recurring: Bool) -> String {
        if everyHour { return recurring ? "" : " of every hour" }
        if let step = Self.evenStep(hours, in: 0...23) {
            return "\(recurring ? " during" : " of") every \(Self.ordinal(step)) hour"
        }
        if let first = hours.first, let last = hours.last, last - first + 1 == hours.count {
            return "\(recurring ? "" : " of every hour") between \(Self.clock(first, 0)) and \(Self.clock(last, 59)) \(zone)"
        }
        let runs = Self.runs(hours).map { Self.numbers($0) }
        return " during hours \(Self.list(runs)) \(zone)"
    }

    /// Which days and months; empty when the schedule fires every day of every month.
    private var daysPhrase: String {
        let monthsRestricted = schedule.months.mask != CronFieldKind.month.fullMask
        let domRestricted = schedule.daysOfMonth.mask != CronFieldKind.dayOfMonth.fullMask
        let dowRestricted = schedule.daysOfWeek.mask != CronFieldKind.dayOfWeek.fullMask
        let months = schedule.months.members
        let daysOfMonth = schedule.daysOfMonth.members
        let monthList = Self.list(Self.runs(months).map { run in
            Self.span(run.map { Self.monthNames[$0 - 1] })
        })

        var parts: [String] = []
        if domRestricted {
            let days = Self.list(Self.runs(daysOfMonth).map { Self.numbers($0) })
            let noun = daysOfMonth.count == 1 ? "day" : "days"
            if !dowRestricted, monthsRestricted {
                // "on January 1", "on day 1 of January, April, July and October"
                if months.count == 1, daysOfMonth.count == 1 {
                    return "on \(Self.monthNames[months[0] - 1]) \(daysOfMonth[0])"
                }
                return "on \(noun) \(days) of \(monthList)"
            }
            parts.append("on \(noun) \(days) of \(monthsRestricted ? "the month" : "every month")")
        }
        if dowRestricted {
            // Monday first, so the weekend reads "Saturday and Sunday" and weekdays form one span.
            let mondayFirst = schedule.daysOfWeek.members.map { ($0 + 6) % 7 }.sorted()
            let names = Self.runs(mondayFirst).map { run in Self.span(run.map { Self.dayNames[($0 + 1) % 7] }) }
            // Vixie cron: with both restricted, a day matches either.
            parts.append((domRestricted ? "or on " : "on ") + Self.list(names))
        }
        if monthsRestricted {
            parts.append("in \(monthList)")
        }
        return parts.joined(separator: " ")
    }

    // MARK: - Pieces

    /// n when the values are exactly 0, n, 2n … through the range and n divides the range's
    /// length, so the gap stays n across the wrap ("*/15" minutes, "*/6" hours); nil otherwise.
    static func evenStep(_ values: [Int], in range: ClosedRange<Int>) -> Int? {
        guard values.count >= 2, values.first == range.lowerBound else { return nil }
        let step = values[1] - values[0]
        let length = range.count
        guard step >= 2, length % step == 0 else { return nil }
        return Array(stride(from: range.lowerBound, through: range.upperBound, by: step)) == values ? step : nil
    }

    /// Consecutive values grouped: [1, 2, 3, 5] → [[1, 2, 3], [5]].
    static func runs(_ values: [Int]) -> [[Int]] {
        var runs: [[Int]] = []
        for value in values {
            if let last = runs.last?.last, last + 1 == value {
                runs[runs.count - 1].append(value)
            } else {
                runs.append([value])
            }
        }
        return runs
    }

    /// A run of numbers: "5", "5 and 6" is left to the list, so two values stay separate; three
    /// or more read "1-7".
    static func numbers(_ run: [Int]) -> String {
        run.count >= 3 ? "\(run[0])-\(run[run.count - 1])" : run.map(String.init).joined(separator: ", ")
    }

    /// A run of names: "Monday through Friday" for three or more, else the names listed.
    static func span(_ names: [String]) -> String {
        names.count >= 3 ? "\(names[0]) through \(names[names.count - 1])" : names.joined(separator: ", ")
    }

    /// "a", "a and b", "a, b and c" (items may themselves hold commas from short runs).
    static func list(_ items: [String]) -> String {
        let flat = items.flatMap { $0.components(separatedBy: ", ") }
        guard flat.count > 1 else { return flat.first ?? "" }
        return flat.dropLast().joined(separator: ", ") + " and " + flat[flat.count - 1]
    }

    static func clock(_ hour: Int, _ minute: Int) -> String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    static func ordinal(_ number: Int) -> String {
        let suffix = switch (number % 10, number % 100) {
        case (_, 11...13): "th"
        case (1, _): "st"
        case (2, _): "nd"
        case (3, _): "rd"
        default: "th"
        }
        return "\(number)\(suffix)"
    }
}
