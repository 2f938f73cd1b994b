import Foundation

/// What a program printed, and how it exited.
public struct ProgramOutput: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Programs run as a user runs them: the package's own executables (found beside the test
/// bundle) and others (a script, Python).
///
/// Output goes to files rather than pipes: a child that fills a pipe nobody is reading yet
/// would block forever, and files need no reader threads.
public enum Program {
    /// Runs `executable` to completion in a scratch folder of its own and collects what it
    /// printed. `input` becomes standard input (a file, so never a terminal); without it,
    /// `/dev/null`. `environment` adds to (or replaces in) the test process's own.
    public static func run(_ executable: URL, _ arguments: [String], input: String? = nil,
                           environment: [String: String] = [:]) throws -> ProgramOutput {
        let scratch = try ScratchDirectory()
        let output = try OutputFiles(in: scratch)
        let stdinURL: URL
        if let input {
            stdinURL = URL(fileURLWithPath: try scratch.file("stdin", input))
        } else {
            stdinURL = URL(fileURLWithPath: "/dev/null")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = scratch.url
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let stdin = try FileHandle(forReadingFrom: stdinURL)
        defer { try? stdin.close() }
        process.standardInput = stdin
        try output.start(process)
        process.waitUntilExit()
        return output.collect(status: process.terminationStatus)
    }

    /// Starts `executable` and leaves it running; see `RunningProgram`.
    public static func start(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> RunningProgram {
        try RunningProgram(executable, arguments, environment: environment)
    }

    /// The executable `name` that `swift build` made beside this test bundle. On Linux the test
    /// bundle is an executable in the products folder; on macOS a bundle folder there, so a few
    /// steps up from either start reach the products folder.
    public static func built(_ name: String) throws -> URL {
        let starts = [Bundle.main.executableURL, Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])]
            .compactMap { $0?.resolvingSymlinksInPath() }
        for start in starts {
            var folder = start.deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = folder.appendingPathComponent(name)
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        throw TestFailure("no \(name) built near \(starts.map(\.path))")
    }
}

/// The real `hangar` executable, as a user runs it.
public enum HangarProcess {
    /// The `hangar` built beside this test bundle; `HANGAR_BINARY` overrides the search, to test
    /// an installed build.
    public static func executable() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["HANGAR_BINARY"] { return URL(fileURLWithPath: path) }
        do {
            return try Program.built("hangar")
        } catch {
            throw TestFailure("\(error); set HANGAR_BINARY")
        }
    }

    /// `hangar ARGUMENTS`, run to completion (see `Program.run`).
    public static func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> ProgramOutput {
        try Program.run(executable(), arguments, input: input, environment: environment)
    }

    /// `hangar ARGUMENTS`, started and left running (see `RunningProgram`).
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> RunningProgram {
        try RunningProgram(executable(), arguments, environment: environment)
    }
}

/// Standard output and error as two files in a scratch folder.
struct OutputFiles: Sendable {
    let stdout: URL
    let stderr: URL

    init(in scratch: ScratchDirectory) throws {
        stdout = scratch.url.appendingPathComponent("stdout")
        stderr = scratch.url.appendingPathComponent("stderr")
        try Data().write(to: stdout)
        try Data().write(to: stderr)
    }

    /// Starts the process with its standard output and error in the files; the child has its
    /// own descriptors, so ours are closed once it runs.
    func start(_ process: Process) throws {
        let out = try FileHandle(forWritingTo: stdout), err = try FileHandle(forWritingTo: stderr)
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = err
        try process.run()
    }

    var printed: String { Self.read(stdout) }
    var printedErrors: String { Self.read(stderr) }

    func collect(status: Int32) -> ProgramOutput {
        ProgramOutput(status: status, stdout: printed, stderr: printedErrors)
    }

    private static func read(_ url: URL) -> String {
        String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
    }
}
