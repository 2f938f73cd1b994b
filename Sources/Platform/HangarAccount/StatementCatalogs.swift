import Foundation

/// What a statement says about the catalogs it uses, read without DuckDB's parser (the
/// databases must be attached before DuckDB can bind the statement).
public enum StatementCatalogs {
    /// The names a statement uses as qualifiers (`name.` before a schema, table or column), lower
    /// case: the candidates for catalogs. Strings, comments and dollar-quoted text are skipped.
    public static func qualifiers(in sql: String) -> Set<String> {
        let bytes = Array(sql.utf8)
        var names: Set<String> = []
        var index = 0
        func skipSpace(_ from: Int) -> Int {
            var i = from
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
            return i
        }
        func isIdentifierByte(_ byte: UInt8, first: Bool) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || byte >= 0x80
                || (!first && ((byte >= 0x30 && byte <= 0x39) || byte == 0x24))
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            switch byte {
            case 0x27:  // '…', '' inside
                index += 1
                while index < bytes.count {
                    if bytes[index] == 0x27 {
                        if index + 1 < bytes.count, bytes[index + 1] == 0x27 { index += 2; continue }
                        break
                    }
                    index += 1
                }
                index += 1
            case 0x2D where next == 0x2D:  // -- comment
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            case 0x2F where next == 0x2A:  // /* comment */, nesting
                var depth = 0
                while index < bytes.count {
                    if bytes[index] == 0x2F, index + 1 < bytes.count, bytes[index + 1] == 0x2A { depth += 1; index += 2; continue }
                    if bytes[index] == 0x2A, index + 1 < bytes.count, bytes[index + 1] == 0x2F {
                        depth -= 1
                        index += 2
                        if depth == 0 { break }
                        continue
                    }
                    index += 1
                }
            case 0x24:  // $tag$ … $tag$
                var end = index + 1
                while end < bytes.count, isIdentifierByte(bytes[end], first: false), bytes[end] != 0x24 { end += 1 }
                guard end < bytes.count, bytes[end] == 0x24 else { index += 1; continue }
                let delimiter = Array(bytes[index...end])
                var search = end + 1
                while search + delimiter.count <= bytes.count, Array(bytes[search..<(search + delimiter.count)]) != delimiter { search += 1 }
                index = search + delimiter.count
            case 0x22:  // "quoted identifier", "" inside
                var name: [UInt8] = []
                index += 1
                while index < bytes.count {
                    if bytes[index] == 0x22 {
                        if index + 1 < bytes.count, bytes[index + 1] == 0x22 { name.append(0x22); index += 2; continue }
                        break
                    }
                    name.append(bytes[index])
                    index += 1
                }
                index += 1
                let after = skipSpace(index)
                if after < bytes.count, bytes[after] == 0x2E { names.insert(String(decoding: name, as: UTF8.self).lowercased()) }
            default:
                guard isIdentifierByte(byte, first: true) else { index += 1; continue }
                let start = index
                while index < bytes.count, isIdentifierByte(bytes[index], first: false) { index += 1 }
                // A word right after a '.' is a schema or table, not a catalog; that is still a
                // candidate only if written first.
                let after = skipSpace(index)
                let before = start > 0 ? bytes[start - 1] : 0
                if after < bytes.count, bytes[after] == 0x2E, before != 0x2E {
                    names.insert(String(decoding: bytes[start..<index], as: UTF8.self).lowercased())
                }
            }
        }
        return names
    }

    /// The file of an `ATTACH [DATABASE] [IF NOT EXISTS] 'path' …` statement (`duckdb:` removed);
    /// nil for any other statement and for MotherDuck.
    public static func attachedPath(in statement: String) -> String? {
        let pattern = #"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*ATTACH\s+(?:DATABASE\s+)?(?:IF\s+NOT\s+EXISTS\s+)?'((?:[^']|'')*)'"#
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators]),
              let match = expression.firstMatch(in: statement, range: NSRange(statement.startIndex..., in: statement)),
              let range = Range(match.range(at: 1), in: statement) else { return nil }
        var path = statement[range].replacingOccurrences(of: "''", with: "'")
        if path.lowercased().hasPrefix("duckdb:") { path = String(path.dropFirst("duckdb:".count)) }
        let lowered = path.lowercased()
        guard !path.isEmpty, !lowered.hasPrefix("md:"), !lowered.hasPrefix("motherduck:"), !lowered.contains("://"),
              path != ":memory:" else { return nil }
        return path
    }

    /// The target of a `USE` statement, if `statement` is one.
    public static func usedCatalog(_ statement: String) -> String? {
        let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
        guard trimmed.count > 4, trimmed.prefix(4).lowercased() == "use ", !trimmed.contains(";") else { return nil }
        return String(trimmed.dropFirst(4)).trimmingCharacters(in: .whitespaces)
    }
}
