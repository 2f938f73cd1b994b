/// One parsed field of a cron expression: the set of values it allows, as a bit mask.
struct CronField: Hashable, Sendable {
    let mask: UInt64

    func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && mask & (1 << UInt64(value)) != 0
    }

    /// The smallest allowed value at or after `value`, or nil when there is none.
    func next(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let rest = mask >> UInt64(max(value, 0))
        return rest == 0 ? nil : max(value, 0) + rest.trailingZeroBitCount
    }

    /// The allowed values in increasing order.
    var members: [Int] {
        (0..<64).filter(contains)
    }

    /// Canonical text: `*` when every value is allowed, `*/n` when the values (three or more) are
    /// exactly that step from the first value, otherwise a list in which runs of three or more become `a-b`.
    func render(_ kind: CronFieldKind) -> String {
        if mask == kind.fullMask { return "*" }
        let values = members
        let range = kind.values
        for step in 2...range.count where values.count >= 3 && Array(stride(from: range.lowerBound, through: range.upperBound, by: step)) == values {
            return "*/\(step)"
        }
        var parts: [String] = []
        var index = 0
        while index < values.count {
            var end = index
            while end + 1 < values.count, values[end + 1] == values[end] + 1 { end += 1 }
            switch end - index {
            case 0: parts.append("\(values[index])")
            case 1: parts.append("\(values[index]),\(values[end])")
            default: parts.append("\(values[index])-\(values[end])")
            }
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    /// Parses one whitespace-free field: a comma list of `*`, `v`, `a-b`, each optionally `/step`
    /// (`a/step` runs from `a` to the end of the range). Names are accepted where the field has them.
    static func parse(_ text: Substring, as kind: CronFieldKind) throws(CronError) -> CronField {
        func fail(_ reason: String) -> CronError {
            CronError("\(kind.label) field \"\(text)\": \(reason)")
        }
        let bounds = kind.bounds
        var mask: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            if item.isEmpty { throw fail("empty item in list") }
            let slashParts = item.split(separator: "/", omittingEmptySubsequences: false)
            if slashParts.count > 2 { throw fail("more than one \"/\" in \"\(item)\"") }
            let base = slashParts[0]
            var step = 1
            if slashParts.count == 2 {
                let stepText = slashParts[1]
                if stepText.isEmpty { throw fail("a step needs a number after \"/\" in \"\(item)\"") }
                if base.isEmpty {
                    throw fail("a step needs a start (\"*/\(stepText)\" or \"a/\(stepText)\"), found \"\(item)\"")
                }
                guard stepText.allSatisfy(\.isASCIIDigit) else {
                    throw fail("step \"\(stepText)\" in \"\(item)\" is not a number")
                }
                let limit = kind.values.count
                guard let number = Int(stepText), number <= limit else {
                    throw fail("step \(stepText) in \"\(item)\" is out of range 1-\(limit)")
                }
                if number < 1 { throw fail("step \(number) in \"\(item)\" must be at least 1") }
                step = number
            }
            let low: Int
            let high: Int
            if base == "*" {
                (low, high) = (kind.values.lowerBound, kind.values.upperBound)
            } else {
                let dashParts = base.split(separator: "-", omittingEmptySubsequences: false)
                if dashParts.count > 2 { throw fail("more than one \"-\" in \"\(base)\"") }
                if dashParts.count == 2 {
                    if dashParts[0].isEmpty { throw fail("a range needs a start") }
                    if dashParts[1].isEmpty { throw fail("a range needs an end") }
                    low = try value(dashParts[0], kind, fail)
                    high = try value(dashParts[1], kind, fail)
                    if low > high {
                        throw fail("range \(base) runs backwards (\(low) is after \(high))")
                    }
                } else {
                    low = try value(base, kind, fail)
                    // `a/n` runs to the end of the range; day-of-week stops at Saturday (6), so
                    // the extra Sunday (7) is never produced by a step.
                    high = slashParts.count == 2 ? kind.values.upperBound : low
                }
            }
            precondition(bounds.contains(low) && high <= bounds.upperBound)
            for v in stride(from: low, through: high, by: step) {
                let folded = kind == .dayOfWeek && v == 7 ? 0 : v
                mask |= 1 << UInt64(folded)
            }
        }
        return CronField(mask: mask)
    }

    /// One value: digits within the field's bounds, or a three-letter name where the field has names.
    private static func value(
        _ token: Substring, _ kind: CronFieldKind, _ fail: (String) -> CronError
    ) throws(CronError) -> Int {
        let bounds = kind.bounds
        if token.allSatisfy(\.isASCIIDigit) {
            guard let number = Int(token), bounds.contains(number) else {
                throw fail("\(token) is out of range \(bounds.lowerBound)-\(bounds.upperBound)")
            }
            return number
        }
        if token.allSatisfy(\.isASCIILetter) {
            guard let names = kind.names else { throw fail("\"\(token)\" is not a number") }
            guard let index = names.list.firstIndex(of: token.uppercased()) else {
                throw fail("unknown \(names.what) name \"\(token)\" (expected \(names.list.first!)-\(names.list.last!))")
            }
            return names.first + index
        }
        if let bad = token.first(where: { !$0.isASCIIDigit && !$0.isASCIILetter }) {
            throw fail("unexpected character \"\(bad)\"")
        }
        throw fail("\"\(token)\" is not a number")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIILetter: Bool { isASCII && isLetter }
}
