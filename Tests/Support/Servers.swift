import Foundation

/// A real `hangar serve --port 0` on a home, as a user starts it, listening once `start`
/// returns. Its address comes from the first line it prints, which must be exactly
/// `listening on http://HOST:PORT`.
public final class ServeProcess: Sendable {
    public let home: String
    public let program: RunningProgram
    /// The first line it printed.
    public let firstLine: String
    /// `http://HOST:PORT`.
    public let url: String

    /// `hangar serve --home HOME --port 0 --poll-interval 0.5 EXTRA`, of the `hangar` built beside
    /// the tests unless `executable` says which (an installed copy, say).
    public static func start(home: String, _ extra: [String] = [], executable: URL? = nil) async throws -> ServeProcess {
        let arguments = ["serve", "--home", home, "--port", "0", "--poll-interval", "0.5"] + extra
        let program = try executable.map { try Program.start($0, arguments) } ?? HangarProcess.start(arguments)
        let url = try await listeningAddress(of: program, timeout: .seconds(60))
        return ServeProcess(home: home, program: program, firstLine: "listening on " + url, url: url)
    }

    /// A `hangar serve` the caller started (with its own options and environment).
    public static func attach(home: String, program: RunningProgram) async throws -> ServeProcess {
        let url = try await listeningAddress(of: program, timeout: .seconds(60))
        return ServeProcess(home: home, program: program, firstLine: "listening on " + url, url: url)
    }

    private init(home: String, program: RunningProgram, firstLine: String, url: String) {
        self.home = home
        self.program = program
        self.firstLine = firstLine
        self.url = url
    }

    public var process: Process { program.process }
    public var stdout: String { program.stdout }
    public var stderr: String { program.stderr }

    /// Waits until standard output contains `text` (a request's log line, a scheduled run).
    public func waitForOutput(_ text: String, timeout: Duration = .seconds(240)) async throws {
        try await program.waitForOutput(text, timeout: timeout)
    }

    /// The API token the server made in its home.
    public func token() throws -> String {
        try String(contentsOfFile: home + "/server/token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sends `signal` and waits for the exit; returns the exit status.
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM) async -> Int32 {
        await program.stop(signal)
    }
}

/// The package's GitHubReplay executable (sample GitHub REST responses), on a free port.
public final class ReplayServer: Sendable {
    public let program: RunningProgram
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String

    public static func start(_ arguments: [String] = []) async throws -> ReplayServer {
        let program = try Program.start(try Program.built("GitHubReplay"), arguments)
        return ReplayServer(program: program, baseURL: try await listeningAddress(of: program, timeout: .seconds(30)))
    }

    private init(program: RunningProgram, baseURL: String) {
        self.program = program
        self.baseURL = baseURL
    }

    public var port: Int { Int(baseURL.split(separator: ":").last ?? "") ?? 0 }

    /// What it printed: the requests it answered, and any error.
    public var log: String { program.stdout + program.stderr }
}

/// The address in a server's first line, `listening on http://HOST:PORT`; the server is
/// stopped when the line is anything else.
private func listeningAddress(of program: RunningProgram, timeout: Duration) async throws -> String {
    let line = try await program.firstLine(timeout: timeout)
    guard line.hasPrefix("listening on http://") else {
        await program.stop()
        throw TestFailure("the first line is not `listening on …`: \(line)")
    }
    return String(line.dropFirst("listening on ".count))
}
