import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HangarTestSupport
import Testing

/// `make install` and `make dist` trees work from anywhere: installed into one prefix, copied to
/// a second and the first removed (so no path of the install is still in use), and unpacked from
/// the archive elsewhere, each runs the demo, a Swift and a Python flight, and serves the
/// dashboard, finding everything from its own executable. The tests install the debug build they
/// run from (`make install` builds release; the layout and lookups are the same).
@Suite(.serialized) struct InstallTests {
    static let root = Checkout.root

    /// Runs one of the project's scripts with the build the tests run from.
    private static func script(_ name: String, _ environment: [String: String]) async throws -> ProgramOutput {
        let binPath = try HangarProcess.executable().deletingLastPathComponent().path
        let script = root.appendingPathComponent("scripts/\(name)").path
        let merged = environment.merging(["HANGAR_BIN_PATH": binPath, "CONFIGURATION": "debug", "DIST_GZIP_LEVEL": "1"]) { $1 }
        return try await program(URL(fileURLWithPath: "/bin/bash"), [script], environment: merged)
    }

    /// Runs a program to its end on a thread of its own: these take tens of seconds, which would
    /// otherwise hold one of the few threads the other tests' tasks run on.
    private static func program(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) async throws -> ProgramOutput {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try Program.run(executable, arguments, environment: environment) })
            }.start()
        }
    }

    @Test func anInstallCopiedElsewhereRunsTheDemoFlightsAndTheServerWithoutTheBuild() async throws {
        let scratch = try ScratchDirectory()
        let first = scratch.url.appendingPathComponent("first"), second = scratch.url.appendingPathComponent("second")
        let installed = try await Self.script("install", ["PREFIX": first.path])
        try #require(installed.status == 0, "\(installed.stderr)")
        for part in ["bin/hangar", "lib/hangar/libduckdb.so", "lib/hangar/libFlightKit.so", "lib/hangar/Modules/FlightKit.swiftmodule",
                     "lib/hangar/CDuckDB/module.modulemap", "lib/hangar/GitHubReplay", "share/hangar/python-sdk/sitecustomize.py",
                     "share/hangar/dashboard/index.html", "share/hangar/Examples/Flights/docs_dlt_ingest/main.py",
                     "share/bash-completion/completions/hangar", "share/zsh/site-functions/_hangar", "share/fish/vendor_completions.d/hangar.fish"] {
            #expect(FileManager.default.fileExists(atPath: first.appendingPathComponent(part).path), "\(part) is not installed")
        }
        let copy = try await Self.program(URL(fileURLWithPath: "/bin/cp"), ["-a", first.path, second.path])
        try #require(copy.status == 0, "\(copy.stderr)")
        try FileManager.default.removeItem(at: first)
        try await Self.expectWorking(prefix: second, scratch: scratch)
    }

    @Test func theDistArchiveUnpackedElsewhereRuns() async throws {
        let scratch = try ScratchDirectory()
        let made = try await Self.script("dist", ["DIST_DIR": scratch.path("dist")])
        try #require(made.status == 0, "\(made.stderr)")
        let archive = URL(fileURLWithPath: made.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(archive.lastPathComponent.wholeMatch(of: /hangar-\d+\.\d+\.\d+-linux-(x86_64|aarch64)\.tar\.gz/) != nil, "\(archive.path)")
        let elsewhere = scratch.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let unpacked = try await Self.program(URL(fileURLWithPath: "/bin/tar"), ["-xzf", archive.path, "-C", elsewhere.path])
        try #require(unpacked.status == 0, "\(unpacked.stderr)")
        try FileManager.default.removeItem(at: archive)
        try await Self.expectWorking(prefix: elsewhere.appendingPathComponent(archive.lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")),
                                     scratch: scratch)
    }

    /// The checks an installed tree must pass: it says where it is, and the demo, a Swift flight,
    /// a Python flight and the server all work from it.
    private static func expectWorking(prefix: URL, scratch: ScratchDirectory) async throws {
        let hangar = prefix.appendingPathComponent("bin/hangar")
        let home = scratch.path("home-\(prefix.lastPathComponent)")
        func run(_ arguments: String...) async throws -> ProgramOutput {
            try await program(hangar, arguments + ["--home", home])
        }

        let report = try await program(hangar, ["--version", "--verbose", "--json"])
        let parts = try (JSONOutput.object(report.stdout)["parts"] as? [[String: Any]] ?? [])
            .reduce(into: [String: [String: Any]]()) { $0[$1["name"] as? String ?? ""] = $1 }
        #expect(parts["layout"]?["value"] as? String == "installed under \(prefix.path)", "\(report.stdout)")
        for name in ["examples", "python sdk", "dashboard", "flightkit sdk", "duckdb library"] {
            let value = parts[name]?["value"] as? String ?? ""
            #expect(value.hasPrefix(prefix.path) && parts[name]?["available"] as? Bool == true, "\(name): \(value)")
            #expect(!value.hasPrefix(root.path), "\(name) resolved into the checkout: \(value)")
        }

        let demo = try await run("demo")
        #expect(demo.status == 0, "\(demo.stdout)\n\(demo.stderr)")
        #expect(demo.stdout.contains("flights_github_repo_stats"), "\(demo.stdout)")

        let swiftSource = scratch.url.appendingPathComponent("installed_flight.swift")
        try Data("import FlightKit\nprint(\"swift from \\(FlightContext.current.flightName ?? \"?\")\")\n".utf8).write(to: swiftSource)
        #expect(try await run("create", "installed_swift", "--source", swiftSource.path).status == 0)
        let swiftRun = try await run("run", "installed_swift", "--wait")
        let swiftLog = try await run("logs", "installed_swift", "1").stdout
        #expect(swiftRun.status == 0, "\(swiftRun.stdout)\(swiftRun.stderr)\(swiftLog)")
        #expect(swiftLog.contains("swift from installed_swift"), "\(swiftLog)")

        let pythonSource = scratch.url.appendingPathComponent("installed_flight.py")
        try Data("import hangar\nprint('python from', hangar.__name__)\n".utf8).write(to: pythonSource)
        #expect(try await run("create", "installed_python", "--source", pythonSource.path).status == 0)
        let pythonRun = try await run("run", "installed_python", "--wait")
        #expect(pythonRun.status == 0, "\(pythonRun.stdout)\(pythonRun.stderr)")
        #expect(try await run("logs", "installed_python", "1").stdout.contains("python from hangar"))

        let server = try await ServeProcess.start(home: home, executable: hangar)
        defer { kill(server.process.processIdentifier, SIGKILL) }
        let address = try #require(server.firstLine.firstMatch(of: /listening on (http:\/\/127\.0\.0\.1:\d+)/)?.1)
        let (health, healthResponse) = try await URLSession.shared.data(from: URL(string: "\(address)/healthz")!)
        #expect((healthResponse as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: health, as: UTF8.self))")
        let (page, _) = try await URLSession.shared.data(from: URL(string: "\(address)/")!)
        #expect(String(decoding: page, as: UTF8.self).contains("<html"), "the dashboard is not served")
    }
}
