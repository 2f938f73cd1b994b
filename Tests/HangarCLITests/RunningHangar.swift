import Foundation

/// A `hangar` process the test talks to while it runs: standard output is a pipe read as the
/// process writes it, so a test waits for a line to appear instead of for time to pass.
final class RunningHangar {
    let process = Process()
    private let output = Pipe()
    private let scratch: ScratchDirectory
    private let stderrURL: URL
    /// Everything read from standard output so far.
    private(set) var stdout = ""

    /// `environment` adds to (or overrides) the test's own environment; `executable` is the
    /// `hangar` built beside the tests unless given (an installed copy, say).
    init(_ arguments: [String], environment: [String: String] = [:], executable: URL? = nil) throws {
        scratch = try ScratchDirectory()
        stderrURL = scratch.url.appendingPathComponent("stderr")
        try Data().write(to: stderrURL)
        process.executableURL = try executable ?? HangarProcess.executable()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    deinit {
        // A test that failed half-way must not leave a follower behind.
        if process.isRunning { process.terminate() }
    }

    /// Reads standard output until it contains `text`; fails if the process ends first.
    func readUntil(_ text: String) throws {
        while !stdout.contains(text) {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else {
                throw HangarProcess.Failure(description: "hangar ended before printing \(text.debugDescription); it printed \(stdout.debugDescription) and on stderr \(stderr.debugDescription)")
            }
            stdout += String(decoding: data, as: UTF8.self)
        }
    }

    /// Reads the rest of standard output and waits for the exit.
    func finish() -> HangarOutput {
        stdout += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return HangarOutput(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    var stderr: String {
        (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
    }
}
