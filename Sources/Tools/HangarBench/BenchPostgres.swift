import Foundation

/// A PostgreSQL for the benchmark, on 127.0.0.1 (scripts/postgres-server, from the checkout
/// `make bench` runs in).
final class BenchPostgres {
    let folder: URL
    let url: String
    let script = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("scripts/postgres-server")

    init(folder: URL) throws {
        self.folder = folder
        let port = Int.random(in: 40_000...60_000)
        let process = Process()
        process.executableURL = script
        process.arguments = ["start", folder.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["PORT": String(port)]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchFailure("scripts/postgres-server start failed; run make setup") }
        url = "postgres://postgres@127.0.0.1:\(port)/postgres"
    }

    func stop() {
        let process = Process()
        process.executableURL = script
        process.arguments = ["stop", folder.path]
        try? process.run()
        process.waitUntilExit()
    }
}
