/// UTF-8 well-formedness, checked on raw bytes so that an error can name the offending byte.
enum UTF8Validation {
    /// The offset of the first byte that starts an ill-formed sequence (overlong forms,
    /// surrogates and values above U+10FFFF included), or nil when all `count` bytes are valid.
    static func firstInvalidByte(in bytes: UnsafePointer<UInt8>, count: Int) -> Int? {
        var index = 0
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length = sequenceLength(at: bytes + index, available: count - index)
            guard length > 0 else { return index }
            index += length
        }
        return nil
    }

    /// The length of the well-formed multi-byte sequence at `bytes`, or 0 when it is ill-formed.
    static func sequenceLength(at bytes: UnsafePointer<UInt8>, available: Int) -> Int {
        @inline(__always) func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            offset < available && bytes[offset] >= low && bytes[offset] <= high
        }
        switch bytes[0] {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }
}
