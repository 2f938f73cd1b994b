// swift-tools-version:6.0
import Foundation
import PackageDescription

// `make setup` provisions DuckDB and links it into `.duckdb/` (ignored by git) so the paths below
// need no environment variables. An rpath makes every built binary find the library at run time.
// SwiftPM has no safe setting for a library search path or an rpath, so these (and the release
// exclusivity flag below) are unsafe flags: another package uses `DuckDB` and `HangarIngest` as a
// path or branch dependency (README, "The binding").
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
let duckDBLibrary = "\(root)/.duckdb/lib"

// The executables that ingest use mimalloc (Debian's libmimalloc2.0, which `make setup` installs)
// instead of glibc's malloc: normalizing allocates and frees millions of small values across
// threads, where glibc's per-thread arenas are slow (the README's performance section has the
// figures). Where the library is missing they link glibc's allocator as usual.
let mimalloc = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"]
    .map { "\($0)/libmimalloc.so.2" }.first { FileManager.default.fileExists(atPath: $0) }
/// Release builds of the per-row code skip Swift's run-time exclusivity checks, which a profile
/// showed in the normalizer's hot loop; debug builds (the tests) keep them, and the compile-time
/// checks stay.
let hotPathSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let fastAllocator: [LinkerSetting] = mimalloc == nil ? [] : [
    .unsafeFlags(["-Xlinker", "--no-as-needed", "-Xlinker", "-l:libmimalloc.so.2"], .when(platforms: [.linux])),
]

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
        .executable(name: "hangar", targets: ["HangarMain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // FlightKit's REST source kit, and the GitHub replay server its tests and the demo use.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The PostgreSQL control store (issue 22): several hosts sharing one control plane.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // TLS to a control database on another machine (libpq's sslmode).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Secret values are sealed (AES-GCM) before they reach a shared control database.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // Calendar arithmetic shared by the binding, the ingest engine and the scheduler.
        .target(name: "CivilCalendar", path: "Sources/Shared/CivilCalendar"),
        // Inter-process leases (flock with the holder written in the file): one implementation
        // for databases, pipelines and the runtime's environments and builds.
        .target(name: "Leases", dependencies: ["CivilCalendar"], path: "Sources/Shared/Leases"),
        // Where an installed or checkout-built Hangar finds its parts, from the executable's path.
        .target(name: "InstallLayout", path: "Sources/Shared/InstallLayout"),
        // Binding layer: DuckDB's C API, then a Swift API over it with no C types in sight.
        .systemLibrary(name: "CDuckDB", path: "Sources/Binding/CDuckDB"),
        .target(
            name: "DuckDB",
            dependencies: ["CDuckDB", "CivilCalendar"],
            path: "Sources/Binding/DuckDB",
            swiftSettings: hotPathSettings,
            linkerSettings: [
                .unsafeFlags(["-L\(duckDBLibrary)", "-Xlinker", "-rpath", "-Xlinker", duckDBLibrary]),
            ]
        ),
        // Ingest engine: dlt's semantics (naming, schema inference and evolution, nested data,
        // load packages) over the binding.
        .target(
            name: "HangarIngest",
            dependencies: ["DuckDB", "CivilCalendar", "Leases"],
            path: "Sources/Ingest/HangarIngest",
            swiftSettings: hotPathSettings
        ),
        // Flights platform: the Hangar home, the local account and its database leases.
        .target(
            name: "HangarAccount",
            dependencies: ["DuckDB", "Leases", "HangarScheduling", .product(name: "Metrics", package: "swift-metrics")],
            path: "Sources/Platform/HangarAccount"
        ),
        // Flights control plane: flights, versions, runs, logs, secrets and schedules in one SQLite
        // store (WAL) shared safely by every Hangar process; the one place each rule is enforced.
        .target(
            name: "HangarFlights",
            dependencies: ["HangarAccount", "HangarScheduling", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/Platform/HangarFlights"
        ),
        // The control plane on PostgreSQL, for scale-out (docs/control-plane.md): versioned
        // migrations, run claiming with SKIP LOCKED, worker heartbeats and the lost-worker bound,
        // scheduled fires created exactly once.
        .target(
            name: "HangarControlPostgres",
            dependencies: [
                "HangarFlights", "HangarAccount",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Platform/HangarControlPostgres"
        ),
        // Run execution: process groups with captured, masked logs, timeouts and cancellation, the
        // run environment, and the Python and Swift runtimes' cached environments and builds.
        .target(
            name: "HangarRuntime",
            dependencies: ["Leases", "InstallLayout"],
            path: "Sources/Platform/HangarRuntime"
        ),
        // Runs and schedules: the supervisor each run gets (glueing the control plane to the
        // runtimes), the launcher that detaches it, and the scheduler service.
        .target(
            name: "HangarRunner",
            dependencies: [
                "DuckDB", "HangarFlights", "HangarRuntime", "HangarScheduling", "HangarAccount", "CProcessControl", "InstallLayout",
                "HangarControlPostgres",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Sources/Platform/HangarRunner",
            // Python files Hangar ships, found through InstallLayout rather than a resource bundle
            // (whose accessor would fall back to this build folder's path).
            exclude: ["PythonSDK"]
        ),
        // Metrics of `hangar serve`: runs counted from the control store (whichever process ran
        // them), exposed in Prometheus' text format.
        .target(
            name: "HangarMetrics",
            dependencies: [
                "HangarFlights",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Platform/HangarMetrics"
        ),
        // The SDK Swift flights import: run context, config and secrets, account databases under
        // their leases, the ingest engine and a REST source kit. A dynamic library, so a flight
        // builds in seconds against the already-built SDK.
        .target(
            name: "FlightKit",
            dependencies: [
                "DuckDB", "HangarIngest", "HangarAccount", "FlightKitStartup",
                // The REST kit's HTTP client, imported implementation-only (no NIO or AHC type in
                // FlightKit's interface), so a flight still compiles against FlightKit's module alone.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/SDK/FlightKit"
        ),
        // Linked into libFlightKit.so: a constructor making a flight's standard output
        // line-buffered, so printed lines reach the run's log as they are printed, crash or not.
        .target(name: "FlightKitStartup", path: "Sources/SDK/FlightKitStartup"),
        // prctl for the run supervisor (a variadic C function Swift cannot call).
        .target(name: "CProcessControl", path: "Sources/Platform/CProcessControl"),
        // Cron schedules: parsing 5-field expressions and computing next fire times in a time zone.
        .target(name: "HangarScheduling", dependencies: ["CivilCalendar"], path: "Sources/Platform/HangarScheduling"),
        // Surfaces: the HTTP API and dashboard of `hangar serve`, on Hummingbird. The dashboard's
        // files are a resource folder, served as they are (no build step).
        // Surfaces share one definition of what they show: the flight, version, run and log shapes
        // (the SQL surface's columns, then Hangar's own fields), one ordered JSON type and one way
        // DuckDB values become JSON.
        .target(
            name: "HangarViews",
            dependencies: ["DuckDB", "HangarFlights", "HangarRuntime", "HangarScheduling"],
            path: "Sources/Surfaces/HangarViews"
        ),
        .target(
            name: "HangarHTTP",
            dependencies: [
                "DuckDB", "HangarAccount", "HangarFlights", "HangarRunner", "HangarRuntime", "HangarScheduling", "HangarMetrics",
                "HangarViews", "InstallLayout",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/Surfaces/HangarHTTP",
            // Served from where InstallLayout finds them, as PythonSDK is.
            exclude: ["Dashboard"]
        ),
        // libedit (BSD licensed; Debian's libedit-dev, which `make setup` installs): line editing,
        // history and completion for the interactive `hangar sql`. GNU readline is GPL, so not it.
        .systemLibrary(name: "CEditLine", path: "Sources/Surfaces/CEditLine"),
        // Surfaces: the command-line tool (a library, so tests can reach its commands) and the
        // `hangar` executable, which alone links the faster allocator.
        .target(
            name: "HangarCLI",
            dependencies: [
                "DuckDB",
                "HangarIngest",
                "HangarAccount",
                "HangarFlights",
                "HangarControlPostgres",
                "HangarRunner",
                "HangarHTTP",
                "HangarMetrics",
                "HangarViews",
                "InstallLayout",
                "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Surfaces/HangarCLI"
        ),
        .executableTarget(
            name: "HangarMain",
            dependencies: ["HangarCLI"],
            path: "Sources/Surfaces/HangarMain",
            linkerSettings: fastAllocator
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
            dependencies: ["DuckDB", "HangarIngest", "HangarScheduling", "HangarAccount", "HangarFlights", "HangarControlPostgres", "HangarRunner", "InstallLayout",
                           .product(name: "AsyncHTTPClient", package: "async-http-client")],
            path: "Sources/Tools/HangarBench",
            linkerSettings: fastAllocator
        ),
        // A local stand-in for the GitHub REST API (sample data, Link pagination, `since`,
        // rate-limit headers, injectable 502s) for the github_repo_stats flight, offline.
        .executableTarget(
            name: "GitHubReplay",
            dependencies: [
                "InstallLayout",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Tools/GitHubReplay"
        ),
        .executableTarget(
            name: "BindingWorkload",
            dependencies: ["DuckDB"],
            path: "Sources/Tools/BindingWorkload"
        ),
        // What the tests share: scratch folders, the built executables run to completion or left
        // running (`hangar serve`, GitHubReplay), `eventually`, a manual clock, and the throwaway
        // PostgreSQL server the control store's tests (and the flights tests on PostgreSQL) use.
        .target(
            name: "HangarTestSupport",
            dependencies: [
                "DuckDB", "HangarControlPostgres", "HangarFlights", "HangarAccount",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support"
        ),
        // BindingWorkload runs in a child process for measurements other tests must not disturb.
        .testTarget(name: "DuckDBTests", dependencies: ["DuckDB", "BindingWorkload", "HangarTestSupport"], path: "Tests/DuckDBTests"),
        .testTarget(name: "HangarAccountTests", dependencies: ["HangarAccount", "HangarTestSupport"], path: "Tests/HangarAccountTests"),
        .testTarget(name: "HangarFlightsTests", dependencies: ["HangarFlights", "HangarAccount", "HangarTestSupport", .product(name: "GRDB", package: "GRDB.swift")], path: "Tests/HangarFlightsTests"),
        // Against a throwaway PostgreSQL server the tests start themselves (scripts/postgres-server).
        .testTarget(
            name: "HangarControlPostgresTests",
            dependencies: [
                "HangarControlPostgres", "HangarFlights", "HangarAccount", "HangarTestSupport",
            ],
            path: "Tests/HangarControlPostgresTests"
        ),
        .testTarget(name: "HangarRunnerTests", dependencies: ["HangarRunner", "HangarControlPostgres", "HangarTestSupport"], path: "Tests/HangarRunnerTests"),
        .testTarget(name: "HangarRuntimeTests", dependencies: ["HangarRuntime", "HangarTestSupport"], path: "Tests/HangarRuntimeTests"),
        .testTarget(name: "HangarSchedulingTests", dependencies: ["HangarScheduling", "HangarTestSupport"], path: "Tests/HangarSchedulingTests"),
        // The crash tests kill real `hangar ingest` processes; depending on the CLI builds it first.
        .testTarget(name: "HangarIngestTests", dependencies: ["HangarIngest", "HangarCLI", "HangarTestSupport"], path: "Tests/HangarIngestTests"),
        // Runs the built `hangar` binary; depending on its target makes `swift test` build it first.
        .testTarget(name: "HangarCLITests", dependencies: ["HangarCLI", "GitHubReplay", "DuckDB", "HangarTestSupport"], path: "Tests/HangarCLITests",
                    exclude: ["Fixtures"]),
        // The HTTP API against real `hangar serve` processes (depending on the CLI builds it first)
        // and the router in process.
        .testTarget(
            name: "HangarHTTPTests",
            dependencies: [
                "HangarHTTP", "HangarCLI", "HangarFlights", "HangarAccount", "HangarViews", "DuckDB", "HangarTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/HangarHTTPTests"
        ),
        .testTarget(
            name: "HangarMetricsTests",
            dependencies: ["HangarMetrics", "HangarFlights", "HangarAccount", "HangarTestSupport"],
            path: "Tests/HangarMetricsTests"
        ),
        // The REST kit against real local servers (in-test Hummingbird ones and GitHubReplay).
        .testTarget(
            name: "FlightKitTests",
            dependencies: [
                "FlightKit", "GitHubReplay", "HangarTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/FlightKitTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
