/// The private-use characters (U+F026…U+F02F) that open a JSON string holding a value JSON
/// cannot express, in typed JSON lines. They share their first two UTF-8 bytes (EF 80), so the
/// raw value here is the third byte.
enum TypedJSONMarker: UInt8 {
    /// U+F026 + the decimal in plain notation.
    case decimal = 0xA6
    /// U+F027 + days since 1970-01-01.
    case date = 0xA7
    /// U+F028 + microseconds since midnight.
    case time = 0xA8
    /// U+F029 + microseconds since the Unix epoch.
    case timestamp = 0xA9
    /// U+F02A + base64 (with padding).
    case binary = 0xAA
    /// U+F02B + "nan", "inf" or "-inf".
    case nonFiniteDouble = 0xAB
    /// U+F02F + a user string that itself starts with a character in U+F026…U+F02F.
    case escapedString = 0xAF

    static let leadBytes: (UInt8, UInt8) = (0xEF, 0x80)
    /// Third bytes of every reserved character, including those not assigned yet.
    static let reservedThirdBytes: ClosedRange<UInt8> = 0xA6...0xAF

    /// Whether `bytes` starts with a reserved character.
    @inline(__always)
    static func startsWithReservedCharacter(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        count >= 3 && bytes[0] == leadBytes.0 && bytes[1] == leadBytes.1 && reservedThirdBytes.contains(bytes[2])
    }

    /// The marker's UTF-8 bytes.
    var utf8: [UInt8] { [Self.leadBytes.0, Self.leadBytes.1, rawValue] }
}
