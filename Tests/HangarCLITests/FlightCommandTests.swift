import Foundation
import HangarTestSupport
import Testing

/// `create`, `show`, `list`, `update`, `versions`, `version` and `delete`, run as a user would.
struct FlightCommandTests {
    @Test func createPrintsTheFlightWithItsVersionUnderTheSQLSurfacesNames() throws {
        let home = try FlightsTestHome()
        let requirements = try home.file("requirements.txt", "httpx==0.28.1\n")
        let source = try home.file("main.py", "print('hi')\n")
        let created = try home.hangar("create", "repos", "--source", source, "--requirements", requirements, "--schedule", "0 6 * * *",
                                      "--config", "REPO=duckdb/duckdb", "--config", "URL=https://x?a=b", "--secret", "GitHub",
                                      "--max-runtime", "600", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(JSONOutput.keyOrder(created.stdout) == [
            "flight_id", "flight_name", "schedule_cron", "schedule_status", "status", "current_version", "created_at", "updated_at",
            "owner_name", "runtime", "catch_up", "next_fire_at", "schedule_description", "version", "last_run",
        ])
        let flight = try JSONOutput.object(created.stdout)
        #expect(flight["flight_name"] as? String == "repos")
        #expect(flight["schedule_cron"] as? String == "0 6 * * *")
        #expect(flight["schedule_status"] as? String == "ACTIVE")
        #expect(flight["current_version"] as? Int == 1)
        #expect(flight["runtime"] as? String == "python")
        #expect((flight["next_fire_at"] as? String)?.hasSuffix("T06:00:00.000000Z") == true, "\(flight)")
        let version = try #require(flight["version"] as? [String: Any])
        #expect(version["flight_version"] as? Int == 1)
        #expect(version["config"] as? [String: String] == ["REPO": "duckdb/duckdb", "URL": "https://x?a=b"])
        #expect(version["flight_secret_names"] as? [String] == ["github"])
        #expect(version["max_runtime_sec"] as? Int == 600)
        #expect(version["flight_id"] as? String == flight["flight_id"] as? String)

        let code = try home.hangar("version", "repos", "1", "--json")
        let detail = try JSONOutput.object(code.stdout)
        #expect(detail["source_code"] as? String == "print('hi')\n")
        #expect(detail["requirements_txt"] as? String == "httpx==0.28.1\n")
        #expect(try home.hangar("version", "repos", "1", "--source").stdout == "print('hi')\n")
    }

    @Test func showAndListGiveTheScheduleAndItsNextFire() throws {
        let home = try FlightsTestHome()
        try home.createFlight("nightly", "--schedule", "30 2 * * *")
        try home.createFlight("adhoc")
        let list = try home.hangar("list")
        #expect(list.status == 0, "\(list.stderr)")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("NAME"))
        #expect(lines[0].contains("NEXT FIRE (UTC)"))
        #expect(lines[1].hasPrefix("nightly") && lines[1].contains("30 2 * * *") && lines[1].contains("T02:30:00Z"), "\(lines)")
        #expect(lines[2].hasPrefix("adhoc") && lines[2].contains("on demand"), "\(lines)")

        let show = try home.hangar("show", "nightly")
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("Schedule:     30 2 * * * (UTC), ACTIVE, catch-up latest\n"), "\(show.stdout)")
        #expect(show.stdout.contains(try Regex(#"Next fire: +\d{4}-\d\d-\d\dT02:30:00Z \(in [0-9hms ]+\)\n"#)), "\(show.stdout)")
        #expect(show.stdout.contains("Last run:     none yet\n"))

        let json = try JSONOutput.array(try home.hangar("list", "--json").stdout)
        #expect(json.map { $0["flight_name"] as? String } == ["nightly", "adhoc"])
        #expect(json[1]["next_fire_at"] is NSNull)
        #expect(json[1]["schedule_cron"] is NSNull)
    }

    @Test func flightsAreNamedByNameOrIdEverywhere() throws {
        let home = try FlightsTestHome()
        let id = try #require(try home.createFlight("by_id")["flight_id"] as? String)
        for flight in [id, id.uppercased(), "BY_ID"] {
            let show = try home.hangar("show", flight, "--json")
            #expect(show.status == 0, "\(show.stderr)")
            #expect(try JSONOutput.object(show.stdout)["flight_name"] as? String == "by_id")
        }
        #expect(try home.hangar("versions", id).status == 0)
        #expect(try home.hangar("runs", id, "--json").stdout == "[]\n")
    }

    @Test func updateIsAPatchAndOnlyContentMakesVersions() throws {
        let home = try FlightsTestHome()
        try home.createFlight("patchy", "--schedule", "*/5 * * * *", "--config", "A=1", "--config", "B=2", "--secret", "one")

        let renamed = try home.hangar("update", "patchy", "--name", "patched", "--schedule", "", "--json")
        #expect(renamed.status == 0, "\(renamed.stderr)")
        var flight = try JSONOutput.object(renamed.stdout)
        #expect(flight["flight_name"] as? String == "patched")
        #expect(flight["schedule_cron"] is NSNull)
        #expect(flight["schedule_status"] is NSNull)
        #expect(flight["current_version"] as? Int == 1)
        #expect(try home.hangar("show", "patchy").status == 3)

        let source = try home.file("v2.py", "print('two')\n")
        flight = try JSONOutput.object(try home.hangar("update", "patched", "--source", source, "--json").stdout)
        var version = try #require(flight["version"] as? [String: Any])
        #expect(flight["current_version"] as? Int == 2)
        // What was not passed carries forward.
        #expect(version["config"] as? [String: String] == ["A": "1", "B": "2"])
        #expect(version["flight_secret_names"] as? [String] == ["one"])

        flight = try JSONOutput.object(try home.hangar("update", "patched", "--config", "C=3", "--no-secrets", "--json").stdout)
        version = try #require(flight["version"] as? [String: Any])
        #expect(flight["current_version"] as? Int == 3)
        #expect(version["config"] as? [String: String] == ["C": "3"])
        #expect(version["flight_secret_names"] as? [String] == [])

        flight = try JSONOutput.object(try home.hangar("update", "patched", "--clear-config", "--max-runtime", "30", "--json").stdout)
        version = try #require(flight["version"] as? [String: Any])
        #expect(version["config"] as? [String: String] == [:])
        #expect(version["max_runtime_sec"] as? Int == 30)
        flight = try JSONOutput.object(try home.hangar("update", "patched", "--no-max-runtime", "--json").stdout)
        #expect((flight["version"] as? [String: Any])?["max_runtime_sec"] is NSNull)

        let notANumber = try home.hangar("update", "patched", "--max-runtime", "soon")
        #expect(notANumber.status == 64)
        let same = try home.hangar("update", "patched", "--clear-config")
        #expect(same.status == 0)
        #expect(same.stderr.contains("already had these settings; nothing changed"), "\(same.stderr)")

        let versions = try JSONOutput.array(try home.hangar("versions", "patched", "--json").stdout)
        #expect(versions.map { $0["flight_version"] as? Int } == [5, 4, 3, 2, 1])
        let table = try home.hangar("versions", "patched").stdout.split(separator: "\n")
        #expect(table.count == 6)
        #expect(table[0].hasPrefix("VERSION"))
        #expect(table[1].hasPrefix("      5"))
    }

    @Test func scheduleCanBePausedAndResumedWithoutLosingIt() throws {
        let home = try FlightsTestHome()
        try home.createFlight("paused", "--schedule", "0 * * * *")
        let paused = try JSONOutput.object(try home.hangar("update", "paused", "--schedule-status", "disabled", "--json").stdout)
        #expect(paused["schedule_status"] as? String == "DISABLED")
        #expect(paused["schedule_cron"] as? String == "0 * * * *")
        #expect(paused["next_fire_at"] is NSNull)
        #expect(try home.hangar("list").stdout.contains("0 * * * * (disabled)"))
        let resumed = try JSONOutput.object(try home.hangar("update", "paused", "--schedule-status", "ACTIVE", "--json").stdout)
        #expect(resumed["next_fire_at"] is String)
    }

    @Test func updateRefusesNothingAndContradictions() throws {
        let home = try FlightsTestHome()
        try home.createFlight("u")
        let nothing = try home.hangar("update", "u")
        #expect(nothing.status == 64)
        #expect(nothing.stderr.contains("Nothing to update"))
        let both = try home.hangar("update", "u", "--config", "A=1", "--clear-config")
        #expect(both.status == 64)
        #expect(both.stderr.contains("--config and --clear-config contradict each other"))
    }

    @Test func errorsSayWhatToDoAndExitWithTheirKind() throws {
        let home = try FlightsTestHome()
        try home.createFlight("taken")
        let source = try home.file("ok.py", "print(1)\n")

        let missing = try home.hangar("show", "ghost")
        #expect(missing.status == 3)
        #expect(missing.stderr == "Error: no flight is named \"ghost\"; list flights to see which exist\n")
        #expect(missing.stdout == "")

        let clash = try home.hangar("create", "TAKEN", "--source", source)
        #expect(clash.status == 5)
        #expect(clash.stderr.hasPrefix("Error: a flight named \"taken\" already exists"))

        let cron = try home.hangar("create", "bad_cron", "--source", source, "--schedule", "/15 * * * *")
        #expect(cron.status == 4)
        #expect(cron.stderr.contains("schedule_cron is not a valid 5-field cron expression"), "\(cron.stderr)")

        let reserved = try home.hangar("create", "bad_key", "--source", source, "--config", "MOTHERDUCK_TOKEN=x")
        #expect(reserved.status == 4)
        #expect(reserved.stderr.contains("is reserved"))

        let unreadable = try home.hangar("create", "no_file", "--source", home.scratch.path("absent.py"))
        #expect(unreadable.status == 4)
        #expect(unreadable.stderr.hasSuffix("absent.py: no such file\n"), "\(unreadable.stderr)")

        let shape = try home.hangar("create", "bad_pair", "--source", source, "--config", "NOEQUALS")
        #expect(shape.status == 64)
        #expect(shape.stderr.contains("--config takes KEY=VALUE, not \"NOEQUALS\""))

        let runtime = try home.hangar("create", "bad_runtime", "--source", source, "--runtime", "ruby")
        #expect(runtime.status == 64)

        let version = try home.hangar("version", "taken", "7")
        #expect(version.status == 3)
        #expect(version.stderr == "Error: flight \"taken\" has no version 7; its versions are 1 to 1\n")

        let none = try home.hangar("list", "--json")
        #expect(try JSONOutput.array(none.stdout).count == 1, "failed creates left nothing behind")
    }

    @Test func aSwiftSourceFileMakesASwiftFlightAndStandardInputWorks() throws {
        let home = try FlightsTestHome()
        let swift = try home.file("main.swift", "print(\"hi\")\n")
        let flight = try JSONOutput.object(try home.hangar("create", "swifty", "--source", swift, "--json").stdout)
        #expect(flight["runtime"] as? String == "swift")
        let piped = try home.hangar("create", "piped", "--source", "-", "--json", input: "print('from stdin')\n")
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(try home.hangar("version", "piped", "1", "--source").stdout == "print('from stdin')\n")
        #expect(try JSONOutput.object(piped.stdout)["runtime"] as? String == "python")
    }

    @Test func deleteRemovesTheFlightAndASecondDeleteIsNotFound() throws {
        let home = try FlightsTestHome()
        try home.createFlight("doomed")
        let flights = try home.flights()
        let pending = try flights.triggerRun(.name("doomed"))
        let deleted = try home.hangar("delete", "doomed", "--json")
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let object = try JSONOutput.object(deleted.stdout)
        #expect(object["deleted_count"] as? Int == 1)
        #expect(object["flight_name"] as? String == "doomed")
        #expect(object["cancelled_runs"] as? [Int] == [pending.runNumber])
        #expect(throws: (any Error).self) { try flights.run(id: pending.id) }
        let again = try home.hangar("delete", "doomed")
        #expect(again.status == 3)
        #expect(again.stderr.contains("no flight is named \"doomed\""))
    }

    @Test func helpDocumentsTheExitCodes() throws {
        let help = try HangarProcess.run(["run", "--help"])
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Exit status: 0 ok (run --wait/--follow: the run SUCCEEDED); 1 the run FAILED"), "\(text)")
        #expect(text.contains("6 the run was CANCELLED; 64 usage error"))
        let root = try HangarProcess.run(["--help"]).stdout
        for command in ["create", "update", "delete", "list", "show", "versions", "version", "run", "runs", "run-info", "logs", "cancel", "secret", "serve", "sql", "ingest"] {
            #expect(root.contains("  \(command) "), "\(command) missing from \(root)")
        }
    }
}
