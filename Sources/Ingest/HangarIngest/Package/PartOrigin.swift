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
        return .malformedJSON(malformed.shifted(rows: rows, lines: lines, bytes: origin.byte, source: origin.source))
    }
}
