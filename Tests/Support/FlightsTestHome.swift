import Foundation

/// A Hangar home of its own for one test (a folder in its scratch folder), with `hangar`
/// commands run against it and `hangar serve` started on it.
public final class FlightsTestHome: Sendable {
    public let scratch: ScratchDirectory
    /// The home's path, as `--home` takes it.
    public let home: String

    /// A home in `scratch`; by default a scratch folder of the test's own.
    public init(scratch: ScratchDirectory? = nil) throws {
        self.scratch = try scratch ?? ScratchDirectory()
        home = self.scratch.path("home")
    }

    /// `hangar ARGUMENTS --home HOME`, run to completion.
    public func hangar(_ arguments: String..., input: String? = nil) throws -> ProgramOutput {
        try HangarProcess.run(arguments + ["--home", home], input: input)
    }

    /// `hangar ARGUMENTS --home HOME`, started and left running.
    public func start(_ arguments: String...) throws -> RunningProgram {
        try HangarProcess.start(arguments + ["--home", home])
    }

    /// `hangar serve --port 0 EXTRA` on this home, listening once this returns.
    public func serve(_ extra: String...) async throws -> ServeProcess {
        try await ServeProcess.start(home: home, extra)
    }

    /// Writes a file into the scratch folder and returns its path.
    @discardableResult
    public func file(_ name: String, _ contents: String) throws -> String {
        try scratch.file(name, contents)
    }

    /// The home `name` of this test process, made on first use. Tests that run real Python
    /// flights share one: a fresh home installs uv and builds a Python environment per distinct
    /// requirements (tens of seconds for dlt), so each test names its flights and files uniquely
    /// instead. The folder goes when the test process exits.
    public static func shared(_ name: String) throws -> FlightsTestHome {
        try sharedLock.withLock {
            if let made = sharedHomes[name] { return made }
            let made = try FlightsTestHome(scratch: ProcessScratch.make())
            sharedHomes[name] = made
            return made
        }
    }

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var sharedHomes: [String: FlightsTestHome] = [:]
}
