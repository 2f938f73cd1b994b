/// Replaces every occurrence of a secret value in a line with `***`.
///
/// All occurrences of all values are found in the original line first and every byte any of
/// them covers is masked, so overlapping values (`abcdef` and `cdefgh` in `abcdefgh`) mask
/// fully whatever their order; runs of adjacent masked bytes become one `***`. Matching is on
/// UTF-8 bytes, exact and case-sensitive.
///
/// Values shorter than `minimumLength` bytes (default 3) are not masked: a one- or two-character
/// "secret" protects nothing and masking it would turn every `1` or `id` in the log into `***`.
/// A multi-line value (a PEM key) is masked line by line, since logs are captured per line.
public struct SecretMasker: Sendable, Equatable {
    public static let mask = "***"
    public static let defaultMinimumLength = 3
    public static let none = SecretMasker([])

    /// The byte strings searched for, longest first (only to keep the search predictable).
    let needles: [[UInt8]]

    public init(_ values: some Sequence<String>, minimumLength: Int = defaultMinimumLength) {
        var unique = Set<[UInt8]>()
        for value in values {
            for part in value.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                let trimmed = part.hasSuffix("\r") ? part.dropLast() : part
                let bytes = Array(trimmed.utf8)
                if bytes.count >= max(1, minimumLength) { unique.insert(bytes) }
            }
        }
        needles = unique.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
    }

    public var isEmpty: Bool { needles.isEmpty }

    /// The longest value in bytes: a line cut at N bytes needs N + this − 1 bytes of look-ahead
    /// to mask a value that straddles the cut.
    var longestValueLength: Int { needles.first?.count ?? 0 }

    public func mask(_ line: String) -> String {
        guard !needles.isEmpty else { return line }
        let bytes = Array(line.utf8)
        let masked = mask(bytes)
        return masked == bytes ? line : String(decoding: masked, as: UTF8.self)
    }

    func mask(_ bytes: [UInt8]) -> [UInt8] {
        mask(bytes, keepingFirst: bytes.count)
    }

    /// Masks `bytes` and keeps what stands at its first `limit` bytes. A value that starts before
    /// `limit` and ends after it is masked whole (so a cut never reveals a secret's beginning),
    /// and nothing at or after `limit` is kept.
    func mask(_ bytes: [UInt8], keepingFirst limit: Int) -> [UInt8] {
        let limit = min(limit, bytes.count)
        guard !needles.isEmpty, !bytes.isEmpty else { return Array(bytes[..<limit]) }
        var covered: [Bool]? = nil
        for needle in needles where needle.count <= bytes.count {
            let first = needle[0]
            let last = bytes.count - needle.count
            var start = 0
            while start <= last {
                if bytes[start] == first && bytes[start..<(start + needle.count)].elementsEqual(needle) {
                    if covered == nil { covered = [Bool](repeating: false, count: bytes.count) }
                    for index in start..<(start + needle.count) { covered![index] = true }
                }
                start += 1
            }
        }
        guard let covered else { return Array(bytes[..<limit]) }
        var result: [UInt8] = []
        result.reserveCapacity(limit)
        var index = 0
        while index < limit {
            if covered[index] {
                result.append(contentsOf: Self.mask.utf8)
                while index < bytes.count && covered[index] { index += 1 }
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }
}
