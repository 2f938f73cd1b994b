import CivilCalendar

/// Recognises the ISO-8601 timestamps APIs send (`2026-11-25T14:03:11Z`,
/// `2026-11-25 14:03:11.123456+01:00`) and converts them to UTC microseconds. A date without a
/// time is not a timestamp.
public enum ISO8601Timestamp {
    public static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// ``parse(_:)`` on UTF-8 bytes where they lie (in a row's JSON, say): no string, no copy.
    static func parse(utf8: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard utf8.count >= 19, utf8.count <= 40 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= utf8.count else { return nil }
            var value = 0
            for index in start..<(start + count) {
                let c = utf8[index]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard let year = digits(0, 4), utf8[4] == 45, let month = digits(5, 2), utf8[7] == 45, let day = digits(8, 2),
              utf8[10] == 84 || utf8[10] == 116 || utf8[10] == 32,
              let hour = digits(11, 2), utf8[13] == 58, let minute = digits(14, 2), utf8[16] == 58, let second = digits(17, 2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var micros = 0
        if index < utf8.count, utf8[index] == 46 || utf8[index] == 44 {
            index += 1
            var scale = 100_000, count = 0
            while index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 {
                if count < 6 { micros += Int(utf8[index] - 48) * scale; scale /= 10 }
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
        }
        var offsetSeconds = 0
        if index < utf8.count {
            switch utf8[index] {
            case 90, 122: index += 1  // Z
            case 43, 45:
                let sign = utf8[index] == 45 ? -1 : 1
                guard let hours = digits(index + 1, 2) else { return nil }
                var next = index + 3
                var minutes = 0
                if next < utf8.count, utf8[next] == 58 { next += 1 }
                if next < utf8.count {
                    guard let m = digits(next, 2) else { return nil }
                    minutes = m
                    next += 2
                }
                guard hours < 24, minutes < 60 else { return nil }
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
                index = next
            default: return nil
            }
        }
        guard index == utf8.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Int64(seconds) * 1_000_000 + Int64(micros)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        CivilCalendar.daysIn(year: year, month: month)
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        CivilCalendar.days(year: year, month: month, day: day)
    }
}
