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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: a >> UInt64(shift))) }
        bytes.append(UInt8(truncatingIfNeeded: b))
        bytes.append(UInt8(truncatingIfNeeded: b >> 8))
        return StableHash.base64(bytes)
    }

    static func childID(parentID: String, table: String, index: Int) -> String {
        StableHash.base64Digest(of: "\(parentID)_\(table)_\(index)", bytes: 10)
    }
}
