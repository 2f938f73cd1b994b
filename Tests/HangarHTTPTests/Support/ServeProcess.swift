import Foundation

/// A real `hangar serve --port 0` on a home, as a user starts it. Its output goes to files (a
/// server logs every request; a pipe nobody drains would stall it), and the URL comes from the
/// first line it prints, which must be exactly `listening on http://HOST:PORT`.
final class ServeProcess: @unchecked Sendable {
    let home: String
    let process = Process()
    let url: String
    let firstLine: String
    private let scratch: ScratchDirectory
    private let stdoutURL: URL
    private let stderrURL: URL

    init(home: String, _ extra: [String] = []) throws {
        self.home = home
        scratch = try ScratchDirectory()
        stdoutURL = scratch.url.appendingPathComponent("stdout")
        stderrURL = scratch.url.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        process.executableURL = try HangarBinary.url()
        process.arguments = ["serve", "--home", home, "--port", "0", "--poll-interval", "0.5"] + extra
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()

        // The first line appears once the server listens: poll the file for it, with a deadline.
        let deadline = Date().addingTimeInterval(60)
        var line: String?
        while line == nil {
            let text = String(decoding: (try? Data(contentsOf: stdoutURL)) ?? Data(), as: UTF8.self)
            if let end = text.firstIndex(of: "\n") {
                line = String(text[..<end])
            } else if !process.isRunning {
                throw TestFailure("hangar serve ended before listening (status \(process.terminationStatus)): \(text) \(String(decoding: (try? Data(contentsOf: stderrURL)) ?? Data(), as: UTF8.self))")
            } else if Date() > deadline {
                process.terminate()
                throw TestFailure("hangar serve printed no first line within 60 s")
            } else {
                usleep(10_000)
            }
        }
        firstLine = line ?? ""
        guard firstLine.hasPrefix("listening on http://") else {
            process.terminate()
            throw TestFailure("the first line is not `listening on …`: \(firstLine)")
        }
        url = String(firstLine.dropFirst("listening on ".count))
    }

    deinit {
        // A test that failed half-way must not leave a server behind.
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// The API token the server made in its home.
    func token() throws -> String {
        try String(contentsOfFile: home + "/server/token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func client() throws -> APIClient {
        APIClient(base: url, token: try token())
    }

    var stdout: String { String(decoding: (try? Data(contentsOf: stdoutURL)) ?? Data(), as: UTF8.self) }
    var stderr: String { String(decoding: (try? Data(contentsOf: stderrURL)) ?? Data(), as: UTF8.self) }

    /// Sends `signal` and waits for the exit; returns the exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
