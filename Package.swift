// swift-tools-version:6.0
import Foundation
import PackageDescription

// `make setup` provisions DuckDB and links it into `.duckdb/` (ignored by git) so the paths below
// need no environment variables. An rpath makes every built binary find the library at run time.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
let duckDBLibrary = "\(root)/.duckdb/lib"

let package = Package(
    name: "Hangar",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DuckDB", targets: ["DuckDB"]),
        .library(name: "HangarIngest", targets: ["HangarIngest"]),
        .library(name: "HangarAccount", targets: ["HangarAccount"]),
        .executable(name: "hangar", targets: ["HangarCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Calendar arithmetic shared by the binding, the ingest engine and the scheduler.
        .target(name: "CivilCalendar", path: "Sources/Shared/CivilCalendar"),
        // Binding layer: DuckDB's C API, then a Swift API over it with no C types in sight.
        .systemLibrary(name: "CDuckDB", path: "Sources/Binding/CDuckDB"),
        .target(
            name: "DuckDB",
            dependencies: ["CDuckDB", "CivilCalendar"],
            path: "Sources/Binding/DuckDB",
            linkerSettings: [
                .unsafeFlags(["-L\(duckDBLibrary)", "-Xlinker", "-rpath", "-Xlinker", duckDBLibrary]),
            ]
        ),
        // Ingest engine: dlt's semantics (naming, schema inference and evolution, nested data,
        // load packages) over the binding.
        .target(
            name: "HangarIngest",
            dependencies: ["DuckDB", "CivilCalendar"],
            path: "Sources/Ingest/HangarIngest"
        ),
        // Flights platform: the Hangar home, the local account and its database leases.
        .target(
            name: "HangarAccount",
            path: "Sources/Platform/HangarAccount"
        ),
        // Cron schedules: parsing 5-field expressions and computing next fire times in a time zone.
        .target(name: "HangarScheduling", dependencies: ["CivilCalendar"], path: "Sources/Platform/HangarScheduling"),
        // Surfaces: the command-line tool.
        .executableTarget(
            name: "HangarCLI",
            dependencies: [
                "DuckDB",
                "HangarIngest",
                "HangarAccount",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Surfaces/HangarCLI"
        ),
        // `swift run IngestExample`: nested JSON into a local DuckDB file.
        .executableTarget(
            name: "IngestExample",
            dependencies: ["HangarIngest"],
            path: "Examples/IngestNestedJSON"
        ),
        // Benchmarks and tooling executables, built in release by `make bench`.
        .executableTarget(
            name: "HangarBench",
            dependencies: ["DuckDB", "HangarIngest", "HangarScheduling"],
            path: "Sources/Tools/HangarBench"
        ),
        .executableTarget(
            name: "BindingWorkload",
            dependencies: ["DuckDB"],
            path: "Sources/Tools/BindingWorkload"
        ),
        // BindingWorkload runs in a child process for measurements other tests must not disturb.
        .testTarget(name: "DuckDBTests", dependencies: ["DuckDB", "BindingWorkload"], path: "Tests/DuckDBTests"),
        .testTarget(name: "HangarAccountTests", dependencies: ["HangarAccount"], path: "Tests/HangarAccountTests"),
        .testTarget(name: "HangarSchedulingTests", dependencies: ["HangarScheduling"], path: "Tests/HangarSchedulingTests"),
        // The crash tests kill real `hangar ingest` processes; depending on the CLI builds it first.
        .testTarget(name: "HangarIngestTests", dependencies: ["HangarIngest", "HangarCLI"], path: "Tests/HangarIngestTests"),
        // Runs the built `hangar` binary; depending on its target makes `swift test` build it first.
        .testTarget(name: "HangarCLITests", dependencies: ["HangarCLI"], path: "Tests/HangarCLITests"),
    ],
    swiftLanguageModes: [.v6]
)
