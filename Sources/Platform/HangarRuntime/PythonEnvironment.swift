import Foundation

/// Which tool built an environment.
public enum PythonInstaller: String, Sendable, Codable {
    case uv, pip
}

/// A ready virtual environment for one (requirements, Python version).
public struct PythonEnvironment: Sendable, Equatable {
    /// `<home>/environments/python/<key prefix>`; runs use this path, never the build folder
    /// it points to.
    public let directory: URL
    /// SHA-256 of the normalized requirements and the Python version.
    public let key: String
    public let pythonVersion: String
    public let installer: PythonInstaller
    /// True for the one call that built it; false when it was there already (or another run
    /// built it while this one waited).
    public let wasCreated: Bool
    /// When it was built.
    public let createdAt: Date

    /// The interpreter to run `python main.py` with.
    public var interpreter: URL { directory.appendingPathComponent("bin/python") }

    /// `variables` as an activated environment has them: `VIRTUAL_ENV` set and its `bin` first
    /// on `PATH`, so `python`, `pip` and installed commands a flight starts are the environment's.
    public func activating(_ variables: [String: String]) -> [String: String] {
        var activated = variables
        activated["VIRTUAL_ENV"] = directory.path
        let bin = directory.appendingPathComponent("bin").path
        activated["PATH"] = [bin, variables["PATH"]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ":")
        activated["PYTHONHOME"] = nil
        return activated
    }
}

/// What an environment's marker file records; the marker is written last, so an environment
/// without one was never finished.
struct PythonEnvironmentMarker: Codable, Equatable {
    var key: String
    var pythonVersion: String
    var pythonPath: String
    var installer: PythonInstaller
    var requirements: [String]
    var createdAt: Date
    var buildSeconds: Double

    static let fileName = ".hangar-ready.json"

    static func read(from directory: URL) -> PythonEnvironmentMarker? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(fileName)) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(PythonEnvironmentMarker.self, from: data)
    }

    func write(into directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }
}
