import Foundation
import HangarTestSupport
import HangarAccount
@testable import HangarFlights

/// A fresh Hangar home for one test, removed when the test lets go of it, with a clock the test
/// moves by hand. Tests run in parallel; a home each keeps their stores apart.
///
/// The control store is the home's SQLite file by default. With `HANGAR_TEST_CONTROL=postgres`
/// (`make test` runs this suite both ways) it is a fresh database on the test PostgreSQL server,
/// one per home: every `flights()` of a home shares it, each through a store of its own.
final class TestHome: Sendable {
    let scratch: ScratchDirectory
    let home: HangarHome
    let clock = ManualClock()
    /// The home's PostgreSQL database, when the suite runs on PostgreSQL.
    let database: String?

    init() throws {
        scratch = try ScratchDirectory()
        home = HangarHome(scratch.url.appendingPathComponent("home"))
        database = TestControlStore.isPostgres ? try PostgresTestServer.freshDatabase() : nil
    }

    /// A platform API on its own store (its own connections), as another process would have.
    func flights(owner: String = "tester") throws -> Flights {
        let clock = self.clock
        if let database {
            let store = try PostgresTestServer.store(database: database, home: home)
            return Flights(store: store, owner: owner, clock: { clock.now })
        }
        return try Flights(home: home, owner: owner, clock: { clock.now })
    }
}

extension NewFlight {
    /// A minimal valid flight for tests that are about something else.
    static func sample(_ name: String = "docs_dlt_ingest", config: [String: String] = [:]) -> NewFlight {
        NewFlight(name: name, sourceCode: "print('hello')\n", config: config)
    }
}
