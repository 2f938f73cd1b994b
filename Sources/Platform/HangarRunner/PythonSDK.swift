import DuckDB
import Foundation
import InstallLayout
import HangarAccount

/// The Python side of Hangar that every Python run gets on its `PYTHONPATH` (the files are in
/// `PythonSDK/`, shipped as this module's resources):
/// - `import hangar`: the account's databases by name and their inter-process leases, the same
///   `flock` on `<database>.lease` (with the holder written as JSON) that every Hangar process takes;
/// - `hangar.motherduck`: MotherDuck's `md:` connections and dlt's `motherduck` destination on the
///   local account, switched on by `HANGAR_LOCAL_ACCOUNT=1` (no MotherDuck token configured);
/// - `sitecustomize.py`, which Python runs at start-up: it installs that, lazily (nothing is
///   imported until the flight imports duckdb or dlt), then hands over to the interpreter's own.
public enum PythonSDK {
    /// The variable that turns the local account's `md:` on in a run.
    public static let localAccountVariable = "HANGAR_LOCAL_ACCOUNT"

    /// The files, relative to the SDK folder.
    static let files = ["sitecustomize.py", "hangar/__init__.py", "hangar/_account.py", "hangar/_import_hooks.py",
                        "hangar/_leases.py", "hangar/motherduck.py"]

    /// Where the shipped files are (`InstallLayout.pythonSDK`); `HANGAR_PYTHON_SDK` overrides.
    static func shippedFolder(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let override = environment["HANGAR_PYTHON_SDK"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        guard let folder = InstallLayout.current(environment: environment)?.pythonSDK,
              FileManager.default.fileExists(atPath: folder.appendingPathComponent("sitecustomize.py").path) else {
            throw AccountError("Hangar's Python SDK is missing (share/hangar/python-sdk beside the installed hangar); reinstall Hangar, or set HANGAR_PYTHON_SDK")
        }
        return folder
    }

    /// Copies the SDK into `<home>/sdk/python` (the files that differ) and returns that folder,
    /// which goes on the run's PYTHONPATH. The home's copy is what runs see, so an upgrade of
    /// Hangar reaches runs that start after it without touching runs that are going on.
    public static func install(in home: HangarHome) throws -> URL {
        let source = try shippedFolder()
        let folder = home.root.appendingPathComponent("sdk/python", isDirectory: true)
        for file in files {
            let wanted = try Data(contentsOf: source.appendingPathComponent(file))
            let target = folder.appendingPathComponent(file)
            if (try? Data(contentsOf: target)) != wanted {
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try wanted.write(to: target, options: .atomic)
            }
        }
        // The single-file helper of earlier versions would shadow the package.
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("hangar.py"))
        return folder
    }

    /// Puts the provisioned motherduck extension where a flight's duckdb (of Hangar's DuckDB
    /// version) looks before downloading it, `~/.duckdb/extensions/<version>/<platform>/`, so an
    /// `md:` connection of a run starts from the pinned file rather than the network.
    static func provideMotherDuckExtension(home: URL) {
        guard let file = try? ProvisionedExtensions.file("motherduck") else { return }
        #if arch(arm64)
        let platform = "linux_arm64"
        #else
        let platform = "linux_amd64"
        #endif
        let folder = home.appendingPathComponent(".duckdb/extensions/\(Database.libraryVersion)/\(platform)", isDirectory: true)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("motherduck.duckdb_extension"), withDestinationURL: file)
    }
}
