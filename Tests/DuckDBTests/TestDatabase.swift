import DuckDB
import Foundation
import HangarTestSupport

/// A real DuckDB file in a fresh scratch folder, removed when the value goes away.
final class TestDatabase {
    let scratch: ScratchDirectory
    let database: Database

    var path: String { scratch.path("test.duckdb") }

    init(configuration: Configuration = Configuration()) throws {
        scratch = try ScratchDirectory()
        database = try Database(path: scratch.path("test.duckdb"), configuration: configuration)
    }

    func connect() throws -> Connection { try database.connect() }
}

/// Runs one of the package's executables (built beside the test bundle) and returns what it
/// printed; fails when it does.
func runTool(_ name: String, arguments: [String]) throws -> String {
    let output = try Program.run(Program.built(name), arguments)
    guard output.status == 0 else {
        throw TestFailure("\(name) \(arguments.joined(separator: " ")) exited with \(output.status): \(output.stderr)")
    }
    return output.stdout
}
