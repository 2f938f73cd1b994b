import Foundation
import HangarAccount
@testable import HangarFlights

/// A fresh Hangar home for one test, removed when the test lets go of it, with a clock the test
/// moves by hand. Tests run in parallel; a home each keeps their stores apart.
final class TestHome: @unchecked Sendable {
    let home: HangarHome
    let clock = TestClock()

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-flights-\(UUID().uuidString)")
        home = HangarHome(url)
    }

    deinit {
        try? FileManager.default.removeItem(at: home.root)
    }

    /// A platform API on its own store (its own SQLite connections), as another process would have.
    func flights(owner: String = "tester") throws -> Flights {
        let clock = self.clock
        return try Flights(home: home, owner: owner, clock: { clock.now })
    }
}

/// A clock that stands still until the test moves it.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28 20:26:40 UTC

    var now: Date { lock.withLock { current } }

    func set(_ date: Date) { lock.withLock { current = date } }

    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

extension NewFlight {
    /// A minimal valid flight for tests that are about something else.
    static func sample(_ name: String = "docs_dlt_ingest", config: [String: String] = [:]) -> NewFlight {
        NewFlight(name: name, sourceCode: "print('hello')\n", config: config)
    }
}

/// The date of an ISO-8601 UTC text, for readable expectations.
func utc(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text)!
}
