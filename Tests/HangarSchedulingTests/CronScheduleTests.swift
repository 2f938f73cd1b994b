import Foundation
import HangarScheduling
import HangarTestSupport
import Testing

private func iso(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}

private func zone(_ identifier: String) -> TimeZone {
    TimeZone(identifier: identifier)!
}

private func next(_ expression: String, _ after: String, _ timeZone: TimeZone = .gmt) throws -> Date? {
    try CronSchedule(expression).nextFire(after: iso(after), in: timeZone)
}

struct CronScheduleTests {
    // MARK: Syntax and normalization

    @Test(arguments: [
        ("15 7 * * *", "15 7 * * *"),
        ("  15\t 7  * * *  ", "15 7 * * *"),
        ("0,30 * * * *", "0,30 * * * *"),
        ("0 9-17 * * *", "0 9-17 * * *"),
        ("*/15 * * * *", "*/15 * * * *"),
        ("5-59/20 * * * *", "5,25,45 * * * *"),
        ("10/20 * * * *", "10,30,50 * * * *"),
        ("0 0 */10 * *", "0 0 */10 * *"),
        ("0 0 1,11,21,31 * *", "0 0 */10 * *"),
        ("*/30 * * * *", "0,30 * * * *"),
        ("0 0 * jan-mar mon-fri", "0 0 * 1-3 1-5"),
        ("0 0 * Dec sUn", "0 0 * 12 0"),
        ("0 0 * * 7", "0 0 * * 0"),
        ("0 0 * * 5-7", "0 0 * * 0,5,6"),
        ("0 0 * * */2", "0 0 * * */2"),
        ("*/1 * 1-31 1-12 0-7", "* * * * *"),
        ("0 0 * * SUN-SAT", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@DAILY", "0 0 * * *"),
        ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"),
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
    ])
    func normalizes(expression: String, expected: String) throws {
        #expect(try CronSchedule(expression).description == expected)
    }

    @Test func equalSchedulesCompareEqual() throws {
        #expect(try CronSchedule("0 0 * * 7") == CronSchedule("0 0 * * SUN"))
        #expect(try CronSchedule("0 0 * * 0") == CronSchedule("0 0 * * 7"))
        #expect(try CronSchedule("@weekly") == CronSchedule("0 0 * * sun"))
        #expect(try CronSchedule("0 0 * * 1") != CronSchedule("0 0 * * 2"))
        #expect(Set([try CronSchedule("@daily"), try CronSchedule("@midnight")]).count == 1)
    }

    // MARK: Next fire, UTC

    @Test(arguments: [
        // Strictly after: an exact matching instant moves on to the next one.
        ("15 7 * * *", "2026-03-10T07:15:00Z", "2026-03-11T07:15:00Z"),
        ("15 7 * * *", "2026-03-10T07:14:59Z", "2026-03-10T07:15:00Z"),
        ("15 7 * * *", "2026-03-10T07:15:01Z", "2026-03-11T07:15:00Z"),
        ("* * * * *", "2026-03-10T07:15:00Z", "2026-03-10T07:16:00Z"),
        // Lists, ranges, steps.
        ("0,30 * * * *", "2026-03-10T10:00:00Z", "2026-03-10T10:30:00Z"),
        ("0 9-17 * * *", "2026-03-10T17:00:00Z", "2026-03-11T09:00:00Z"),
        ("*/15 * * * *", "2026-03-10T10:07:00Z", "2026-03-10T10:15:00Z"),
        ("*/15 * * * *", "2026-03-10T10:45:00Z", "2026-03-10T11:00:00Z"),
        ("5-59/20 * * * *", "2026-03-10T10:25:00Z", "2026-03-10T10:45:00Z"),
        ("5-59/20 * * * *", "2026-03-10T10:46:00Z", "2026-03-10T11:05:00Z"),
        ("10/20 * * * *", "2026-03-10T10:51:00Z", "2026-03-10T11:10:00Z"),
        ("0 */6 * * *", "2026-03-10T13:00:00Z", "2026-03-10T18:00:00Z"),
        // Names.
        ("0 9 * * mon-fri", "2026-03-13T09:00:00Z", "2026-03-16T09:00:00Z"),
        ("0 0 1 jun *", "2026-03-10T00:00:00Z", "2026-06-01T00:00:00Z"),
        // 0 and 7 are both Sunday (2026-03-10 is a Tuesday).
        ("0 0 * * 0", "2026-03-10T00:00:00Z", "2026-03-15T00:00:00Z"),
        ("0 0 * * 7", "2026-03-10T00:00:00Z", "2026-03-15T00:00:00Z"),
        ("0 0 * * SUN", "2026-03-10T00:00:00Z", "2026-03-15T00:00:00Z"),
        // Macros.
        ("@hourly", "2026-03-10T10:30:00Z", "2026-03-10T11:00:00Z"),
        ("@daily", "2026-03-10T10:30:00Z", "2026-03-11T00:00:00Z"),
        ("@midnight", "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z"),
        ("@weekly", "2026-03-10T10:30:00Z", "2026-03-15T00:00:00Z"),
        ("@monthly", "2026-03-10T10:30:00Z", "2026-04-01T00:00:00Z"),
        ("@yearly", "2026-03-10T10:30:00Z", "2027-01-01T00:00:00Z"),
        ("@annually", "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"),
        // Leap days: 2028 is the next leap year; 2100 is not one.
        ("0 0 29 2 *", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        ("0 0 29 2 *", "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"),
        ("0 0 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z"),
        // Month ends: the 31st skips 30-day months and February.
        ("0 0 31 * *", "2026-04-01T00:00:00Z", "2026-05-31T00:00:00Z"),
        ("0 0 31 * *", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"),
        ("0 0 31 * *", "2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z"),
        ("0 0 30 * *", "2026-01-30T00:00:00Z", "2026-03-30T00:00:00Z"),
        // Year boundary.
        ("0 0 1 1 *", "2026-12-31T23:59:30Z", "2027-01-01T00:00:00Z"),
        ("59 23 31 12 *", "2026-06-01T00:00:00Z", "2026-12-31T23:59:00Z"),
        ("*/10 * * * *", "2026-12-31T23:55:00Z", "2027-01-01T00:00:00Z"),
        // Day-of-month and day-of-week both restricted: either matches (Friday or the 13th).
        // 2026-04-10 is a Friday, 2026-04-13 a Monday, 2026-04-17 a Friday.
        ("0 0 13 * 5", "2026-04-10T00:00:00Z", "2026-04-13T00:00:00Z"),
        ("0 0 13 * 5", "2026-04-13T00:00:00Z", "2026-04-17T00:00:00Z"),
        ("0 0 */2 * 1", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"),
        // Only one restricted: the other matches everything, so both must hold.
        ("0 0 13 * *", "2026-03-14T00:00:00Z", "2026-04-13T00:00:00Z"),
        ("0 0 * * 5", "2026-04-10T00:00:00Z", "2026-04-17T00:00:00Z"),
        // A full range is no restriction: 1-31 with Monday means Mondays only.
        ("0 0 1-31 * 1", "2026-03-10T00:00:00Z", "2026-03-16T00:00:00Z"),
        ("0 0 13 * 0-7", "2026-03-14T00:00:00Z", "2026-04-13T00:00:00Z"),
        // The 31st or a Monday, in February only: impossible day-of-month, still fires on Mondays.
        ("0 0 31 2 1", "2026-01-01T00:00:00Z", "2026-02-02T00:00:00Z"),
    ])
    func nextFireInUTC(expression: String, after: String, expected: String) throws {
        #expect(try next(expression, after) == iso(expected))
    }

    @Test func firesAt() throws {
        let schedule = try CronSchedule("15 7 * * *")
        #expect(schedule.fires(at: iso("2026-03-10T07:15:00Z")))
        #expect(schedule.fires(at: iso("2026-03-10T07:15:42Z")))
        #expect(!schedule.fires(at: iso("2026-03-10T07:16:00Z")))
        #expect(!schedule.fires(at: iso("2026-03-10T07:14:59Z")))
        let berlin = zone("Europe/Berlin")
        #expect(schedule.fires(at: iso("2026-01-15T06:15:00Z"), in: berlin))
        #expect(!schedule.fires(at: iso("2026-01-15T07:15:00Z"), in: berlin))
    }

    // MARK: Time zones and daylight saving

    @Test func timeZones() throws {
        let berlin = zone("Europe/Berlin")
        #expect(try next("15 7 * * *", "2026-01-15T00:00:00Z", berlin) == iso("2026-01-15T06:15:00Z"))
        #expect(try next("15 7 * * *", "2026-07-15T00:00:00Z", berlin) == iso("2026-07-15T05:15:00Z"))
        // 2026-01-15T23:30Z is already the 16th in Tokyo (UTC+9).
        #expect(try next("0 9 * * *", "2026-01-15T23:30:00Z", zone("Asia/Tokyo")) == iso("2026-01-16T00:00:00Z"))
        // A half-hour offset: Kolkata is UTC+5:30.
        #expect(try next("0 0 * * *", "2026-01-15T00:00:00Z", zone("Asia/Kolkata")) == iso("2026-01-15T18:30:00Z"))
        // The default is GMT.
        #expect(try CronSchedule("15 7 * * *").nextFire(after: iso("2026-07-15T00:00:00Z")) == iso("2026-07-15T07:15:00Z"))
    }

    /// New York springs forward on 2026-03-08: 02:00 EST (07:00Z) becomes 03:00 EDT.
    @Test func springForwardFiresAtEndOfGap() throws {
        let newYork = zone("America/New_York")
        // 02:30 does not exist that day: it fires at 03:00 EDT, then at 02:30 EDT the next day.
        #expect(try next("30 2 * * *", "2026-03-07T08:00:00Z", newYork) == iso("2026-03-08T07:00:00Z"))
        #expect(try next("30 2 * * *", "2026-03-08T07:00:00Z", newYork) == iso("2026-03-09T06:30:00Z"))
        // 03:00 itself fires once at the same instant.
        #expect(try next("0 3 * * *", "2026-03-08T06:00:00Z", newYork) == iso("2026-03-08T07:00:00Z"))
        // Every-15-minutes: 01:45 EST, then the skipped 02:xx collapse onto 03:00 EDT, then 03:15 EDT.
        #expect(try next("*/15 * * * *", "2026-03-08T06:30:00Z", newYork) == iso("2026-03-08T06:45:00Z"))
        #expect(try next("*/15 * * * *", "2026-03-08T06:45:00Z", newYork) == iso("2026-03-08T07:00:00Z"))
        #expect(try next("*/15 * * * *", "2026-03-08T07:00:00Z", newYork) == iso("2026-03-08T07:15:00Z"))
        #expect(try CronSchedule("30 2 * * *").fires(at: iso("2026-03-08T07:00:00Z"), in: newYork))
    }

    /// New York falls back on 2026-11-01: 02:00 EDT (06:00Z) becomes 01:00 EST; 01:xx repeats.
    @Test func fallBackFiresRepeatedHourOnce() throws {
        let newYork = zone("America/New_York")
        // 01:30 fires at its first occurrence (EDT) only; the next is 01:30 EST the following day.
        #expect(try next("30 1 * * *", "2026-11-01T04:00:00Z", newYork) == iso("2026-11-01T05:30:00Z"))
        #expect(try next("30 1 * * *", "2026-11-01T05:30:00Z", newYork) == iso("2026-11-02T06:30:00Z"))
        // Half-hourly: 01:30 EDT, then nothing during the second 01:xx, then 02:00 EST.
        #expect(try next("*/30 * * * *", "2026-11-01T05:30:00Z", newYork) == iso("2026-11-01T07:00:00Z"))
        #expect(try next("*/30 * * * *", "2026-11-01T06:15:00Z", newYork) == iso("2026-11-01T07:00:00Z"))
        let hourly = try CronSchedule("@hourly")
        #expect(hourly.fires(at: iso("2026-11-01T05:00:00Z"), in: newYork))
        #expect(!hourly.fires(at: iso("2026-11-01T06:00:00Z"), in: newYork))
        #expect(hourly.fires(at: iso("2026-11-01T07:00:00Z"), in: newYork))
        // Outside the repeated hour nothing changes: 02:30 EST.
        #expect(try next("30 2 * * *", "2026-11-01T04:00:00Z", newYork) == iso("2026-11-01T07:30:00Z"))
    }

    // MARK: Invalid input

    @Test(arguments: [
        ("61 * * * *", #"minute field "61": 61 is out of range 0-59"#),
        ("0 24 * * *", #"hour field "24": 24 is out of range 0-23"#),
        ("0 0 0 * *", #"day-of-month field "0": 0 is out of range 1-31"#),
        ("0 0 32 * *", #"day-of-month field "32": 32 is out of range 1-31"#),
        ("0 0 * 13 *", #"month field "13": 13 is out of range 1-12"#),
        ("0 0 * * 8", #"day-of-week field "8": 8 is out of range 0-7"#),
        ("0,99999999999999999999 * * * *", #"minute field "0,99999999999999999999": 99999999999999999999 is out of range 0-59"#),
        ("15 7 * *", #"expected 5 fields (minute hour day-of-month month day-of-week), found 4 in "15 7 * *""#),
        ("1 2 3 4 5 6", #"expected 5 fields (minute hour day-of-month month day-of-week), found 6 in "1 2 3 4 5 6""#),
        ("", "expected 5 fields (minute hour day-of-month month day-of-week), found 0 in \"\""),
        ("0 0 * * MON-", #"day-of-week field "MON-": a range needs an end"#),
        ("0 0 * * -5", #"day-of-week field "-5": a range needs a start"#),
        ("1-2-3 * * * *", #"minute field "1-2-3": more than one "-" in "1-2-3""#),
        ("5-1 * * * *", #"minute field "5-1": range 5-1 runs backwards (5 is after 1)"#),
        ("0 0 * * SAT-SUN", #"day-of-week field "SAT-SUN": range SAT-SUN runs backwards (6 is after 0)"#),
        ("*/0 * * * *", #"minute field "*/0": step 0 in "*/0" must be at least 1"#),
        ("0 */25 * * *", #"hour field "*/25": step 25 in "*/25" is out of range 1-24"#),
        ("/15 * * * *", #"minute field "/15": a step needs a start ("*/15" or "a/15"), found "/15""#),
        ("*/ * * * *", #"minute field "*/": a step needs a number after "/" in "*/""#),
        ("*/x * * * *", #"minute field "*/x": step "x" in "*/x" is not a number"#),
        ("1/2/3 * * * *", #"minute field "1/2/3": more than one "/" in "1/2/3""#),
        ("0 0 * FOO *", #"month field "FOO": unknown month name "FOO" (expected JAN-DEC)"#),
        ("0 0 * January *", #"month field "January": unknown month name "January" (expected JAN-DEC)"#),
        ("0 0 * * fun", #"day-of-week field "fun": unknown day name "fun" (expected SUN-SAT)"#),
        ("abc * * * *", #"minute field "abc": "abc" is not a number"#),
        ("0 0 MON * *", #"day-of-month field "MON": "MON" is not a number"#),
        ("1a * * * *", #"minute field "1a": "1a" is not a number"#),
        ("1, * * * *", #"minute field "1,": empty item in list"#),
        ("1,,2 * * * *", #"minute field "1,,2": empty item in list"#),
        (", * * * *", #"minute field ",": empty item in list"#),
        ("1#2 * * * *", ##"minute field "1#2": unexpected character "#""##),
        ("0 0 ? * *", #"day-of-month field "?": unexpected character "?""#),
        ("*-5 * * * *", #"minute field "*-5": unexpected character "*""#),
        ("٣ * * * *", #"minute field "٣": unexpected character "٣""#),
        ("@every", "unknown macro \"@every\" (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)"),
        ("@reboot", "unknown macro \"@reboot\" (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)"),
        ("@daily 5", #"macro "@daily" stands alone, found 2 fields in "@daily 5""#),
        // Schedules that can never fire.
        ("0 0 31 2 *", #""0 0 31 2 *" never fires: day-of-month 31 does not occur in February"#),
        ("0 0 30 2 *", #""0 0 30 2 *" never fires: day-of-month 30 does not occur in February"#),
        ("0 0 30,31 feb *", #""0 0 30,31 feb *" never fires: day-of-month 30,31 does not occur in February"#),
        ("0 0 31 4,6,9,11 *", #""0 0 31 4,6,9,11 *" never fires: day-of-month 31 does not occur in any of April, June, September, November"#),
        ("0 0 31 2 0-7", #""0 0 31 2 0-7" never fires: day-of-month 31 does not occur in February"#),
    ])
    func rejects(expression: String, message: String) {
        #expect(throws: CronError(message)) { try CronSchedule(expression) }
    }

    @Test func possibleButRareSchedulesAreAccepted() throws {
        _ = try CronSchedule("0 0 29 2 *")
        _ = try CronSchedule("0 0 31 2 1")
        _ = try CronSchedule("0 0 30,31 2,3 *")
    }

    // MARK: Cross-check against a minute-by-minute scan with Calendar

    @Test(.fullRunOnly, arguments: ["UTC", "Europe/Berlin", "Asia/Kolkata"])
    func agreesWithBruteForce(zoneName: String) throws {
        let timeZone = zone(zoneName)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let expressions = [
            "* * * * *", "*/7 * * * *", "5-59/20 */3 * * *", "0 9-17 * * mon-fri", "30 0 13 * 5",
            "0 0 */2 * 1", "15 7 * * *", "0 12 * * 0,6", "45 23 28-31 * *", "0 0 1,15 * *", "0 4 * * 7",
        ]
        // January, away from any daylight-saving change.
        let starts = ["2026-01-01T00:00:00Z", "2026-01-09T13:37:20Z", "2026-01-27T23:59:59Z"]
        for expression in expressions {
            let schedule = try CronSchedule(expression)
            let fields = expression.split(separator: " ").map(String.init)
            for start in starts {
                let after = iso(start)
                var minute = (after.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
                var expected: Date?
                while minute < after.timeIntervalSince1970 + 40 * 86_400 {
                    let date = Date(timeIntervalSince1970: minute)
                    let parts = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
                    if referenceMatches(fields, parts) { expected = date; break }
                    minute += 60
                }
                #expect(expected != nil)
                #expect(schedule.nextFire(after: after, in: timeZone) == expected, "\(expression) after \(start) in \(zoneName)")
            }
        }
    }
}

/// An independent, naive matcher for the numeric-and-name subset used in the cross-check.
private func referenceMatches(_ fields: [String], _ parts: DateComponents) -> Bool {
    func values(_ text: String, _ low: Int, _ high: Int) -> Set<Int> {
        let names = ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
        var result = Set<Int>()
        for item in text.split(separator: ",") {
            let pieces = item.split(separator: "/")
            let step = pieces.count == 2 ? Int(pieces[1])! : 1
            var (a, b) = (low, high)
            if pieces[0] != "*" {
                let ends = pieces[0].split(separator: "-").map { names[$0.uppercased()] ?? Int($0)! }
                (a, b) = (ends[0], ends.count == 2 ? ends[1] : (pieces.count == 2 ? high : ends[0]))
            }
            for v in stride(from: a, through: b, by: step) { result.insert(v) }
        }
        return result
    }
    let minuteOK = values(fields[0], 0, 59).contains(parts.minute!)
    let hourOK = values(fields[1], 0, 23).contains(parts.hour!)
    let monthOK = values(fields[3], 1, 12).contains(parts.month!)
    let domSet = values(fields[2], 1, 31)
    let dowSet = Set(values(fields[4], 0, 6).map { $0 == 7 ? 0 : $0 })
    let domOK = domSet.contains(parts.day!)
    let dowOK = dowSet.contains(parts.weekday! - 1)
    let dayOK = domSet.count < 31 && dowSet.count < 7 ? (domOK || dowOK) : (domOK && dowOK)
    return minuteOK && hourOK && monthOK && dayOK
}
