import Foundation

/// A base Python interpreter environments are made from: its real path (a pyenv shim resolved
/// to the interpreter it runs) and its exact version, which is part of an environment's key.
public struct PythonInterpreter: Sendable, Equatable {
    public let path: String
    /// `3.11.7`
    public let version: String

    public init(path: String, version: String) {
        self.path = path
        self.version = version
    }

    /// Asks `nameOrPath` (looked up in `environment`'s PATH) where it really is and which
    /// version it is.
    public static func find(_ nameOrPath: String = "python3",
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PythonInterpreter {
        let command = RunCommand(executable: nameOrPath,
                                 arguments: ["-c", "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])"],
                                 environment: environment.filter { RunEnvironment.isInherited($0.key) || $0.key == "HOME" || $0.key.hasPrefix("PYENV") },
                                 workingDirectory: FileManager.default.temporaryDirectory)
        let result: ToolRunner.Result
        do {
            result = try ToolRunner.run(command, timeout: 60)
        } catch let error as RuntimeError {
            throw RuntimeError(.pythonUnavailable, "no Python interpreter: \(error.message); install python3 or give the interpreter's path")
        }
        let output = result.stdout
        guard result.outcome.succeeded, output.count >= 2, output[0].hasPrefix("/") else {
            throw RuntimeError(.pythonUnavailable, "\(nameOrPath) did not report its path and version (\(result.outcome)); check that it is a working Python 3",
                               toolOutput: result.errorLines())
        }
        return PythonInterpreter(path: output[0], version: output[1])
    }
}
