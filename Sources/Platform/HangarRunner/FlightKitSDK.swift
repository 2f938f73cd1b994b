import Foundation
import HangarAccount
import HangarRuntime

/// Finds the FlightKit SDK Swift flights compile against: built next to the `hangar` binary
/// (`swift build` makes `libFlightKit.so` and its modules beside it), or else built once for
/// the home from Hangar's source into `<home>/sdk/swift`, with progress in the run's log.
public enum FlightKitSDK {
    /// The Hangar checkout this binary was built from (`HANGAR_SOURCE_ROOT` overrides): the SDK
    /// is built from it, and it holds DuckDB's module map and library.
    public static func sourceRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let root = environment["HANGAR_SOURCE_ROOT"], !root.isEmpty { return URL(fileURLWithPath: root, isDirectory: true) }
        // This file is <root>/Sources/Platform/HangarRunner/FlightKitSDK.swift.
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }
        return root
    }

    public static func locate(home: HangarHome, executable: URL, log: @escaping LogSink) throws -> SwiftSDK {
        let source = sourceRoot()
        if let beside = SwiftSDK.beside(executableDirectory: executable.deletingLastPathComponent(), sourceRoot: source) {
            return beside
        }
        let scratch = home.root.appendingPathComponent("sdk/swift", isDirectory: true)
        let built = scratch.appendingPathComponent("debug", isDirectory: true)
        if let ready = SwiftSDK.beside(executableDirectory: built, sourceRoot: source) { return ready }
        guard FileManager.default.fileExists(atPath: source.appendingPathComponent("Package.swift").path) else {
            throw RunnerError("Swift flights need the FlightKit SDK, built from Hangar's source, which is not at \(source.path); "
                              + "set HANGAR_SOURCE_ROOT to a Hangar checkout")
        }
        log([CapturedLine(stream: .stderr, text: "[hangar] building the FlightKit SDK for this home (once; a few minutes)")])
        let command = RunCommand(executable: "swift",
                                 arguments: ["build", "--package-path", source.path, "--scratch-path", scratch.path, "--product", "FlightKit"],
                                 environment: ProcessInfo.processInfo.environment, workingDirectory: source)
        let process = try RunProcess.start(command, limits: RunLimits(maxRuntime: 3600), sink: log)
        let outcome = process.waitUntilExit()
        guard outcome.succeeded, let sdk = SwiftSDK.beside(executableDirectory: built, sourceRoot: source) else {
            throw RunnerError("building the FlightKit SDK failed (\(outcome)); see the lines above")
        }
        return sdk
    }
}
