import Foundation

/// The `hangar` binary built beside this test bundle (whatever the scratch path), or
/// `HANGAR_BINARY`; and `hangar` commands run to completion against a home.
enum HangarBinary {
    static func url() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["HANGAR_BINARY"] { return URL(fileURLWithPath: path) }
        let starts = [Bundle.main.executableURL, Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])]
            .compactMap { $0?.resolvingSymlinksInPath() }
        for start in starts {
            var folder = start.deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = folder.appendingPathComponent("hangar")
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        throw TestFailure("no hangar binary found near \(starts.map(\.path)); set HANGAR_BINARY")
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// `hangar ARGUMENTS`, run to completion; output goes to files (a full pipe nobody reads
    /// would block the child), and `waitUntilExit` is the only synchronisation.
    static func run(_ arguments: [String]) throws -> Output {
        let scratch = try ScratchDirectory()
        let stdoutURL = scratch.url.appendingPathComponent("stdout"), stderrURL = scratch.url.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let stdout = try FileHandle(forWritingTo: stdoutURL), stderr = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdout.close()
            try? stderr.close()
        }
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }
}
