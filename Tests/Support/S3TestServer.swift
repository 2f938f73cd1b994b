import DuckDB
import Foundation

/// One throwaway S3-compatible server (moto's, `scripts/s3-server`) for this test process, on a
/// free port of 127.0.0.1, started on first use with the bucket ``bucket``. Tests keep apart by
/// prefix (``freshPrefix()``).
///
/// The server goes when the process ends: the script's watcher stops it when the pipe this
/// process holds as the script's standard input closes (at exit, or when the process is killed).
public enum S3TestServer {
    public static let bucket = "hangar-tests"
    /// moto accepts any credentials; these stand for a real key pair.
    public static let keyID = "hangar-test-key"
    public static let secret = "hangar-test-secret-value"
    public static let region = "us-east-1"

    private struct Started: @unchecked Sendable {
        let endpoint: String
        let input: FileHandle
        let process: Process
    }

    private static let started: Result<Started, any Error> = Result { try start() }

    private static func start() throws -> Started {
        let port = try FreePort.next()
        let input = Pipe(), output = Pipe()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-s3-\(getpid()).log")
        let process = Process()
        process.executableURL = Checkout.file("scripts/s3-server")
        process.arguments = ["\(port)", bucket]
        process.environment = ProcessInfo.processInfo.environment.merging(["S3_SERVER_LOG": log.path]) { $1 }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // The script prints `ready` once the server answers and the bucket exists (the first
        // start also makes moto's venv, which takes a minute).
        var text = ""
        while !text.contains("ready\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                throw TestFailure("scripts/s3-server \(port) ended before it was ready:\n\(text)\n\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            text += String(decoding: chunk, as: UTF8.self)
        }
        // The script returns once the server is ready; its watcher keeps the pipe's other end.
        process.waitUntilExit()
        return Started(endpoint: "http://127.0.0.1:\(port)", input: input.fileHandleForWriting, process: process)
    }

    /// `http://127.0.0.1:PORT`, starting the server on first use.
    public static func endpoint() throws -> String {
        try started.get().endpoint
    }

    /// A new `s3://bucket/prefix/` no other test uses.
    public static func freshPrefix() throws -> String {
        _ = try endpoint()
        return "s3://\(bucket)/\(UUID().uuidString.lowercased())/"
    }

    /// The object store of a lake on this server, credentials included, as `CREATE DATABASE` records it.
    public static func objectStore() throws -> DuckLakeObjectStore {
        DuckLakeObjectStore(endpoint: try endpoint(), region: region, keyID: keyID, secret: secret)
    }

    /// The options of `CREATE DATABASE … (TYPE ducklake, …)` for a lake on this server.
    public static func createOptions() throws -> String {
        "S3_ENDPOINT '\(try endpoint())', S3_REGION '\(region)', S3_KEY_ID '\(keyID)', S3_SECRET '\(secret)'"
    }

    /// The object keys under `prefix` (`s3://bucket/…`), listed through DuckDB as a lake would.
    public static func objects(under prefix: String) throws -> [String] {
        let connection = try Database(.inMemory).connect()
        let location = DuckLakeLocation(catalog: "", metadataSchema: "", dataPath: prefix, objectStore: try objectStore())
        try DuckLake.checkObjectStore(location, alias: "probe", using: connection)
        return try connection.query("SELECT file FROM glob(?) ORDER BY file", [prefix + "**"]).all().map { try $0.get(0, as: String.self) }
    }
}
