import Foundation

/// Swift flights built once per (source, SDK) and cached under `<home>/builds/swift/<key>/`:
/// later runs of the same version start the binary directly, and a changed source compiles in
/// seconds because the SDK (FlightKit, the ingest engine, the DuckDB binding) is already built.
public struct SwiftFlightBuilds: Sendable {
    public static let keyLength = 16
    public static let fileName = "flight"

    public let home: URL
    public let sdk: SwiftSDK
    /// The compiler, on PATH or as a path.
    public let compiler: String
    /// Allowed for one compile before it is stopped.
    public let compileTimeout: TimeInterval
    /// The compiler's environment (PATH to find the linker, HOME for its module cache).
    public let toolEnvironment: [String: String]

    public init(home: URL, sdk: SwiftSDK, compiler: String = "swiftc", compileTimeout: TimeInterval = 600,
                toolEnvironment: [String: String] = ProcessInfo.processInfo.environment) {
        self.home = home
        self.sdk = sdk
        self.compiler = compiler
        self.compileTimeout = compileTimeout
        self.toolEnvironment = toolEnvironment
    }

    public var root: URL { home.appendingPathComponent("builds/swift", isDirectory: true) }

    /// What a build (or the cache) produced.
    public struct Build: Sendable, Equatable {
        public let executable: URL
        public let key: String
        /// False when an earlier build was reused.
        public let wasBuilt: Bool
        public let seconds: Double
    }

    /// The cache key of a source against this SDK.
    public func key(for source: String) -> String {
        String(SHA256.hex(source + "\u{0}" + sdk.identity).prefix(Self.keyLength))
    }

    /// The flight's binary: the cached one, or compiled now with the compiler's lines going to
    /// `log`. A compile error throws `.buildFailed` carrying the compiler's messages.
    public func executable(for source: String, log: @escaping LogSink = { _ in }) throws -> Build {
        let key = key(for: source)
        let folder = root.appendingPathComponent(key, isDirectory: true)
        let executable = folder.appendingPathComponent(Self.fileName)
        if FileManager.default.isExecutableFile(atPath: executable.path) {
            return Build(executable: executable, key: key, wasBuilt: false, seconds: 0)
        }
        let lock = try FileLock.acquire(root.appendingPathComponent("\(key).lock")) {
            log([CapturedLine(stream: .stderr, text: "[hangar] waiting for another run that is building this version")])
        }
        defer { lock.release() }
        // Whoever held the lock may have built it meanwhile.
        if FileManager.default.isExecutableFile(atPath: executable.path) {
            return Build(executable: executable, key: key, wasBuilt: false, seconds: 0)
        }
        let started = ContinuousClock.now
        let partial = root.appendingPathComponent(".\(key).partial-\(getpid())", isDirectory: true)
        try? FileManager.default.removeItem(at: partial)
        let sourceFile = partial.appendingPathComponent("main.swift")
        do {
            try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
            try Data(source.utf8).write(to: sourceFile)
        } catch {
            throw RuntimeError(.storage, "cannot prepare the build folder \(partial.path): \(error)")
        }
        log([CapturedLine(stream: .stderr, text: "[hangar] compiling the flight (swiftc, against FlightKit)")])
        let command = RunCommand(executable: compiler,
                                 arguments: sdk.compilerArguments(source: sourceFile.lastPathComponent,
                                                                  output: partial.appendingPathComponent(Self.fileName)),
                                 environment: toolEnvironment, workingDirectory: partial)
        let result = try ToolRunner.run(command, timeout: compileTimeout, log: log)
        guard result.outcome.succeeded else {
            try? FileManager.default.removeItem(at: partial)
            let reason = result.outcome.reason == .timedOut ? "the compiler did not finish within \(Int(compileTimeout)) s"
                : "the Swift compiler rejected the flight's source"
            throw RuntimeError(.buildFailed, "\(reason); fix main.swift and update the flight", toolOutput: result.errorLines(limit: 40))
        }
        do {
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.moveItem(at: partial, to: folder)
        } catch {
            throw RuntimeError(.storage, "cannot store the build in \(folder.path): \(error)")
        }
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        log([CapturedLine(stream: .stderr, text: String(format: "[hangar] compiled in %.1f s", seconds))])
        return Build(executable: executable, key: key, wasBuilt: true, seconds: seconds)
    }
}
