/// Row ids as dlt makes them: a random 10-byte id for root rows, and for child rows a digest of
/// (parent id, child table, list index), so reloading the same parent gives the same child ids.
struct RowIDGenerator {
    private var generator = SystemRandomNumberGenerator()

    /// 10 random bytes in unpadded base64: 14 characters.
    mutating func next() -> String {
        let a = generator.next() as UInt64, b = generator.next() as UInt64
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
