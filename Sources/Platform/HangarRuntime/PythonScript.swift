import Foundation

/// A run's own folders: `work/`, the working directory where the flight's source is written,
/// and `home/`, its default HOME (dlt keeps pipeline state under `~/.dlt`, DuckDB its
/// extensions under `~/.duckdb`): runs never see each other's files, like fresh containers.
public struct RunDirectory: Sendable, Equatable {
    public let root: URL
    public var work: URL { root.appendingPathComponent("work", isDirectory: true) }
    public var home: URL { root.appendingPathComponent("home", isDirectory: true) }

    /// Makes `<parent>/<name>` with empty `work/` and `home/`, replacing whatever was there.
    public static func create(in parent: URL, named name: String) throws -> RunDirectory {
        let directory = RunDirectory(root: parent.appendingPathComponent(name, isDirectory: true))
        do {
            if FileManager.default.fileExists(atPath: directory.root.path) {
                try FileManager.default.removeItem(at: directory.root)
            }
            try FileManager.default.createDirectory(at: directory.work, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: directory.home, withIntermediateDirectories: true)
        } catch {
            throw RuntimeError(.storage, "cannot create the run folder \(directory.root.path): \(error.localizedDescription)")
        }
        return directory
    }

    init(root: URL) {
        self.root = root
    }
}

/// A Python flight's source as a plain script, `python main.py`, in its run's working folder.
public enum PythonScript {
    public static let fileName = "main.py"

    /// Writes `source` as `main.py` in `directory.work`.
    @discardableResult
    public static func write(_ source: String, into directory: RunDirectory) throws -> URL {
        let file = directory.work.appendingPathComponent(fileName)
        do {
            try Data(source.utf8).write(to: file, options: .atomic)
        } catch {
            throw RuntimeError(.storage, "cannot write \(file.path): \(error.localizedDescription)")
        }
        return file
    }

    /// `python main.py` with the environment activated and output unbuffered, so stdout and
    /// stderr lines arrive when printed, in the order printed (a pipe would otherwise make
    /// Python buffer stdout in 8 KB blocks).
    public static func command(in directory: RunDirectory, environment: PythonEnvironment, variables: [String: String]) -> RunCommand {
        var variables = environment.activating(variables)
        if variables["PYTHONUNBUFFERED"] == nil { variables["PYTHONUNBUFFERED"] = "1" }
        return RunCommand(executable: environment.interpreter.path, arguments: [fileName], environment: variables,
                          workingDirectory: directory.work)
    }
}
