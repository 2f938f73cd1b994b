import Foundation

extension CursorValue {
    /// The value moved `lag` back behind the last value: down for `.max`, up for `.min`. Numbers
    /// move by `lag`, timestamps by `lag` seconds, dates by `lag` days (rounded). The result keeps
    /// the value's form: a timestamp string stays a string, so it can go into a `since=` as is.
    func lagged(by lag: Double, for function: Incremental.LastValueFunction) throws(Mismatch) -> IngestValue {
        let sign: Double = function == .max ? -1 : 1
        switch kind {
        case .integer(let v):
            if lag == lag.rounded(), let step = Int64(exactly: lag) {
                let (moved, overflow) = function == .max ? v.subtractingReportingOverflow(step) : v.addingReportingOverflow(step)
                if !overflow { return .int(moved) }
            }
            return .double(Double(v) + sign * lag)
        case .double(let v):
            return .double(v + sign * lag)
        case .decimal(let v):
            return .decimal("\(v + Decimal(sign * lag))")
        case .instant(let micros):
            let delta = (sign * lag * 1_000_000).rounded()
            guard abs(delta) < 9e18, abs(Double(micros) + delta) < 9e18 else { throw Mismatch(reason: "a lag of \(lag) seconds leaves the range of timestamps") }
            let moved = micros + Int64(delta)
            return text == nil ? .timestamp(moved) : .string(ISO8601Timestamp.format(moved))
        case .date(let days):
            let delta = (sign * lag).rounded()
            guard abs(delta) < 2e9, abs(Double(days) + delta) < 2e9 else { throw Mismatch(reason: "a lag of \(lag) days leaves the range of dates") }
            let moved = days + Int32(delta)
            return text == nil ? .date(moved) : .string(ISO8601Timestamp.formatDate(moved))
        case .text:
            // State keeps decimals as strings; those still move.
            if let text, Double(text) != nil, let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) {
                return .string("\(decimal + Decimal(sign * lag))")
            }
            throw Mismatch(reason: "a lag needs a number, a timestamp or a date to move, and the last value is \(Self.describe(value))")
        }
    }
}
