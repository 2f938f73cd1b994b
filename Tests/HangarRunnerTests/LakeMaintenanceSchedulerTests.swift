import DuckDB
import Foundation
import HangarAccount
import HangarRunner
import HangarTestSupport
import Testing

/// The lake maintenance schedule of `hangar serve`: a fire runs once per minute it is due, and
/// once across hosts (two homes whose descriptors name the same lake stand for two machines).
struct LakeMaintenanceSchedulerTests {
    @Test(.timeLimit(.minutes(3)))
    func aFireRunsOnceAcrossHosts() throws {
        let scratch = try ScratchDirectory()
        let catalog = try PostgresTestServer.controlURL(database: try PostgresTestServer.freshDatabase())
        let first = HangarHome(URL(fileURLWithPath: scratch.path("host-a")))
        let second = HangarHome(URL(fileURLWithPath: scratch.path("host-b")))
        for home in [first, second] {
            try DuckLakeCreation(home: home, environment: [:]).create(name: "events", dataPath: scratch.path("shared-lake"), catalog: catalog,
                                                                      maintenance: LakeMaintenanceSettings(schedule: "*/5 * * * *"))
        }
        let location = try DuckLakeCreation(home: first).descriptor(name: "events").location
        let lake = try DuckLake.connect(location, alias: "events")
        try lake.execute("CREATE TABLE t AS SELECT 1 AS n")

        let hostA = LakeMaintenanceScheduler(home: first, waitForLoads: 5)
        let hostB = LakeMaintenanceScheduler(home: second, waitForLoads: 5)
        let fired = hostA.pass(at: utc("2026-01-01T12:05:10Z"))
        #expect(fired.map(\.outcome) == [.succeeded])
        #expect(fired.first?.scheduledAt == utc("2026-01-01T12:05:00Z"))
        #expect(fired.first?.steps.map(\.name) == ["flush_inlined_data", "expire_snapshots", "merge_adjacent_files", "rewrite_data_files",
                                                   "cleanup_old_files", "delete_orphaned_files"])
        #expect(hostA.pass(at: utc("2026-01-01T12:05:40Z")).isEmpty, "a fire is handled once per host")
        #expect(hostB.pass(at: utc("2026-01-01T12:05:20Z")).map(\.outcome) == [.alreadyRun], "and once across hosts")
        #expect(hostA.pass(at: utc("2026-01-01T12:07:00Z")).isEmpty, "not due")
        #expect(hostB.pass(at: utc("2026-01-01T12:10:00Z")).map(\.outcome) == [.succeeded])

        let history = try LakeMaintenanceHistory(location: location).recent()
        #expect(history.map(\.outcome) == [.succeeded, .succeeded])
        #expect(history.map(\.scheduledAt) == [utc("2026-01-01T12:10:00Z"), utc("2026-01-01T12:05:00Z")])

        // A schedule that is not one, or an interval DuckDB cannot read, is refused and changes nothing.
        for bad in [LakeMaintenanceSettings(schedule: "61 * * * *"), LakeMaintenanceSettings(schedule: "0 3 * * *", expireOlderThan: "soon")] {
            let error = #expect(throws: DuckLakeError.self) { try DuckLakeCreation(home: first).setMaintenance(name: "events", bad) }
            #expect(error?.kind == .invalid, "\(String(describing: error))")
        }
        #expect(try DuckLakeCreation(home: first).descriptor(name: "events").maintenance?.schedule == "*/5 * * * *")

        // A lake without a schedule is left alone.
        try DuckLakeCreation(home: first).setMaintenance(name: "events", nil)
        #expect(hostA.pass(at: utc("2026-01-01T12:15:00Z")).isEmpty)
    }
}
