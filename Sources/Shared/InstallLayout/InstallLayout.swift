import Foundation

/// Where Hangar's parts are, found from the running executable's real path, never from a source
/// path compiled in: an installed tree (`make install`, `make dist`) or a checkout's build folder.
///
/// Installed under a prefix:
///
///     bin/hangar                  → ../lib/hangar/hangar
///     lib/hangar/                 hangar, GitHubReplay, libduckdb.so,
///                                 libFlightKit.so, Modules/ and CDuckDB/ (what Swift flights
///                                 compile against)
///     share/hangar/Examples/      the demo's flights and the replay server's sample data
///     share/hangar/python-sdk/    what every Python run gets on its path
///     share/hangar/dashboard/     what `hangar serve` serves at /
///
/// In a checkout, the executable is in `.build/<triple>/<configuration>/` and the rest is where
/// the sources keep it. `HANGAR_PREFIX` (an installed tree) or `HANGAR_SOURCE_ROOT` (a checkout)
/// override the search.
public struct InstallLayout: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Installed under this prefix.
        case installed(prefix: URL)
        /// Built in this checkout.
        case checkout(root: URL)
    }

    public let kind: Kind
    /// The folder of the running executable (its real path).
    public let executableDirectory: URL

    public init(kind: Kind, executableDirectory: URL) {
        self.kind = kind
        self.executableDirectory = executableDirectory
    }

    /// The layout of the running executable.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> InstallLayout? {
        let executable = runningExecutable()
        return locate(executableDirectory: executable.deletingLastPathComponent(), environment: environment)
    }

    /// The layout around an executable in `executableDirectory`; nil when it is neither in an
    /// installed tree nor in a checkout's build folder and no override says where the parts are.
    public static func locate(executableDirectory: URL, environment: [String: String] = [:]) -> InstallLayout? {
        if let prefix = environment["HANGAR_PREFIX"], !prefix.isEmpty {
            return InstallLayout(kind: .installed(prefix: URL(fileURLWithPath: prefix, isDirectory: true).standardizedFileURL),
                                 executableDirectory: executableDirectory)
        }
        if let root = environment["HANGAR_SOURCE_ROOT"], !root.isEmpty {
            return InstallLayout(kind: .checkout(root: URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL),
                                 executableDirectory: executableDirectory)
        }
        // <prefix>/lib/hangar/hangar
        let prefix = executableDirectory.deletingLastPathComponent().deletingLastPathComponent()
        if executableDirectory.lastPathComponent == "hangar",
           FileManager.default.fileExists(atPath: prefix.appendingPathComponent("share/hangar").path) {
            return InstallLayout(kind: .installed(prefix: prefix), executableDirectory: executableDirectory)
        }
        // <root>/.build/<triple>/<configuration>/hangar, or <root>/<scratch>/<configuration>/hangar
        var folder = executableDirectory
        for _ in 0..<4 {
            folder.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
               FileManager.default.fileExists(atPath: folder.appendingPathComponent("Sources/SDK/FlightKit").path) {
                return InstallLayout(kind: .checkout(root: folder), executableDirectory: executableDirectory)
            }
        }
        return nil
    }

    /// The running executable's real path (`/proc/self/exe`, so a symlink such as `bin/hangar`
    /// leads to the tree it belongs to).
    public static func runningExecutable() -> URL {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: resolved)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    }

    /// The demo's flights and sample data (`Examples/`).
    public var examples: URL {
        located(installed: "share/hangar/Examples", checkout: "Examples")
    }

    /// The Python side every Python run gets (`sitecustomize.py`, `import hangar`).
    public var pythonSDK: URL {
        located(installed: "share/hangar/python-sdk", checkout: "Sources/Platform/HangarRunner/PythonSDK")
    }

    /// The dashboard's files `hangar serve` serves.
    public var dashboard: URL {
        located(installed: "share/hangar/dashboard", checkout: "Sources/Surfaces/HangarHTTP/Dashboard")
    }

    /// The folder of DuckDB's library.
    public var duckDBLibraryDirectory: URL {
        located(installed: "lib/hangar", checkout: ".duckdb/lib")
    }

    /// The folder of the `CDuckDB` module map Swift flights import DuckDB's C API through.
    public var duckDBModuleMapDirectory: URL {
        located(installed: "lib/hangar/CDuckDB", checkout: "Sources/Binding/CDuckDB")
    }

    /// A part at `installed` under the prefix, or at `checkout` under the checkout's root.
    private func located(installed: String, checkout: String) -> URL {
        switch kind {
        case .installed(let prefix): prefix.appendingPathComponent(installed, isDirectory: true)
        case .checkout(let root): root.appendingPathComponent(checkout, isDirectory: true)
        }
    }

    /// The checkout the parts can be built from; nil for an installed tree.
    public var sourceRoot: URL? {
        if case .checkout(let root) = kind { return root }
        return nil
    }

    public var description: String {
        switch kind {
        case .installed(let prefix): "installed under \(prefix.path)"
        case .checkout(let root): "built in the checkout \(root.path)"
        }
    }
}
