import DuckDB
import Foundation
import HangarViews
import InstallLayout

/// `hangar --version --verbose`: Hangar's and DuckDB's versions, the paths this binary resolved,
/// and which optional parts the machine has, so a broken install says what is missing.
public enum VersionReport {
    /// Handles `--version --verbose` (or `-v`, `--json`) before the command line is parsed, since
    /// ArgumentParser answers `--version` itself; false for any other command line.
    public static func handle(_ arguments: [String]) -> Bool {
        guard arguments.contains("--version"), arguments.contains("--verbose") || arguments.contains("-v") else { return false }
        let report = make()
        if arguments.contains("--json") {
            Console.out(report.json)
        } else {
            Console.out(report.text)
        }
        return true
    }

    struct Part {
        let name: String
        let value: String
        let available: Bool
        let note: String
    }

    struct Report {
        let version: String
        let duckDB: String
        let parts: [Part]

        var text: String {
            var lines = ["hangar \(version) (DuckDB \(duckDB))"]
            let width = parts.map(\.name.count).max() ?? 0
            for part in parts {
                let mark = part.available ? "" : "[missing] "
                lines.append("  " + part.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + mark + part.value
                             + (part.note.isEmpty ? "" : "  (\(part.note))"))
            }
            return lines.joined(separator: "\n") + "\n"
        }

        var json: JSONValue {
            .object([
                ("hangar", .string(version)), ("duckdb", .string(duckDB)),
                ("parts", .array(parts.map { part in
                    .object([("name", .string(part.name)), ("value", .string(part.value)), ("available", .bool(part.available)),
                             ("note", .string(part.note))])
                })),
            ])
        }
    }

    static func make(environment: [String: String] = ProcessInfo.processInfo.environment) -> Report {
        let executable = InstallLayout.runningExecutable()
        let layout = InstallLayout.current(environment: environment)
        let exists = { (url: URL) in FileManager.default.fileExists(atPath: url.path) }
        var parts = [Part(name: "executable", value: executable.path, available: true, note: "")]
        if let layout {
            parts.append(Part(name: "layout", value: layout.description, available: true, note: ""))
            parts.append(Part(name: "examples", value: layout.examples.path, available: exists(layout.examples), note: "hangar demo"))
            parts.append(Part(name: "python sdk", value: layout.pythonSDK.path,
                              available: exists(layout.pythonSDK.appendingPathComponent("sitecustomize.py")), note: "Python flights"))
            parts.append(Part(name: "dashboard", value: layout.dashboard.path,
                              available: exists(layout.dashboard.appendingPathComponent("index.html")), note: "hangar serve"))
            let sdk = executable.deletingLastPathComponent()
            parts.append(Part(name: "flightkit sdk", value: sdk.path,
                              available: exists(sdk.appendingPathComponent("libFlightKit.so")) && exists(sdk.appendingPathComponent("Modules/FlightKit.swiftmodule")),
                              note: "Swift flights compile against it"))
        } else {
            parts.append(Part(name: "layout", value: "not found beside \(executable.path)", available: false,
                              note: "reinstall Hangar, or set HANGAR_PREFIX"))
        }
        let loaded = loadedLibraries()
        let duckDBLibrary = loaded.first { $0.hasSuffix("/libduckdb.so") } ?? "not loaded"
        parts.append(Part(name: "duckdb library", value: duckDBLibrary, available: duckDBLibrary != "not loaded", note: ""))
        // DuckDB's release library is the Python wheel's extension module: it refers to the
        // interpreter's C API, so it loads only with that Python's shared library.
        let libpython = loaded.first { $0.contains("/libpython3") } ?? "not loaded"
        parts.append(Part(name: "libpython", value: libpython, available: libpython != "not loaded",
                          note: "DuckDB's release library, from the duckdb wheel, links it"))
        let libedit = loaded.first { $0.contains("/libedit.so") } ?? "not loaded"
        parts.append(Part(name: "libedit", value: libedit, available: libedit != "not loaded",
                          note: "line editing, history and completion in the interactive hangar sql"))
        let python = firstLine(of: ["python3", "--version"])
        parts.append(Part(name: "python3", value: python ?? "not on PATH", available: python != nil, note: "Python flights"))
        let swift = firstLine(of: ["swiftc", "--version"])
        parts.append(Part(name: "swift toolchain", value: swift ?? "not on PATH", available: swift != nil, note: "Swift flights only"))
        return Report(version: HangarVersion.current, duckDB: Database.libraryVersion, parts: parts)
    }

    /// The shared libraries this process has mapped, by path.
    static func loadedLibraries() -> [String] {
        // /proc files report a size of 0: read them to the end rather than by their size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps"), let data = try? handle.readToEnd() else { return [] }
        let maps = String(decoding: data, as: UTF8.self)
        var seen: [String] = []
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            if path.contains(".so"), !seen.contains(path) { seen.append(path) }
        }
        return seen
    }

    /// The first line a program prints (stdout, else stderr), nil when it cannot be run.
    static func firstLine(of command: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
    }
}
