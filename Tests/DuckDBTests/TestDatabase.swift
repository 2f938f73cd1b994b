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

/// Runs one of the package's executables (built beside the test bundle) and returns its output.
func runTool(_ name: String, arguments: [String]) throws -> String {
    // The test runner is itself a product; where it lives differs between platforms and runners.
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(), runner.deletingLastPathComponent()]
    guard let executable = candidates.map({ $0.appendingPathComponent(name) }).first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw DuckDBError(.other, message: "\(name) is not built next to the tests (\(candidates.map(\.path)))")
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw DuckDBError(.other, message: "\(name) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
}
