import Foundation

/// A job file's name, `<table>.<file id>.<retry>.<format>`. A file name may not pass 255 bytes
/// while a table name (a long key holding a list, deep nesting) has no limit, so a table name
/// longer than `longestStem` bytes is written as the start of the name and a digest of all of it;
/// the package's `job_tables.json` maps such a stem back to its table.
enum JobName {
    static let longestStem = 120
    /// File ids are written with five digits, so names sort in the order the files were written.
    static let fileIDs = 100_000
    static let tablesFileName = "job_tables.json"

    static func make(table: String, fileID: Int, format: LoaderFileFormat) -> String {
        "\(stem(for: table)).\(String(format: "%05d", fileID)).0.\(format.fileExtension)"
    }

    /// The table itself, or for a long one its first characters and a digest of all of it.
    static func stem(for table: String) -> String {
        guard table.utf8.count > longestStem else { return table }
        var start = ""
        for character in table where start.utf8.count + character.utf8.count <= 64 { start.append(character) }
        let digest = StableHash.base64Digest(of: table, bytes: 12)
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        return start + "~" + digest
    }

    /// The stem of a job file's name (its table, unless shortened).
    static func stem(of job: URL) -> String {
        String(job.lastPathComponent.split(separator: ".").first ?? "")
    }

    /// The table of a job file, given the package's shortened stems.
    static func table(of job: URL, shortened: [String: String] = [:]) -> String {
        let stem = stem(of: job)
        return shortened[stem] ?? stem
    }

    /// Stem → table for the tables of `schema` whose names are too long for a file name.
    static func shortenedStems(of tables: some Sequence<String>) -> [String: String] {
        var stems: [String: String] = [:]
        for table in tables where table.utf8.count > longestStem { stems[stem(for: table)] = table }
        return stems
    }

    static func writeShortened(_ stems: [String: String], package: URL) throws {
        guard !stems.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try PackageFiles.write(try encoder.encode(stems), to: package.appendingPathComponent(tablesFileName))
    }

    /// What `writeShortened` recorded for a package (nothing for packages without long names).
    static func shortened(inPackage package: URL) -> [String: String] {
        guard let data = try? Data(contentsOf: package.appendingPathComponent(tablesFileName)) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }
}
