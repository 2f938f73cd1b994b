/// Byte-level helpers shared by the JSON reader and writer.
enum JSONBytes {
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let newline: UInt8 = 0x0A

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Non-zero when one of the eight bytes in `word` is a quote, a backslash or a control
    /// character: the bytes that end a run of string content. Checking eight bytes at once is
    /// what keeps long strings (URLs, descriptions) cheap. Bytes of 0x80 and above never count,
    /// so multi-byte UTF-8 does not leave the fast path.
    @inline(__always)
    static func stringStopMask(_ word: UInt64) -> UInt64 {
        let quotes = word ^ (ones &* UInt64(quote))
        let backslashes = word ^ (ones &* UInt64(backslash))
        // `x - 0x01…` borrows out of a byte only where that byte is zero (or below the
        // subtrahend), so the lowest flagged byte is always a real hit.
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        let control = (word &- (ones &* 0x20)) & ~word
        return (zeroQuote | zeroBackslash | control) & highBits
    }

    @inline(__always)
    static func hasNonASCII(_ word: UInt64) -> Bool {
        word & highBits != 0
    }

    /// A quick 64-bit hash of a short byte string (object keys), eight bytes per step.
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        var index = 0
        let raw = UnsafeRawPointer(bytes)
        while index + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
        }
        if index < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
            hash ^= hash >> 29
        }
        return hash
    }
}
