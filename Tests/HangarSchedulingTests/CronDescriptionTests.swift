import HangarScheduling
import Testing

/// Schedules in words: what the dashboard and the flights list show next to the expression.
struct CronDescriptionTests {
    @Test(arguments: [
        // Clock times, every day.
        ("15 7 * * *", "every day at 07:15 UTC"),
        ("0 0 * * *", "every day at 00:00 UTC"),
        ("@daily", "every day at 00:00 UTC"),
        ("0 7,19 * * *", "every day at 07:00 and 19:00 UTC"),
        ("0 */12 * * *", "every day at 00:00 and 12:00 UTC"),
        ("0,30 9 * * *", "every day at 09:00 and 09:30 UTC"),
        ("*/15 9 * * *", "every day at 09:00, 09:15, 09:30 and 09:45 UTC"),
        // Recurring within the hour.
        ("* * * * *", "every minute"),
        ("*/15 * * * *", "every 15 minutes"),
        ("*/30 * * * *", "every 30 minutes"),
        ("0 * * * *", "at minute 0 of every hour"),
        ("@hourly", "at minute 0 of every hour"),
        ("5 * * * *", "at minute 5 of every hour"),
        ("5/15 * * * *", "at minutes 5, 20, 35 and 50 of every hour"),
        ("0-10 * * * *", "at minutes 0-10 of every hour"),
        // A step that does not divide the hour is not "every 7 minutes": 56 → 0 is 4 minutes.
        ("*/7 * * * *", "at minutes 0, 7, 14, 21, 28, 35, 42, 49 and 56 of every hour"),
        // Restricted hours.
        ("0 */2 * * *", "at minute 0 of every 2nd hour"),
        ("*/10 */3 * * *", "every 10 minutes during every 3rd hour"),
        ("*/5 9-17 * * *", "every 5 minutes between 09:00 and 17:59 UTC"),
        ("0 9-17 * * *", "at minute 0 of every hour between 09:00 and 17:59 UTC"),
        ("* 9 * * *", "every minute between 09:00 and 09:59 UTC"),
        ("0 1-3,5,9-12 * * *", "at minute 0 during hours 1-3, 5 and 9-12 UTC"),
        // Days of the week.
        ("0 9 * * 1-5", "at 09:00 UTC on Monday through Friday"),
        ("0 9 * * mon-fri", "at 09:00 UTC on Monday through Friday"),
        ("@weekly", "at 00:00 UTC on Sunday"),
        ("0 10 * * 0,6", "at 10:00 UTC on Saturday and Sunday"),
        ("0 10 * * 5-7", "at 10:00 UTC on Friday through Sunday"),
        ("30 6 * * 1,3", "at 06:30 UTC on Monday and Wednesday"),
        ("*/15 * * * 1-5", "every 15 minutes on Monday through Friday"),
        // Days of the month and months.
        ("@monthly", "at 00:00 UTC on day 1 of every month"),
        ("0 0 1,15 * *", "at 00:00 UTC on days 1 and 15 of every month"),
        ("0 0 */10 * *", "at 00:00 UTC on days 1, 11, 21 and 31 of every month"),
        ("@yearly", "at 00:00 UTC on January 1"),
        ("0 6 1 */3 *", "at 06:00 UTC on day 1 of January, April, July and October"),
        ("0 0 * 1-3 *", "every day at 00:00 UTC in January through March"),
        ("0 0 * 1 1", "at 00:00 UTC on Monday in January"),
        // Both day fields restricted: either matches (Vixie cron).
        ("0 0 13 * 5", "at 00:00 UTC on day 13 of every month or on Friday"),
    ])
    func words(expression: String, expected: String) throws {
        #expect(try CronSchedule(expression).inWords() == expected)
    }

    @Test func everySpellingOfOneScheduleReadsTheSame() throws {
        let spellings = ["0 0 * * *", "@midnight", "0 0 1-31 * *", "0 0 * 1-12 SUN-SAT", "0 0 */1 * 0-7"]
        let words = try Set(spellings.map { try CronSchedule($0).inWords() })
        #expect(words == ["every day at 00:00 UTC"])
    }

    @Test func theZoneNameIsTheCallers() throws {
        #expect(try CronSchedule("15 7 * * *").inWords(timeZone: "Europe/Berlin") == "every day at 07:15 Europe/Berlin")
    }
}
