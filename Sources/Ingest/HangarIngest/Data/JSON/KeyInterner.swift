import Foundation

/// Hands out one shared `String` for object keys that repeat from row to row. Keys of up to 15
/// UTF-8 bytes are stored inline in `String` and cost nothing to create; longer ones
/// (`stargazers_count`) would each cost a heap allocation per row, and the rows held in memory
/// would each carry their own copy.
struct KeyInterner {
    private static let slotCount = 512
    private static let inlineLimit = 15
    // Allocated with the first long key, so that reading a small document costs nothing here.
    private var hashes: [UInt64] = []
    private var keys: [String] = []

    /// The key spelled by `count` bytes of valid UTF-8 at `bytes`, whose hash is `hash`.
    @inline(__always)
    mutating func key(_ bytes: UnsafePointer<UInt8>, count: Int, hash: UInt64) -> String {
        if count <= Self.inlineLimit {
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
        if hashes.isEmpty {
            hashes = [UInt64](repeating: 0, count: Self.slotCount)
            keys = [String](repeating: "", count: Self.slotCount)
        }
        let slot = Int(truncatingIfNeeded: hash >> 32) & (Self.slotCount - 1)
        if hashes[slot] == hash, Self.key(keys[slot], spells: bytes, count: count) {
            return keys[slot]
        }
        let key = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        hashes[slot] = hash
        keys[slot] = key
        return key
    }

    private static func key(_ key: String, spells bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        let utf8 = key.utf8
        guard utf8.count == count else { return false }
        return utf8.withContiguousStorageIfAvailable { stored in
            stored.baseAddress.map { memcmp($0, bytes, count) == 0 } ?? (count == 0)
        } ?? utf8.elementsEqual(UnsafeBufferPointer(start: bytes, count: count))
    }
}
