/// Digests that are the same on every machine and run (unlike Swift's `Hasher`), for schema
/// version hashes and deterministic child row ids.
enum StableHash {
    /// A 128-bit digest (two independent 64-bit FNV-1a lanes with a final avalanche), the first
    /// `bytes` bytes of it in unpadded base64.
    static func base64Digest(of text: String, bytes: Int) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4 ^ UInt64(text.utf8.count)
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x9e37_79b9_7f4a_7c15
        }
        a = avalanche(a ^ (b >> 29))
        b = avalanche(b ^ (a >> 31))
        var digest: [UInt8] = []
        for lane in [a, b] { for shift in stride(from: 56, through: 0, by: -8) { digest.append(UInt8(truncatingIfNeeded: lane >> UInt64(shift))) } }
        return base64(digest.prefix(bytes))
    }

    private static func avalanche(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x = x &* 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x = x &* 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 without padding, as dlt writes its row ids.
    static func base64<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var output: [UInt8] = []
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next(), third = iterator.next()
            let chunk = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            if second != nil { output.append(alphabet[Int(chunk >> 6 & 63)]) }
            if third != nil { output.append(alphabet[Int(chunk & 63)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
