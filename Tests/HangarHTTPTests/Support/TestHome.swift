import Foundation

/// A Hangar home of its own for a test, with `hangar` commands and servers run against it.
final class TestHome: @unchecked Sendable {
    let scratch: ScratchDirectory
    let home: String

    init() throws {
        scratch = try ScratchDirectory()
        home = scratch.path("home")
    }

    /// `hangar serve --port 0` on this home, listening once this returns.
    func serve(_ extra: String...) throws -> ServeProcess {
        try ServeProcess(home: home, extra)
    }

    /// `hangar ARGUMENTS --home HOME`, run to completion.
    func hangar(_ arguments: String...) throws -> HangarBinary.Output {
        try HangarBinary.run(arguments + ["--home", home])
    }
}

/// One home for the tests that run real Python flights: a fresh home installs uv and builds a
/// Python environment (seconds), so they share one, each with flights of its own names. The
/// folder goes when the test process exits.
enum SharedRunHome {
    private static let made: Result<TestHome, any Error> = Result {
        let home = try TestHome()
        folder = strdup(home.scratch.url.path)
        atexit {
            if let folder = SharedRunHome.folder { try? FileManager.default.removeItem(atPath: String(cString: folder)) }
        }
        return home
    }

    nonisolated(unsafe) private static var folder: UnsafeMutablePointer<CChar>?

    static func home() throws -> TestHome { try made.get() }
}

/// A named pipe a flight blocks on until the test opens the other end: the test decides when
/// the flight moves on, with no timers.
enum FlightGate {
    static func make(in home: TestHome, _ name: String) throws -> String {
        let path = home.scratch.path(name)
        guard mkfifo(path, 0o600) == 0 else { throw TestFailure("mkfifo \(path): \(String(cString: strerror(errno)))") }
        return path
    }

    /// Opens the FIFO for writing and closes it: the flight reading it sees end of file.
    static func release(_ path: String) throws {
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).close()
    }

    /// A Python flight that prints `before`, waits for the gate, then prints `after`.
    static func source(gate: String, before: String = "one", after: String = "two") -> String {
        "print(\(pythonString(before)), flush=True)\nopen(\(pythonString(gate))).read()\nprint(\(pythonString(after)), flush=True)\n"
    }

    static func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}

/// Unique names, so tests sharing a home never clash.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
}
