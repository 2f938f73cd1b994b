import Foundation

/// Runs the real `hangar` executable, as a user would, and collects what it printed.
///
/// Output goes to files rather than pipes: a child that fills a pipe nobody is reading yet
/// would block forever, and files need no reader threads. `waitUntilExit` is the only
/// synchronisation; nothing sleeps.
enum HangarProcess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `input` becomes standard input (a file, so never a terminal); without it, `/dev/null`.
    /// `environment` adds to (or replaces in) the test process's own.
    static func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> HangarOutput {
        try run(executable: executable(), arguments, input: input, environment: environment)
    }

    /// `run` for another program (a script, Python), collected the same way.
    static func run(executable: URL, _ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> HangarOutput {
        let scratch = try ScratchDirectory()
        let stdoutURL = scratch.url.appendingPathComponent("stdout")
        let stderrURL = scratch.url.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let stdinURL: URL
        if let input {
            stdinURL = scratch.url.appendingPathComponent("stdin")
            try Data(input.utf8).write(to: stdinURL)
        } else {
            stdinURL = URL(fileURLWithPath: "/dev/null")
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = scratch.url
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let stdin = try FileHandle(forReadingFrom: stdinURL)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdin.close()
            try? stdout.close()
            try? stderr.close()
        }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()

        return HangarOutput(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self)
        )
    }

    /// The `hangar` binary built alongside this test bundle, in the same products folder.
    /// `HANGAR_BINARY` overrides the search, to test an installed build.
    static func executable() throws -> URL {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["HANGAR_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        // On Linux the test bundle is an executable in the products folder; on macOS it is a
        // bundle folder there, so a few steps up from either start reach the products folder.
        let starts = [
            Bundle.main.executableURL,
            Bundle.main.bundleURL,
            URL(fileURLWithPath: CommandLine.arguments[0]),
        ].compactMap { $0?.resolvingSymlinksInPath() }
        for start in starts {
            var folder = start.deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = folder.appendingPathComponent("hangar")
                var isFolder: ObjCBool = false
                if fileManager.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
                   fileManager.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        throw Failure(description: "no hangar binary found near \(starts.map(\.path)); set HANGAR_BINARY")
    }
}
