import Foundation
import HangarAccount
import HangarRuntime
import InstallLayout

/// Finds the FlightKit SDK Swift flights compile against: installed beside `hangar`
/// (`lib/hangar/`), built next to the `hangar` binary of a checkout (`swift build` makes
/// `libFlightKit.so` and its modules beside it), or else built once for the home from the
/// checkout into `<home>/sdk/swift`, with progress in the run's log.
public enum FlightKitSDK {
    public static func locate(home: HangarHome, executable: URL, log: @escaping LogSink) throws -> SwiftSDK {
        let executableDirectory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        guard let layout = InstallLayout.locate(executableDirectory: executableDirectory, environment: ProcessInfo.processInfo.environment) else {
            throw RunnerError("Swift flights need the FlightKit SDK, which is neither installed beside \(executable.path) nor in a "
                              + "Hangar checkout; reinstall Hangar (make install), or set HANGAR_PREFIX to where it is installed")
        }
        if let beside = SwiftSDK.beside(executableDirectory: executableDirectory, layout: layout) { return beside }
        guard let source = layout.sourceRoot else {
            throw RunnerError("the FlightKit SDK is missing from \(executableDirectory.path) (libFlightKit.so, Modules/); reinstall Hangar")
        }
        let scratch = home.root.appendingPathComponent("sdk/swift", isDirectory: true)
        let built = scratch.appendingPathComponent("debug", isDirectory: true)
        if let ready = SwiftSDK.beside(executableDirectory: built, layout: layout) { return ready }
        log([CapturedLine(stream: .stderr, text: "[hangar] building the FlightKit SDK for this home (once; a few minutes)")])
        let command = RunCommand(executable: "swift",
                                 arguments: ["build", "--package-path", source.path, "--scratch-path", scratch.path, "--product", "FlightKit"],
                                 environment: ProcessInfo.processInfo.environment, workingDirectory: source)
        let process = try RunProcess.start(command, limits: RunLimits(maxRuntime: 3600), sink: log)
        let outcome = process.waitUntilExit()
        guard outcome.succeeded, let sdk = SwiftSDK.beside(executableDirectory: built, layout: layout) else {
            throw RunnerError("building the FlightKit SDK failed (\(outcome)); see the lines above")
        }
        return sdk
    }
}
