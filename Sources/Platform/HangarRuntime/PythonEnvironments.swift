import Foundation
import Leases

/// Virtual environments shared by every flight version with the same requirements and Python
/// version, under `<home>/environments/python/<first 16 hex digits of the key>`.
///
/// An environment is made once: the first run that needs it takes an exclusive lock
/// (`<key prefix>.lock`, a `flock`), and others needing the same one wait on that lock, then
/// reuse what it built. It is built in a hidden folder `.<key prefix>.<build id>`, its marker
/// file written last, and published by renaming a symlink `<key prefix>` → that folder into
/// place: a crash leaves at most an unpublished folder, which the next builder removes. The
/// folder itself never moves, because a virtual environment records its own absolute path
/// (scripts' `#!` lines, `activate`) and would break if it were renamed.
///
/// uv (`uv venv --seed` + `uv pip install --compile-bytecode`) builds them unless told
/// otherwise; `python -m venv` + pip is the fallback when uv cannot be had. Bytecode is compiled
/// at install so runs never write into a shared environment (and start faster).
public struct PythonEnvironments: Sendable {
    public enum InstallerChoice: Sendable, Equatable {
        /// uv when it is available or can be installed, else pip.
        case automatic
        case uv
        case pip
    }

    public let home: URL
    public let python: PythonInterpreter
    public let installerChoice: InstallerChoice
    /// Where Hangar keeps uv; default `<home>/tools`.
    public let toolsDirectory: URL
    /// Hangar's own environment: installs get its allow-listed variables (`RunEnvironment
    /// .isInherited`) and its HOME, so the operator's pip and uv configuration applies.
    public let parentEnvironment: [String: String]
    /// Seconds one installer step may take.
    public let installTimeout: TimeInterval

    public static let keyPrefixLength = 16

    public init(home: URL, python: PythonInterpreter, installer: InstallerChoice = .automatic, toolsDirectory: URL? = nil,
                parentEnvironment: [String: String] = ProcessInfo.processInfo.environment, installTimeout: TimeInterval = 1800) {
        self.home = home
        self.python = python
        self.installerChoice = installer
        self.toolsDirectory = toolsDirectory ?? home.appendingPathComponent("tools", isDirectory: true)
        self.parentEnvironment = parentEnvironment
        self.installTimeout = installTimeout
    }

    public var root: URL { home.appendingPathComponent("environments/python", isDirectory: true) }

    /// The environment for `requirements`, made now if it does not exist yet. Installer output
    /// and Hangar's own progress lines go to `log`. Throws `.installFailed` with pip's or uv's
    /// error lines when the requirements cannot be installed.
    public func environment(for requirements: String, log: @escaping LogSink = { _ in }) throws -> PythonEnvironment {
        let requirements = PythonRequirements(requirements)
        let key = requirements.key(pythonVersion: python.version)
        let name = String(key.prefix(Self.keyPrefixLength))
        let published = root.appendingPathComponent(name, isDirectory: true)
        if let ready = readyEnvironment(at: published, key: key) {
            Self.say("using the Python environment \(name) (Python \(ready.pythonVersion), made with \(ready.installer.rawValue))", to: log)
            return ready
        }
        let lock: FileLease
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            lock = try FileLock.acquire(root.appendingPathComponent("\(name).lock")) {
                Self.say("waiting for another run that is creating the same Python environment (\(name))", to: log)
            }
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw RuntimeError(.storage, "cannot create \(root.path): \(error.localizedDescription); check the permissions of the Hangar home")
        }
        defer { lock.release() }
        if let ready = readyEnvironment(at: published, key: key) {
            Self.say("using the Python environment \(name) another run has just created", to: log)
            return ready
        }
        removeUnpublishedBuilds(named: name, published: published)
        return try build(requirements, key: key, name: name, published: published, log: log)
    }

    // MARK: - Building

    private func build(_ requirements: PythonRequirements, key: String, name: String, published: URL,
                       log: @escaping LogSink) throws -> PythonEnvironment {
        let started = ContinuousClock.now
        let buildFolder = root.appendingPathComponent(".\(name).\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        let environment = installerEnvironment()
        var installer = PythonInstaller.pip
        var uv: String?
        if installerChoice != .pip {
            uv = UvTool.locate(tools: toolsDirectory, python: python, environment: environment, log: log)
            if uv == nil && installerChoice == .uv {
                throw RuntimeError(.installFailed, "uv is not available and could not be installed; install it (pip install uv) or let Hangar use pip")
            }
        }
        do {
            let requirementsFile = root.appendingPathComponent(".\(name).requirements.txt")
            try requirements.text.write(to: requirementsFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: requirementsFile) }
            let summary = requirements.isEmpty ? "no requirements" : requirements.normalized.joined(separator: ", ")
            if let uv {
                installer = .uv
                Self.say("creating the Python environment \(name) (Python \(python.version); \(summary)) with uv", to: log)
                do {
                    try step("uv venv", RunCommand(executable: uv, arguments: ["venv", "--seed", "--python", python.path, buildFolder.path],
                                                   environment: uvEnvironment(environment), workingDirectory: root),
                             advice: "check that uv can use \(python.path)", log: log)
                } catch let error as RuntimeError where installerChoice == .automatic {
                    Self.say("uv could not create the environment (\(error.message)); using pip instead", to: log)
                    try? FileManager.default.removeItem(at: buildFolder)
                    installer = .pip
                }
            }
            if let uv, installer == .uv {
                if !requirements.isEmpty {
                    try step("uv pip install", RunCommand(executable: uv, arguments: ["pip", "install", "--compile-bytecode",
                                                                                       "--python", buildFolder.appendingPathComponent("bin/python").path,
                                                                                       "-r", requirementsFile.path],
                                                          environment: uvEnvironment(environment), workingDirectory: root),
                             advice: Self.requirementsAdvice, log: log)
                }
            } else {
                Self.say("creating the Python environment \(name) (Python \(python.version); \(summary)) with pip", to: log)
                try step("python -m venv", RunCommand(executable: python.path, arguments: ["-m", "venv", buildFolder.path],
                                                      environment: environment, workingDirectory: root),
                         advice: "check that Python's venv module works (on Debian: apt-get install python3-venv)", log: log)
                if !requirements.isEmpty {
                    try step("pip install", RunCommand(executable: buildFolder.appendingPathComponent("bin/python").path,
                                                       arguments: ["-m", "pip", "install", "-r", requirementsFile.path],
                                                       environment: environment, workingDirectory: root),
                             advice: Self.requirementsAdvice, log: log)
                }
            }
            let elapsed = (ContinuousClock.now - started).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            let marker = PythonEnvironmentMarker(key: key, pythonVersion: python.version, pythonPath: python.path, installer: installer,
                                                 requirements: requirements.normalized, createdAt: Date(), buildSeconds: seconds)
            try marker.write(into: buildFolder)
            try publish(buildFolder, as: published)
            Self.say("Python environment \(name) ready in \(String(format: "%.1f", seconds)) s", to: log)
            return PythonEnvironment(directory: published, key: key, pythonVersion: python.version, installer: installer,
                                     wasCreated: true, createdAt: marker.createdAt)
        } catch {
            try? FileManager.default.removeItem(at: buildFolder)
            if let error = error as? RuntimeError { throw error }
            throw RuntimeError(.storage, "cannot create the Python environment in \(root.path): \(error.localizedDescription)")
        }
    }

    /// Runs one installer step, turning a failure into `.installFailed` with the tool's lines.
    private func step(_ label: String, _ command: RunCommand, advice: String, log: @escaping LogSink) throws {
        let result = try ToolRunner.run(command, timeout: installTimeout, log: log)
        guard result.outcome.succeeded else {
            throw RuntimeError(.installFailed, "\(label) failed (\(result.outcome)); \(advice)", toolOutput: result.errorLines())
        }
    }

    private static let requirementsAdvice = "check requirements_txt: every package and version must exist on the package index and suit Python's version"

    /// Renames a symlink to the build folder into place: readers see no environment or a
    /// finished one, never a half-made one.
    private func publish(_ buildFolder: URL, as published: URL) throws {
        let temporaryLink = root.appendingPathComponent(".\(published.lastPathComponent).link-\(UUID().uuidString.prefix(8))")
        guard symlink(buildFolder.lastPathComponent, temporaryLink.path) == 0 else {
            throw RuntimeError(.storage, "cannot create a link in \(root.path): \(systemErrorText())")
        }
        guard rename(temporaryLink.path, published.path) == 0 else {
            let reason = systemErrorText()
            unlink(temporaryLink.path)
            throw RuntimeError(.storage, "cannot publish the environment \(published.path): \(reason)")
        }
    }

    // MARK: - Reading

    private func readyEnvironment(at published: URL, key: String) -> PythonEnvironment? {
        guard let marker = PythonEnvironmentMarker.read(from: published), marker.key == key,
              FileManager.default.isExecutableFile(atPath: published.appendingPathComponent("bin/python").path) else { return nil }
        return PythonEnvironment(directory: published, key: key, pythonVersion: marker.pythonVersion, installer: marker.installer,
                                 wasCreated: false, createdAt: marker.createdAt)
    }

    /// Build folders of `name` that are not published: left by a crash or a failed build.
    /// Called under the lock, so no build of `name` is running.
    private func removeUnpublishedBuilds(named name: String, published: URL) {
        let current = (try? FileManager.default.destinationOfSymbolicLink(atPath: published.path))
        if current != nil {
            // A link without a finished environment behind it.
            unlink(published.path)
        }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for entry in contents where entry.hasPrefix(".\(name).") {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(entry))
        }
    }

    // MARK: - Installer environment

    /// Allow-listed variables plus Hangar's HOME (so the operator's pip and uv configuration
    /// applies), caches inside the Hangar home (uv hardlinks from a cache on the same file system)
    /// and quiet, non-interactive tools.
    func installerEnvironment() -> [String: String] {
        var environment = parentEnvironment.filter { RunEnvironment.isInherited($0.key) || $0.key == "XDG_CONFIG_HOME" }
        environment["HOME"] = parentEnvironment["HOME"] ?? home.path
        let cache = home.appendingPathComponent("cache", isDirectory: true)
        environment["PIP_CACHE_DIR"] = cache.appendingPathComponent("pip").path
        environment["UV_CACHE_DIR"] = cache.appendingPathComponent("uv").path
        environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        environment["PIP_NO_INPUT"] = "1"
        environment["PIP_PROGRESS_BAR"] = "off"
        environment["PIP_ROOT_USER_ACTION"] = "ignore"
        environment["UV_PYTHON_DOWNLOADS"] = "never"
        environment["UV_NO_PROGRESS"] = "1"
        environment["NO_COLOR"] = "1"
        return environment
    }

    private func uvEnvironment(_ base: [String: String]) -> [String: String] {
        base.merging(PackageIndexSettings.cached(python: python.path, environment: base).uvVariables(given: base)) { current, _ in current }
    }

    static func say(_ text: String, to log: LogSink) {
        log([CapturedLine(stream: .hangar, text: text)])
    }
}
