import Foundation
@testable import HangarRuntime
import HangarTestSupport
import Testing

/// One Hangar home per test process shared by these tests, so the `six` environment is built
/// once and reused (which is the feature under test); uv is installed once per machine into a
/// tools folder the tests share, unless one is on PATH.
enum SharedPython {
    static let interpreter: PythonInterpreter? = try? PythonInterpreter.find()
    static let home = TestFolders.root.appendingPathComponent("shared-home")
    static let tools = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-runtime-tests-tools")

    static func environments(home: URL = home, installer: PythonEnvironments.InstallerChoice = .automatic) throws -> PythonEnvironments {
        PythonEnvironments(home: home, python: try #require(interpreter), installer: installer, toolsDirectory: tools)
    }
}

@Suite(.timeLimit(.minutes(5)), .fullRunOnly)
struct PythonEnvironmentsTests {
    @Test func anEnvironmentIsCreatedOnceAndReused() throws {
        let environments = try SharedPython.environments()
        let log = LineCollector()
        let first = try environments.environment(for: "six\n", log: log.sink)
        let marker = first.directory.appendingPathComponent(PythonEnvironmentMarker.fileName)
        let builtAt = try FileManager.default.attributesOfItem(atPath: marker.path)[.modificationDate] as? Date

        let again = LineCollector()
        let second = try environments.environment(for: "# same requirements, other comment\nsix   \n", log: again.sink)
        #expect(!second.wasCreated)
        #expect(second.directory == first.directory)
        #expect(second.key == first.key)
        #expect(try FileManager.default.attributesOfItem(atPath: marker.path)[.modificationDate] as? Date == builtAt)
        #expect(!again.texts.contains { $0.contains("creating the Python environment") })
        #expect(first.directory.path.hasPrefix(SharedPython.home.appendingPathComponent("environments/python").path))
        #expect(first.directory.lastPathComponent == String(first.key.prefix(PythonEnvironments.keyPrefixLength)))
    }

    @Test func aScriptImportsTheInstalledPackageInItsOwnRunFolder() throws {
        let environment = try SharedPython.environments().environment(for: "six")
        let runs = try TestFolders.make("runs")
        let directory = try RunDirectory.create(in: runs, named: "run-1")
        try PythonScript.write("""
            import os, sys, six
            print("six", six.__version__)
            print("prefix", sys.prefix)
            print("home", os.environ["HOME"])
            print("cwd", os.getcwd())
            print("to stderr", file=sys.stderr)
            """, into: directory)
        let variables = try RunEnvironment(flightID: UUID().uuidString, flightName: "six_flight", runID: UUID().uuidString, runNumber: 1,
                                           isScheduled: false, hangarHome: SharedPython.home, defaultHome: directory.home).variables()
        let collector = LineCollector()
        let run = try RunProcess.start(PythonScript.command(in: directory, environment: environment, variables: variables), sink: collector.sink)
        let outcome = run.waitUntilExit()
        #expect(outcome.succeeded, "\(collector.texts)")
        let texts = collector.texts
        #expect(texts.contains { $0.hasPrefix("six 1.") })
        #expect(texts.contains("prefix \(environment.directory.path)"))
        #expect(texts.contains("home \(directory.home.path)"))
        #expect(texts.contains("cwd \(directory.work.resolvingSymlinksInPath().path)") || texts.contains("cwd \(directory.work.path)"))
        #expect(collector.lines.last?.stream == .stderr)
    }

    @Test func concurrentCreatorsShareOneBuild() throws {
        let home = try TestFolders.make("concurrent-home")
        let environments = try SharedPython.environments(home: home)
        let logs = [LineCollector(), LineCollector(), LineCollector()]
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: logs.count) { index in
            results.set(index, Result { try environments.environment(for: "six==1.17.0", log: logs[index].sink) })
        }
        let built = try results.all.map { try $0.get() }
        #expect(built.filter(\.wasCreated).count == 1)
        #expect(Set(built.map(\.directory)).count == 1)
        let creations = logs.flatMap(\.texts).filter { $0.hasPrefix("creating the Python environment") }
        #expect(creations.count == 1)
        // Only the published link, its build folder and the lock remain.
        let entries = try FileManager.default.contentsOfDirectory(atPath: environments.root.path).sorted()
        #expect(entries.count == 3, "\(entries)")
    }

    @Test func anInstallFailureCarriesUvsMessageAndLeavesNothingBehind() throws {
        let home = try TestFolders.make("failing-home")
        let environments = try SharedPython.environments(home: home)
        let log = LineCollector()
        let error = #expect(throws: RuntimeError.self) {
            try environments.environment(for: "hangar-no-such-package-xyz==1.0", log: log.sink)
        }
        #expect(error?.kind == .installFailed)
        #expect(error?.toolOutput.joined(separator: "\n").contains("hangar-no-such-package-xyz") == true, "\(String(describing: error))")
        #expect(log.lines.contains { $0.stream == .stderr && $0.text.contains("hangar-no-such-package-xyz") })
        let entries = try FileManager.default.contentsOfDirectory(atPath: environments.root.path)
        #expect(entries.allSatisfy { $0.hasSuffix(".lock") }, "\(entries)")
    }

    @Test func pipIsTheFallbackAndItsFailureMessageReachesTheError() throws {
        let home = try TestFolders.make("pip-home")
        let environments = try SharedPython.environments(home: home, installer: .pip)
        let error = #expect(throws: RuntimeError.self) {
            try environments.environment(for: "hangar-no-such-package-xyz==1.0")
        }
        #expect(error?.kind == .installFailed)
        #expect(error?.toolOutput.contains { $0.contains("No matching distribution found for hangar-no-such-package-xyz==1.0") } == true,
                "\(String(describing: error))")

        let six = try environments.environment(for: "six")
        #expect(six.installer == .pip && six.wasCreated)
        let check = try ToolRunner.run(RunCommand(executable: six.interpreter.path, arguments: ["-c", "import six"],
                                                  environment: [:], workingDirectory: home))
        #expect(check.outcome.succeeded)
    }

    @Test func aHalfMadeEnvironmentLeftByACrashIsNeverUsedAndIsReplaced() throws {
        let home = try TestFolders.make("crash-home")
        let environments = try SharedPython.environments(home: home)
        let key = PythonRequirements("").key(pythonVersion: try #require(SharedPython.interpreter).version)
        let name = String(key.prefix(PythonEnvironments.keyPrefixLength))
        // A build that died before its marker was written, already linked into place.
        let halfMade = environments.root.appendingPathComponent(".\(name).dead0000")
        try FileManager.default.createDirectory(at: halfMade.appendingPathComponent("bin"), withIntermediateDirectories: true)
        #expect(symlink(halfMade.lastPathComponent, environments.root.appendingPathComponent(name).path) == 0)

        let environment = try environments.environment(for: "")
        #expect(environment.wasCreated)
        #expect(!FileManager.default.fileExists(atPath: halfMade.path))
        #expect(FileManager.default.isExecutableFile(atPath: environment.interpreter.path))
    }

    @Test func aFlightPastedWithoutItsImportsFailsWithAHint() throws {
        let python = try #require(SharedPython.interpreter)
        let runs = try TestFolders.make("hint-runs")
        let directory = try RunDirectory.create(in: runs, named: "run-1")
        try PythonScript.write("""
            def main():
                os.environ.setdefault("HOME", "/tmp")

            if __name__ == "__main__":
                main()
            """, into: directory)
        let collector = LineCollector()
        let run = try RunProcess.start(RunCommand(executable: python.path, arguments: [PythonScript.fileName],
                                                  environment: ["PATH": "/usr/bin:/bin"], workingDirectory: directory.work),
                                       sink: collector.sink)
        #expect(run.waitUntilExit().exitCode == 1)
        let stderr = collector.lines.filter { $0.stream == .stderr }.map(\.text)
        #expect(PythonHints.missingImport(in: stderr) == "hint: add \"import os\" at the top of the script (the guide's code lost its import lines)")
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<PythonEnvironment, any Error>] = [:]

    func set(_ index: Int, _ result: Result<PythonEnvironment, any Error>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    var all: [Result<PythonEnvironment, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return results.keys.sorted().map { results[$0]! }
    }
}
