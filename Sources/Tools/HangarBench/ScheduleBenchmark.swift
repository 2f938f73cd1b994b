import Foundation
import HangarScheduling

/// Next-fire computation for 10,000 cron schedules, as a scheduler does on every tick and
/// schedule change: parse each once, then ask for its next fire in UTC and in a DST zone.
struct ScheduleBenchmark {
    func run() throws {
        let count = 10_000
        let expressions = (0..<count).map { i -> String in
            switch i % 6 {
            case 0: "\(i % 60) \(i % 24) * * *"
            case 1: "*/\(i % 29 + 1) * * * *"
            case 2: "\(i % 60) 9-17 * * mon-fri"
            case 3: "0 0 31 * *"
            case 4: "15 7 \(i % 28 + 1) * \(i % 7)"
            default: "0 12 29 2 *"
            }
        }
        let start = ContinuousClock.now
        let schedules = try expressions.map { try CronSchedule($0) }
        let parsed = ContinuousClock.now
        let now = Date(timeIntervalSince1970: 1_795_615_391)
        let newYork = TimeZone(identifier: "America/New_York")!
        var fired = 0
        for schedule in schedules where schedule.nextFire(after: now) != nil { fired += 1 }
        let utc = ContinuousClock.now
        for schedule in schedules where schedule.nextFire(after: now, in: newYork) != nil { fired += 1 }
        let zoned = ContinuousClock.now
        guard fired == 2 * count else { throw BenchFailure("\(2 * count - fired) schedules found no next fire") }
        func ms(_ d: Duration) -> String { String(format: "%.1f ms", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000) }
        print("== Scheduling: \(count) cron schedules")
        print("parse \(ms(parsed - start)), next fire in UTC \(ms(utc - parsed)), in America/New_York \(ms(zoned - utc))")
    }
}
