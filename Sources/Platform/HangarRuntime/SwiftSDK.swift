import Foundation
import InstallLayout
#if canImport(Glibc)
import Glibc
#endif

/// Where the FlightKit SDK a Swift flight compiles against lives: its module files, its library,
/// the DuckDB module map and library it refers to.
public struct SwiftSDK: Sendable, Equatable {
    /// Holds `FlightKit.swiftmodule` and the modules it depends on.
    public let modulesDirectory: URL
    /// Holds `libFlightKit.so`.
    public let libraryDirectory: URL
    /// Folders with clang module maps the SDK's modules import (DuckDB's C API).
    public let moduleMapDirectories: [URL]
    /// Folders of shared libraries a built flight loads at run time (libduckdb).
    public let runtimeLibraryDirectories: [URL]

    public init(modulesDirectory: URL, libraryDirectory: URL, moduleMapDirectories: [URL], runtimeLibraryDirectories: [URL]) {
        self.modulesDirectory = modulesDirectory
        self.libraryDirectory = libraryDirectory
        self.moduleMapDirectories = moduleMapDirectories
        self.runtimeLibraryDirectories = runtimeLibraryDirectories
    }

    /// The SDK next to a Hangar binary: installed (`lib/hangar` holds `hangar`, `libFlightKit.so`,
    /// `Modules/` and DuckDB), or built in a checkout (`.build/debug` holds `hangar`,
    /// `libFlightKit.so` and `Modules/`, and the checkout DuckDB's module map and library); nil
    /// when it is not there.
    public static func beside(executableDirectory: URL, layout: InstallLayout) -> SwiftSDK? {
        let sdk = SwiftSDK(modulesDirectory: executableDirectory.appendingPathComponent("Modules", isDirectory: true),
                           libraryDirectory: executableDirectory,
                           moduleMapDirectories: [layout.duckDBModuleMapDirectory],
                           runtimeLibraryDirectories: [layout.duckDBLibraryDirectory])
        return sdk.isComplete ? sdk : nil
    }

    /// Every file a build needs is there.
    public var isComplete: Bool {
        let files = [modulesDirectory.appendingPathComponent("FlightKit.swiftmodule"),
                     libraryDirectory.appendingPathComponent("libFlightKit.so")]
            + moduleMapDirectories.map { $0.appendingPathComponent("module.modulemap") }
        return files.allSatisfy { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Changes whenever the SDK is rebuilt, so flights built against an older one are rebuilt too.
    public var identity: String {
        let library = libraryDirectory.appendingPathComponent("libFlightKit.so")
        let module = modulesDirectory.appendingPathComponent("FlightKit.swiftmodule")
        return [library, module].map { url -> String in
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
            let size = attributes?[.size] as? Int ?? 0
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(url.path):\(size):\(modified)"
        }.joined(separator: "|")
    }

    /// The `swiftc` arguments that compile and link a flight against this SDK. `source` is a
    /// path as the compiler's messages should name it (`main.swift:4:18: error: …`), relative
    /// to the compiler's working directory.
    func compilerArguments(source: String, output: URL) -> [String] {
        var arguments = [source, "-o", output.path, "-module-name", "Flight",
                         "-I", modulesDirectory.path, "-L", libraryDirectory.path, "-lFlightKit",
                         "-Xlinker", "-rpath", "-Xlinker", libraryDirectory.path]
        for folder in moduleMapDirectories { arguments += ["-I", folder.path] }
        for folder in runtimeLibraryDirectories {
            arguments += ["-L", folder.path, "-Xlinker", "-rpath", "-Xlinker", folder.path]
        }
        return arguments
    }
}
