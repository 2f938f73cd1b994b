import Foundation
import HangarTestSupport
import Testing

@Suite struct VersionTests {
    @Test func versionNamesHangarAndTheDuckDBItRuns() throws {
        let output = try HangarProcess.run(["--version"])
        #expect(output.status == 0)
        let pattern = try Regex(#"hangar 0\.1\.0 \(DuckDB v\d+\.\d+\.\d+\)\n"#)
        #expect(output.stdout.wholeMatch(of: pattern) != nil, "got \(output.stdout.debugDescription)")
    }

    @Test func rootHelpDescribesHangarAndListsSQL() throws {
        let output = try HangarProcess.run(["--help"])
        #expect(output.status == 0)
        // Help wraps lines; compare with the line breaks flattened.
        let text = output.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Hangar: run data-ingest flights on demand and on a schedule, loading into DuckDB."))
        #expect(text.contains("sql Run SQL against a DuckDB database."))
    }
}
