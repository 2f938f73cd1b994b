/// The five positions of a cron expression, with their value ranges and names.
enum CronFieldKind: Int, CaseIterable, Sendable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The name used in error messages.
    var label: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The values a field may be written with (day-of-week accepts 7 as a second Sunday).
    var bounds: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The values a field can hold once parsed: day-of-week folds 7 onto 0.
    var values: ClosedRange<Int> {
        self == .dayOfWeek ? 0...6 : bounds
    }

    /// Bit mask with every value of `values` set.
    var fullMask: UInt64 {
        values.reduce(0) { $0 | (1 << UInt64($1)) }
    }

    /// Three-letter names (upper case) and the value of the first one, for fields that have names.
    var names: (list: [String], first: Int, what: String)? {
        switch self {
        case .month:
            (["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1, "month")
        case .dayOfWeek:
            (["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 0, "day")
        default:
            nil
        }
    }
}
