import Foundation

/// dlt's `snake_case` naming convention: how source keys become table and column names.
///
/// Names are case-insensitive, and `__` is reserved as the path separator between a parent and
/// a nested name (`owner__login`, `repos__topics`), so normalizing never produces it inside a
/// single identifier.
public struct NamingConvention: Sendable {
    /// Longest identifier the destination accepts; longer ones are shortened with a hash tag.
    public let maxLength: Int?
    public static let pathSeparator = "__"

    public init(maxLength: Int? = nil) {
        self.maxLength = maxLength
    }

    /// The snake_case form of one identifier; throws when nothing usable is left.
    public func normalize(_ identifier: String) throws -> String {
        let trimmed = identifier.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw IngestError(.invalidName, message: "the name \(quoted(identifier)) is empty after trimming white space")
        }
        return shorten(snakeCase(reduceAlphabet(trimmed)), original: trimmed)
    }

    /// Normalizes each `__`-separated part of a path and joins them again (parts that are
    /// empty or white space only are left out, as dlt's `break_path` does).
    public func normalizePath(_ path: String) throws -> String {
        try path.components(separatedBy: Self.pathSeparator)
            .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.map(normalize)
            .joined(separator: Self.pathSeparator)
    }

    /// A source key's column name, as dlt's relational normalizer makes it: the key is a path
    /// (`data__custom__goes` stays `data__custom__goes`), and a key that is empty or white space
    /// only is `_empty`.
    public func normalizeKey(_ key: String) throws -> String {
        let normalized = try normalizePath(key)
        return normalized.isEmpty ? Self.emptyKeyName : normalized
    }

    public static let emptyKeyName = "_empty"

    /// The name of a nested column or child table: `parent__child`.
    public func makePath(_ parts: String...) -> String { makePath(parts) }

    public func makePath(_ parts: [String]) -> String {
        parts.filter { !$0.isEmpty }.joined(separator: Self.pathSeparator)
    }

    /// `+-*@|` become `x_xal`; every other run of characters outside `[a-zA-Z0-9_]` becomes `_`.
    private func reduceAlphabet(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var inRun = false
        for scalar in text.unicodeScalars {
            let mapped: UInt8? = switch scalar {
            case "+": UInt8(ascii: "x")
            case "-": UInt8(ascii: "_")
            case "*": UInt8(ascii: "x")
            case "@": UInt8(ascii: "a")
            case "|": UInt8(ascii: "l")
            case "a"..."z", "A"..."Z", "0"..."9", "_": UInt8(scalar.value)
            default: nil
            }
            if let mapped {
                output.append(mapped)
                inRun = false
            } else if !inRun {
                output.append(UInt8(ascii: "_"))
                inRun = true
            }
        }
        return output
    }

    private func snakeCase(_ input: [UInt8]) -> String {
        func isUpper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
        func isLower(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        // Break 1: "xYz" → "x_Yz" where an upper letter starts a lowercase word (HTTPResponse → HTTP_Response).
        var first: [UInt8] = []
        first.reserveCapacity(input.count + 8)
        var index = 0
        while index < input.count {
            let c = input[index]
            if index > 0, input[index - 1] != UInt8(ascii: "_"), isUpper(c), index + 1 < input.count, isLower(input[index + 1]),
               first.last != UInt8(ascii: "_") {
                first.append(UInt8(ascii: "_"))
            }
            first.append(c)
            index += 1
        }
        // Break 2: a lower letter or digit followed by an upper letter (createdAt → created_At).
        var second: [UInt8] = []
        second.reserveCapacity(first.count + 8)
        for (offset, c) in first.enumerated() {
            if offset > 0, isUpper(c), isLower(first[offset - 1]) || isDigit(first[offset - 1]) {
                second.append(UInt8(ascii: "_"))
            }
            second.append(isUpper(c) ? c + 32 : c)
        }
        if let head = second.first, isDigit(head) { second.insert(UInt8(ascii: "_"), at: 0) }
        // Each trailing "_" becomes "x" so that no name ends in (part of) the path separator.
        var trailing = 0
        while trailing < second.count, second[second.count - 1 - trailing] == UInt8(ascii: "_") { trailing += 1 }
        if trailing > 0 {
            second.removeLast(trailing)
            second.append(contentsOf: repeatElement(UInt8(ascii: "x"), count: trailing))
        }
        // Runs of underscores collapse, so "__" never appears inside one name.
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(second.count)
        for c in second where !(c == UInt8(ascii: "_") && collapsed.last == UInt8(ascii: "_")) { collapsed.append(c) }
        return String(decoding: collapsed, as: UTF8.self)
    }

    /// Over-long names keep their start and end around a tag from a hash of the original name,
    /// so two long names that share a prefix stay distinct.
    private func shorten(_ name: String, original: String) -> String {
        guard let maxLength, name.utf8.count > maxLength else { return name }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across runs and machines
        for byte in original.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let tag = String(hash & 0xffff_ffff, radix: 16).leftPadded(to: 8)
        let keep = max(0, maxLength - tag.count)
        let head = keep / 2 + keep % 2, tail = keep / 2
        let bytes = Array(name.utf8)
        return String(decoding: bytes.prefix(head), as: UTF8.self) + tag + String(decoding: bytes.suffix(tail), as: UTF8.self)
    }

    private func quoted(_ text: String) -> String { "\"" + text + "\"" }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
