import Foundation

/// Digests that are the same on every machine and run (unlike Swift's `Hasher`), for schema
/// version hashes and deterministic child row ids.
enum StableHash {
    /// A 128-bit digest (two independent 64-bit FNV-1a lanes with a final avalanche), the first
    /// `bytes` bytes of it in unpadded base64.
    static func base64Digest(of text: String, bytes: Int) -> String {
        var digest = Digest(length: text.utf8.count)
        digest.add(text)
        return digest.base64(bytes: bytes)
    }

    /// The digest fed piece by piece, so that a text made of parts need not be built first. The
    /// total length is part of the seed, so it must be known up front.
    struct Digest {
        private var a: UInt64 = 0xcbf2_9ce4_8422_2325
        private var b: UInt64

        init(length: Int) {
            b = 0x8422_2325_cbf2_9ce4 ^ UInt64(length)
        }

        @inline(__always)
        mutating func add(_ byte: UInt8) {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x9e37_79b9_7f4a_7c15
        }

        mutating func add(_ text: String) {
            var text = text
            text.withUTF8 { for byte in $0 { add(byte) } }
        }

        /// The first `bytes` (at most 16) bytes of the digest in unpadded base64.
        func base64(bytes: Int) -> String {
            let x = StableHash.avalanche(a ^ (b >> 29))
            let y = StableHash.avalanche(b ^ (x >> 31))
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digest in
                for shift in 0..<8 {
                    digest[shift] = UInt8(truncatingIfNeeded: x >> UInt64(56 - 8 * shift))
                    digest[8 + shift] = UInt8(truncatingIfNeeded: y >> UInt64(56 - 8 * shift))
                }
                return StableHash.base64(UnsafeBufferPointer(rebasing: digest[..<min(bytes, 16)]))
            }
        }
    }

    fileprivate static func avalanche(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x = x &* 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x = x &* 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    /// Standard base64 without padding, as dlt writes its row ids. Written straight into the
    /// string's storage: ids of up to 11 bytes make at most 15 characters, which Swift keeps
    /// inline without allocating.
    static func base64(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let length = (bytes.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: length) { output in
            let letters = alphabet.utf8Start
            var written = 0, index = 0
            while index < bytes.count {
                let first = bytes[index]
                let second: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
                let third: UInt8? = index + 2 < bytes.count ? bytes[index + 2] : nil
                let chunk = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
                output[written] = letters[Int(chunk >> 18 & 63)]
                output[written + 1] = letters[Int(chunk >> 12 & 63)]
                written += 2
                if second != nil { output[written] = letters[Int(chunk >> 6 & 63)]; written += 1 }
                if third != nil { output[written] = letters[Int(chunk & 63)]; written += 1 }
                index += 3
            }
            return written
        }
    }
}
