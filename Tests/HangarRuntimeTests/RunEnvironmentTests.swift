import Foundation
@testable import HangarRuntime
import Testing

@Suite(.timeLimit(.minutes(5)))
struct RunEnvironmentTests {
    static let parent = [
        "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC",
        "https_proxy": "http://proxy.invalid:3128", "NO_PROXY": "localhost", "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt",
        "PIP_FIND_LINKS": "/opt/wheels", "PIP_INDEX_URL": "https://mirror.invalid/simple",
        "AWS_SECRET_ACCESS_KEY": "must-not-leak", "HOME": "/nonexistent-parent-home", "PYTHONDONTWRITEBYTECODE": "1",
        "HANGAR_HOME": "/parent/hangar", "USER": "root",
    ]

    static func environment(parent: [String: String] = parent) -> RunEnvironment {
        RunEnvironment(flightID: "6F1C2A9E-0000-4000-8000-0000000000AA", flightName: "docs_dlt_ingest",
                       runID: "0B7D4C3E-0000-4000-8000-0000000000BB", runNumber: 7, isScheduled: true,
                       config: ["REPOS": "duckdb/duckdb,dlt-hub/dlt", "API_KEY": "from-config", "LOAD__WORKERS": "2"],
                       secrets: [
                           .init(name: "GitHub", parameters: ["API_KEY": "gh-secret-value", "USER": "octo-first"]),
                           .init(name: "backup", parameters: ["USER": "octo-last", "MOTHERDUCK_TOKEN": "secret-named-token"]),
                       ],
                       motherDuckToken: "md-account-token",
                       hangarHome: URL(fileURLWithPath: "/srv/hangar"), defaultHome: URL(fileURLWithPath: "/srv/hangar/runs/r7/home"),
                       parentEnvironment: parent)
    }

    static let expected = [
        "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC",
        "https_proxy": "http://proxy.invalid:3128", "NO_PROXY": "localhost", "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt",
        "PIP_FIND_LINKS": "/opt/wheels", "PIP_INDEX_URL": "https://mirror.invalid/simple",
        "HOME": "/srv/hangar/runs/r7/home", "DLT_DATA_DIR": "/srv/hangar/runs/r7/home/.dlt",
        "REPOS": "duckdb/duckdb,dlt-hub/dlt", "LOAD__WORKERS": "2",
        // a secret wins over config; the last listed secret wins a clash; reserved names only prefixed
        "API_KEY": "gh-secret-value", "github_API_KEY": "gh-secret-value", "github_USER": "octo-first",
        "USER": "octo-last", "backup_USER": "octo-last", "backup_MOTHERDUCK_TOKEN": "secret-named-token",
        "MOTHERDUCK_FLIGHT_ID": "6f1c2a9e-0000-4000-8000-0000000000aa", "MOTHERDUCK_FLIGHT_RUN_ID": "0b7d4c3e-0000-4000-8000-0000000000bb",
        "MOTHERDUCK_FLIGHTS_RUN": "1", "MOTHERDUCK_TOKEN": "md-account-token",
        "HANGAR_FLIGHT_ID": "6f1c2a9e-0000-4000-8000-0000000000aa", "HANGAR_FLIGHT_NAME": "docs_dlt_ingest",
        "HANGAR_RUN_ID": "0b7d4c3e-0000-4000-8000-0000000000bb", "HANGAR_RUN_NUMBER": "7", "HANGAR_IS_SCHEDULED": "true",
        "HANGAR_HOME": "/srv/hangar",
    ]

    @Test func theRunSeesExactlyConfigSecretsPlatformVariablesAndTheAllowList() throws {
        let variables = try Self.environment().variables()
        #expect(variables == Self.expected)

        // The program really gets exactly that: `env` prints its whole environment.
        let collector = LineCollector()
        let run = try RunProcess.start(RunCommand(executable: "/usr/bin/env", environment: variables,
                                                  workingDirectory: FileManager.default.temporaryDirectory), sink: collector.sink)
        #expect(run.waitUntilExit().succeeded)
        #expect(collector.texts.sorted() == Self.expected.map { "\($0.key)=\($0.value)" }.sorted())
    }

    @Test func nothingOfHangarsOwnEnvironmentLeaksBeyondTheAllowList() throws {
        setenv("HANGAR_TEST_LEAK_CANARY", "leaked", 1)
        var environment = Self.environment(parent: ProcessInfo.processInfo.environment)
        environment.config = [:]
        environment.secrets = []
        let collector = LineCollector()
        let run = try RunProcess.start(RunCommand(executable: "/usr/bin/env", environment: try environment.variables(),
                                                  workingDirectory: FileManager.default.temporaryDirectory), sink: collector.sink)
        #expect(run.waitUntilExit().succeeded)
        let names = Set(collector.texts.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        let allowed = RunEnvironment.platformNames.union(["HOME", "DLT_DATA_DIR", "PIP_CONFIG_FILE"])
        #expect(names.allSatisfy { RunEnvironment.isInherited($0) || allowed.contains($0) })
        #expect(!names.contains("HANGAR_TEST_LEAK_CANARY"))
        #expect(collector.texts.contains("HANGAR_HOME=/srv/hangar"))
    }

    @Test func withoutAnAccountTokenThereIsNoMotherDuckToken() throws {
        var environment = Self.environment()
        environment.motherDuckToken = nil
        environment.isScheduled = false
        let variables = try environment.variables()
        #expect(variables["MOTHERDUCK_TOKEN"] == nil)
        #expect(variables["HANGAR_IS_SCHEDULED"] == "false")
        #expect(!environment.secretValues.contains("md-account-token"))
    }

    @Test func aConfiguredHomeWinsOverTheDefault() throws {
        var environment = Self.environment()
        environment.config["HOME"] = "/tmp/flight-home"
        #expect(try environment.variables()["HOME"] == "/tmp/flight-home")
    }

    @Test func theUsersPipConfigurationFollowsIntoTheRun() throws {
        let home = try TestFolders.make("pip-home")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".config/pip"), withIntermediateDirectories: true)
        try "[global]\nfind-links = /opt/wheels\n".write(to: home.appendingPathComponent(".config/pip/pip.conf"), atomically: true, encoding: .utf8)
        var parent = Self.parent
        parent["HOME"] = home.path
        let variables = try Self.environment(parent: parent).variables()
        #expect(variables["PIP_CONFIG_FILE"] == home.appendingPathComponent(".config/pip/pip.conf").path)
    }

    @Test func secretValuesAndTheTokenAreWhatTheMaskerHides() throws {
        let environment = Self.environment()
        #expect(Set(environment.secretValues) == ["gh-secret-value", "octo-first", "octo-last", "secret-named-token", "md-account-token"])
        #expect(environment.masker.mask("token md-account-token user octo-last") == "token *** user ***")
    }

    @Test func namesAndValuesNoEnvironmentCanHoldAreRejected() throws {
        var environment = Self.environment()
        environment.config = ["BAD=KEY": "x"]
        let error = #expect(throws: RuntimeError.self) { try environment.variables() }
        #expect(error?.kind == .invalidEnvironment)
        environment.config = ["GOOD": "nul\0byte"]
        #expect(throws: RuntimeError.self) { try environment.variables() }
    }
}
