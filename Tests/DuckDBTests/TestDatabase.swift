import DuckDB
import Foundation

/// A real DuckDB file in a fresh temporary folder, removed when the value goes away.
final class TestDatabase {
    let folder: URL
    let database: Database

    var path: String { folder.appendingPathComponent("test.duckdb").path }

    init(configuration: Configuration = Configuration()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = try Database(path: folder.appendingPathComponent("test.duckdb").path, configuration: configuration)
    }

    func connect() throws -> Connection { try database.connect() }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Resident memory of this process, from /proc.
func residentMemoryBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes * 1024
}
