import Foundation
import HangarTestSupport
import HangarAccount
@testable import HangarFlights

/// A fresh Hangar home for one test, removed when the test lets go of it, with a clock the test
/// moves by hand. Tests run in parallel; a home each keeps their stores apart.
final class TestHome: Sendable {
    let scratch: ScratchDirectory
    let home: HangarHome
    let clock = ManualClock()

    init() throws {
        scratch = try ScratchDirectory()
        home = HangarHome(scratch.url.appendingPathComponent("home"))
    }

    /// A platform API on its own store (its own SQLite connections), as another process would have.
    func flights(owner: String = "tester") throws -> Flights {
        let clock = self.clock
        return try Flights(home: home, owner: owner, clock: { clock.now })
    }
}

extension NewFlight {
    /// A minimal valid flight for tests that are about something else.
    static func sample(_ name: String = "docs_dlt_ingest", config: [String: String] = [:]) -> NewFlight {
        NewFlight(name: name, sourceCode: "print('hello')\n", config: config)
    }
}
