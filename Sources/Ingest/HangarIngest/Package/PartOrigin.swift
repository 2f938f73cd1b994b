import Foundation

/// Where a part of an extracted package starts in the user's file: large JSON-lines files are
/// copied in parts, and the reader counts rows, lines and bytes within a part. Kept beside the
/// part as `<part>.origin`.
struct PartOrigin: Codable, Equatable {
    static let suffix = ".origin"

    let source: String
    let byte: Int

    func write(besides part: URL) throws {
        try PackageFiles.write(try JSONEncoder().encode(self), to: URL(fileURLWithPath: part.path + Self.suffix))
    }

    static func read(besides part: URL) -> PartOrigin? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: part.path + suffix)) else { return nil }
        return try? JSONDecoder().decode(PartOrigin.self, from: data)
    }

    /// `error` (malformed JSON within `part`) told in the terms of the user's file: its row,
    /// line and byte there, counted through the parts of the same file before this one.
    static func locate(_ error: IngestError, in part: URL, parts: [URL]) -> IngestError {
        guard let malformed = error.malformed, let origin = read(besides: part) else { return error }
        let (lines, rows) = countBefore(part, origin: origin, parts: parts)
        return .malformedJSON(malformed.shifted(rows: rows, lines: lines, bytes: origin.byte, source: origin.source))
    }

    /// `error` about row `row` of `data` (a data error: a name, a type, a contract) with the
    /// line and byte where that row starts, in the user's file when `part` is a part of one.
    static func locateRow(_ error: IngestError, row: Int, of data: Data, layout: JSONLayout, typed: Bool,
                          part: URL? = nil, parts: [URL] = []) -> IngestError {
        guard row > 0, var position = RowLocation.position(ofRow: row, in: data, layout: layout, typed: typed) else { return error }
        var file = ""
        if let part, let origin = read(besides: part) {
            let (lines, _) = countBefore(part, origin: origin, parts: parts)
            position = RowPosition(row: position.row, line: position.line + lines, byteOffset: position.byteOffset + origin.byte)
            file = " of \(origin.source)"
        }
        var located = IngestError(error.kind, message: "\(error.message) (line \(position.line), byte \(position.byteOffset)\(file))")
        located.loadInfo = error.loadInfo
        return located
    }

    /// Lines and rows (non-blank lines) in the parts of the same file before `part`.
    private static func countBefore(_ part: URL, origin: PartOrigin, parts: [URL]) -> (lines: Int, rows: Int) {
        var lines = 0, rows = 0
        for earlier in parts where earlier != part {
            guard let earlierOrigin = read(besides: earlier), earlierOrigin.source == origin.source, earlierOrigin.byte < origin.byte,
                  let data = try? Data(contentsOf: earlier, options: .alwaysMapped) else { continue }
            data.withUnsafeBytes { bytes in
                var lineHasContent = false
                for byte in bytes {
                    if byte == 0x0A {
                        lines += 1
                        if lineHasContent { rows += 1 }
                        lineHasContent = false
                    } else if byte != 0x20 && byte != 0x09 && byte != 0x0D {
                        lineHasContent = true
                    }
                }
                if lineHasContent { rows += 1 }
            }
        }
        return (lines, rows)
    }
}

/// Where a row starts, found again by reading the rows before it (only when an error needs it).
enum RowLocation {
    static func position(ofRow row: Int, in data: Data, layout: JSONLayout, typed: Bool) -> RowPosition? {
        struct Found: Error { let position: RowPosition }
        var seen = 0
        do {
            try JSONReader.rows(from: data, layout: layout, typed: typed) { _, position in
                seen += 1
                if seen == row { throw Found(position: position) }
            }
        } catch let found as Found {
            return found.position
        } catch {
            return nil
        }
        return nil
    }
}
