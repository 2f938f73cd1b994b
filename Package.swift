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
        .library(name: "HangarFlights", targets: ["HangarFlights"]),
        .library(name: "HangarRuntime", targets: ["HangarRuntime"]),
        .library(name: "FlightKit", type: .dynamic, targets: ["FlightKit"]),
        .executable(name: "hangar", targets: ["HangarCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
        // Flights control plane: flights, versions, runs, logs, secrets and schedules in one SQLite
        // store (WAL) shared safely by every Hangar process; the one place each rule is enforced.
        .target(
            name: "HangarFlights",
            dependencies: ["HangarAccount", "HangarScheduling", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/Platform/HangarFlights"
        ),
        // Run execution: process groups with captured, masked logs, timeouts and cancellation, the
        // run environment, and the Python and Swift runtimes' cached environments and builds.
        .target(
            name: "HangarRuntime",
            dependencies: [],
            path: "Sources/Platform/HangarRuntime"
        ),
        // Runs and schedules: the supervisor each run gets (glueing the control plane to the
        // runtimes), the launcher that detaches it, and the scheduler service.
        .target(
            name: "HangarRunner",
            dependencies: [
                "HangarFlights", "HangarRuntime", "HangarScheduling", "HangarAccount",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Platform/HangarRunner"
        ),
        // The SDK Swift flights import: run context, config and secrets, account databases under
        // their leases, and the ingest engine. A dynamic library, so a flight builds in seconds
        // against the already-built SDK.
        .target(
            name: "FlightKit",
            dependencies: ["DuckDB", "HangarIngest", "HangarAccount", "FlightKitStartup"],
            path: "Sources/SDK/FlightKit"
        ),
        // Linked into libFlightKit.so: a constructor making a flight's standard output
        // line-buffered, so printed lines reach the run's log as they are printed, crash or not.
        .target(name: "FlightKitStartup", path: "Sources/SDK/FlightKitStartup"),
        // Cron schedules: parsing 5-field expressions and computing next fire times in a time zone.
        .target(name: "HangarScheduling", dependencies: ["CivilCalendar"], path: "Sources/Platform/HangarScheduling"),
        // Surfaces: the command-line tool.
        .executableTarget(
            name: "HangarCLI",
            dependencies: [
                "DuckDB",
                "HangarIngest",
                "HangarAccount",
                "HangarFlights",
                "HangarRunner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
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
            dependencies: ["DuckDB", "HangarIngest", "HangarScheduling", "HangarAccount", "HangarFlights", "HangarRunner"],
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
        .testTarget(name: "HangarFlightsTests", dependencies: ["HangarFlights", "HangarAccount", .product(name: "GRDB", package: "GRDB.swift")], path: "Tests/HangarFlightsTests"),
        .testTarget(name: "HangarRunnerTests", dependencies: ["HangarRunner"], path: "Tests/HangarRunnerTests"),
        .testTarget(name: "HangarRuntimeTests", dependencies: ["HangarRuntime"], path: "Tests/HangarRuntimeTests"),
        .testTarget(name: "HangarSchedulingTests", dependencies: ["HangarScheduling"], path: "Tests/HangarSchedulingTests"),
        // The crash tests kill real `hangar ingest` processes; depending on the CLI builds it first.
        .testTarget(name: "HangarIngestTests", dependencies: ["HangarIngest", "HangarCLI"], path: "Tests/HangarIngestTests"),
        // Runs the built `hangar` binary; depending on its target makes `swift test` build it first.
        .testTarget(name: "HangarCLITests", dependencies: ["HangarCLI"], path: "Tests/HangarCLITests"),
    ],
    swiftLanguageModes: [.v6]
)
