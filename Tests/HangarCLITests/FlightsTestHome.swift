import Foundation
import HangarAccount
import HangarFlights

/// A Hangar home of its own for one test, with the flights commands run against it and the
/// platform API at hand for what the CLI can't do (appending log lines, finishing a run).
final class FlightsTestHome {
    let scratch: ScratchDirectory
    let home: String

    init() throws {
        scratch = try ScratchDirectory()
        home = scratch.path("home")
    }

    /// `hangar ARGUMENTS --home HOME`, run to completion.
    func hangar(_ arguments: String..., input: String? = nil) throws -> HangarOutput {
        try HangarProcess.run(arguments + ["--home", home], input: input)
    }

    /// `hangar ARGUMENTS --home HOME`, started and left running.
    func start(_ arguments: String...) throws -> RunningHangar {
        try RunningHangar(arguments + ["--home", home])
    }

    /// Writes a file into the scratch folder and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        try Data(contents.utf8).write(to: scratch.url.appendingPathComponent(name))
        return scratch.path(name)
    }

    /// A Python flight made through the CLI; fails the test when `create` does.
    @discardableResult
    func createFlight(_ name: String, source: String = "print('hello')\n", _ options: String...) throws -> [String: Any] {
        let path = try file("\(name).py", source)
        let created = try HangarProcess.run(["create", name, "--source", path, "--json", "--home", home] + options)
        guard created.status == 0 else { throw HangarProcess.Failure(description: "create \(name) failed: \(created.stderr)") }
        return try JSONOutput.object(created.stdout)
    }

    /// The platform over the same home, as another process would use it.
    func flights() throws -> Flights {
        try Flights(home: HangarHome(URL(fileURLWithPath: home)))
    }
}

/// Parsing what `--json` printed.
enum JSONOutput {
    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw HangarProcess.Failure(description: "not a JSON object: \(text)")
        }
        return object
    }

    static func array(_ text: String) throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw HangarProcess.Failure(description: "not a JSON array of objects: \(text)")
        }
        return array
    }

    /// JSON lines: one object per line.
    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try object(String($0)) }
    }

    /// The keys of pretty-printed objects in the order printed (JSONSerialization forgets the
    /// order): those indented by `depth` levels of two spaces, 1 for a top-level object's keys.
    static func keyOrder(_ text: String, depth: Int = 1) -> [String] {
        let indent = String(repeating: "  ", count: depth) + "\""
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(indent) else { return nil }
            return String(line.dropFirst(indent.count).prefix { $0 != "\"" })
        }
    }
}
