import Foundation
import HangarTestSupport
import Testing

/// `hangar sql` on a database file holds its lease only while a statement runs.
struct SQLLeaseTests {
    @Test(.timeLimit(.minutes(5)))
    func aStatementWaitsForALoadingFlightThenSucceeds() throws {
        let scratch = try ScratchDirectory()
        let database = scratch.path("docs.duckdb")
        #expect(try HangarProcess.run(["sql", database, "-c", "CREATE TABLE t AS SELECT 1 AS x"]).status == 0)
        let holder = try LeaseHolderProcess(database, purpose: "flight loader run 5")
        let sql = Process()
        sql.executableURL = try HangarProcess.executable()
        sql.arguments = ["sql", database, "--csv", "-c", "SELECT count(*) AS n FROM t"]
        let out = Pipe(), err = Pipe()
        sql.standardOutput = out
        sql.standardError = err
        try sql.run()
        // Released only once the statement says it is waiting: no timers involved.
        let waiting = String(decoding: err.fileHandleForReading.availableData, as: UTF8.self)
        holder.release()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sql.waitUntilExit()
        #expect(waiting.hasPrefix("waiting for docs.duckdb: held by flight loader run 5 (pid \(holder.process.processIdentifier))"), "\(waiting)")
        #expect(sql.terminationStatus == 0)
        #expect(printed.replacingOccurrences(of: "\r\n", with: "\n") == "n\n1\n")
    }

    @Test func sessionStateAndTransactionsSpanStatementsAndTheFileIsFreeAfterwards() throws {
        let scratch = try ScratchDirectory()
        let database = scratch.path("docs.duckdb")
        let result = try HangarProcess.run(["sql", database, "--csv",
                                            "-c", "SET VARIABLE n = 41", "-c", "CREATE TEMP TABLE scratch AS SELECT getvariable('n') + 1 AS v",
                                            "-c", "BEGIN", "-c", "CREATE TABLE kept AS SELECT v FROM scratch", "-c", "COMMIT",
                                            "-c", "SELECT v FROM kept"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "v\n42\n")
        // Nothing holds the lease any more: a second process gets it at once.
        let again = try HangarProcess.run(["sql", database, "--lease-timeout", "0.1", "--csv", "-c", "SELECT v FROM kept"])
        #expect(again.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "v\n42\n")
    }
}
