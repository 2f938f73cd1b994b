import Foundation
import InstallLayout

/// The replay server's command line.
struct ReplayOptions {
    static let usage = """
        usage: GitHubReplay [--host 127.0.0.1] [--port 0] [--fixtures DIR] [--generation NAME]
                            [--fail-first N] [--fail-status 502] [--rate-limit N] [--rate-limit-window SECONDS] [--quiet]

        Serves SAMPLE DATA shaped like the GitHub REST API (GET /repos/{owner}/{repo} and
        GET /repos/{owner}/{repo}/issues with state, since, sort, direction, labels, per_page and
        page, Link pagination and x-ratelimit-* headers) from DIR/<generation>/. The first line on
        standard output is `listening on http://HOST:PORT`; each request follows as a line.

          --port 0               a free port (the default)
          --fixtures DIR         folders of sample data, one per generation
                                 (default: Examples/Flights/github_repo_stats/fixtures of this checkout)
          --generation NAME      the generation served first (default: initial)
          --fail-first N         answer the first N API requests with --fail-status (default 502)
          --rate-limit N         requests per rate-limit window (default 5000); then 403 until the reset
          --rate-limit-window S  the window's length in seconds (default 3600)
          --quiet                do not print a line per request

        Control endpoints (not counted against the rate limit):
          POST /_replay/generation/NAME       serve another generation (e.g. changed)
          POST /_replay/fail?count=N&status=S answer the next N API requests with status S (default 502)
          POST /_replay/rate-limit/reset      end the rate-limit window now
          GET  /_replay/requests              the API requests so far, as JSON
          GET  /_replay/status                generation, pending failures, request count
        """

    var host = "127.0.0.1"
    var port = 0
    var fixtures: URL
    var generation = "initial"
    var failFirst = 0
    var failStatus = 502
    var rateLimit = 5000
    var rateLimitWindow: TimeInterval = 3600
    var quiet = false

    /// The sample data of an installed Hangar or of the checkout this server was built in,
    /// found from the executable's path (`--fixtures` to use others).
    static var defaultFixtures: URL {
        let examples = InstallLayout.current()?.examples
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Examples")
        return examples.appendingPathComponent("Flights/github_repo_stats/fixtures", isDirectory: true)
    }

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    init(arguments: [String]) throws {
        fixtures = Self.defaultFixtures
        var rest = arguments[...]
        func value(_ option: String) throws -> String {
            guard let value = rest.popFirst() else { throw UsageError(description: "\(option) needs a value") }
            return value
        }
        func number(_ option: String) throws -> Int {
            let text = try value(option)
            guard let number = Int(text), number >= 0 else { throw UsageError(description: "\(option) takes a whole number, not \(text)") }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--host": host = try value(argument)
            case "--port": port = try number(argument)
            case "--fixtures": fixtures = URL(fileURLWithPath: try value(argument), isDirectory: true)
            case "--generation": generation = try value(argument)
            case "--fail-first": failFirst = try number(argument)
            case "--fail-status": failStatus = try number(argument)
            case "--rate-limit": rateLimit = try number(argument)
            case "--rate-limit-window": rateLimitWindow = TimeInterval(try number(argument))
            case "--quiet": quiet = true
            case "--help", "-h": throw UsageError(description: Self.usage)
            default: throw UsageError(description: "unknown argument \(argument)\n\n\(Self.usage)")
            }
        }
        var isFolder: ObjCBool = false
        let folder = fixtures.appendingPathComponent(generation).path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw UsageError(description: "no generation \(generation) in \(fixtures.path) (no folder \(folder))")
        }
    }
}
