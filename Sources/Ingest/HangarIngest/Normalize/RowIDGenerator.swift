/// Row ids as dlt makes them: a random 10-byte id for root rows, and for child rows a digest of
/// (parent id, child table, list index), so reloading the same parent gives the same child ids.
struct RowIDGenerator {
    // xoshiro256** seeded from the system: ids must not repeat, not resist prediction, and a
    // system call per row would cost more than the rest of the row's work.
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var system = SystemRandomNumberGenerator()
        state = (system.next(), system.next(), system.next(), system.next() | 1)
    }

    private mutating func nextWord() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// 10 random bytes in unpadded base64: 14 characters.
    mutating func next() -> String {
        let a = nextWord(), b = nextWord()
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { bytes in
            for index in 0..<8 { bytes[index] = UInt8(truncatingIfNeeded: a >> UInt64(56 - 8 * index)) }
            bytes[8] = UInt8(truncatingIfNeeded: b)
            bytes[9] = UInt8(truncatingIfNeeded: b >> 8)
            return StableHash.base64(UnsafeBufferPointer(bytes))
        }
    }

    /// The digest of `<parent id>_<table>_<index>`, fed in parts rather than built as a string.
    static func childID(parentID: String, table: String, index: Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var value = index.magnitude, count = 0
            repeat {
                digits[19 - count] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                count += 1
            } while value > 0
            if index < 0 { digits[19 - count] = UInt8(ascii: "-"); count += 1 }
            var digest = StableHash.Digest(length: parentID.utf8.count + table.utf8.count + 2 + count)
            digest.add(parentID)
            digest.add(UInt8(ascii: "_"))
            digest.add(table)
            digest.add(UInt8(ascii: "_"))
            for position in (20 - count)..<20 { digest.add(digits[position]) }
            return digest.base64(bytes: 10)
        }
    }
}
