import Foundation
import HangarAccount
import HangarFlights
import HangarTestSupport

/// What the CLI tests do with a home beyond running `hangar`: flights made through the CLI, and
/// the platform API at hand for what the CLI can't do (appending log lines, finishing a run).
extension FlightsTestHome {
    /// A Python flight made through the CLI; fails the test when `create` does.
    @discardableResult
    func createFlight(_ name: String, source: String = "print('hello')\n", _ options: String...) throws -> [String: Any] {
        let path = try file("\(name).py", source)
        let created = try HangarProcess.run(["create", name, "--source", path, "--json", "--home", home] + options)
        guard created.status == 0 else { throw TestFailure("create \(name) failed: \(created.stderr)") }
        return try JSONOutput.object(created.stdout)
    }

    /// A flight, recorded through the platform, whose hourly schedule took effect ten minutes ago
    /// and fired three minutes ago (at a whole minute): that fire was missed, as no scheduler ran
    /// since, and the next is an hour away, so however slow the test, exactly one fire is due.
    /// Returns it.
    @discardableResult
    func createFlightWithAMissedFire(_ name: String, source: String, config: [String: String] = [:]) throws -> Date {
        let now = Date()
        let fire = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 - 180) / 60).rounded(.down) * 60)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let tenMinutesAgo = now.addingTimeInterval(-600)
        _ = try flights(clock: { tenMinutesAgo }).create(
            NewFlight(name: name, sourceCode: source, scheduleCron: "\(utc.component(.minute, from: fire)) * * * *", config: config))
        return fire
    }

    /// The platform over the same home, as another process would use it; `clock` is the time it
    /// records things at.
    func flights(clock: @escaping @Sendable () -> Date = { Date() }) throws -> Flights {
        try Flights(home: HangarHome(URL(fileURLWithPath: home)), clock: clock)
    }
}

/// Parsing what `--json` printed.
enum JSONOutput {
    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(text)")
        }
        return object
    }

    static func array(_ text: String) throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw TestFailure("not a JSON array of objects: \(text)")
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
