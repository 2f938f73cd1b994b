import Foundation
import HangarTestSupport

/// A Hangar home of its own for a test, with `hangar` commands and servers run against it.
final class TestHome: Sendable {
    let scratch: ScratchDirectory
    let home: String

    init(scratch: ScratchDirectory? = nil) throws {
        self.scratch = try scratch ?? ScratchDirectory()
        home = self.scratch.path("home")
    }

    /// `hangar serve --port 0` on this home, listening once this returns.
    func serve(_ extra: String...) async throws -> ServeProcess {
        try await ServeProcess.start(home: home, extra)
    }

    /// `hangar ARGUMENTS --home HOME`, run to completion.
    func hangar(_ arguments: String...) throws -> ProgramOutput {
        try HangarProcess.run(arguments + ["--home", home])
    }
}

extension ServeProcess {
    /// A client of this server's API, with its token.
    func client() throws -> APIClient {
        APIClient(base: url, token: try token())
    }
}

/// One home for the tests that run real Python flights: a fresh home installs uv and builds a
/// Python environment (seconds), so they share one, each with flights of its own names. The
/// folder goes when the test process exits.
enum SharedRunHome {
    private static let made: Result<TestHome, any Error> = Result { try TestHome(scratch: ProcessScratch.make()) }

    static func home() throws -> TestHome { try made.get() }
}

/// Unique names, so tests sharing a home never clash.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
}
