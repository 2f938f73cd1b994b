import Foundation
import HangarTestSupport
import Testing

/// The guide's flight (`guide-run-dlt-ingest-pipeline.md`) as its users paste it into Hangar, and
/// a requirement that does not exist, run end to end by real supervisors in real Python
/// environments (uv, this machine's package index).
struct GuideFlightTests {
    /// The guide's `requirements_txt`, verbatim.
    static let requirements = """
        duckdb==1.5.3
        dlt[motherduck]==1.27.0
        httpx==0.28.1
        """

    /// The guide's source code between `$flight$` markers, verbatim: its rendering lost the
    /// import lines.
    static let pastedSource = #"""
        REPOS = [
            "duckdb/duckdb",
            "motherduckdb/motherduck-docs",
            "dlt-hub/dlt",
        ]

        def repo_rows():
            for repo in REPOS:
                response = httpx.get(
                    f"https://api.github.com/repos/{repo}",
                    timeout=30,
                    headers={"Accept": "application/vnd.github+json"},
                )
                response.raise_for_status()
                payload = response.json()
                yield {
                    "repo": repo,
                    "stars": payload.get("stargazers_count"),
                    "forks": payload.get("forks_count"),
                    "open_issues": payload.get("open_issues_count"),
                    "default_branch": payload.get("default_branch"),
                    "pushed_at": payload.get("pushed_at"),
                    "loaded_at": payload.get("updated_at"),
                }

        def main():
            os.environ.setdefault("HOME", "/tmp")
            os.environ["DESTINATION__MOTHERDUCK__CREDENTIALS__DATABASE"] = "docs_playground"

            pipeline = dlt.pipeline(
                pipeline_name="flights_github_repo_stats",
                destination="motherduck",
                dataset_name="flights_demo_dlt",
            )
            load_info = pipeline.run(
                repo_rows(),
                table_name="github_repo_stats",
                write_disposition="merge",
                primary_key="repo",
                loader_file_format="parquet",
            )

            con = duckdb.connect("md:")
            con.execute("CREATE SCHEMA IF NOT EXISTS docs_playground.flights_demo")
            con.execute("""
                CREATE TABLE IF NOT EXISTS docs_playground.flights_demo.dlt_ingest_runs (
                    run_at TIMESTAMPTZ,
                    pipeline_name VARCHAR,
                    destination_dataset VARCHAR,
                    load_summary VARCHAR
                )
            """)
            con.execute(
                """
                INSERT INTO docs_playground.flights_demo.dlt_ingest_runs
                VALUES (current_timestamp, ?, ?, ?)
                """,
                ["flights_github_repo_stats", "flights_demo_dlt", str(load_info)],
            )
            print(load_info)

        if __name__ == "__main__":
            main()
        """#

    /// The same code with the lost imports restored and nothing else changed.
    static let restoredSource = "import os\n\nimport dlt\nimport duckdb\nimport httpx\n\n" + pastedSource

    /// With the imports restored, the run installs the pinned requirements and gets as far as
    /// the hosted service would without a network: dlt's MotherDuck destination cannot connect
    /// (here before the GitHub call, as `pipeline.run` first syncs with the destination). The
    /// account's token reaches the program (dlt would otherwise stop at its missing
    /// credentials) and never the log. Pasted as the guide shows it, the same flight dies of
    /// Python's NameError, and the log names the import to add.
    @Test(.timeLimit(.minutes(5)), .enabled(if: Network.cannotResolve("extensions.duckdb.org") && Network.cannotResolve("api.github.com"),
                                            "expects a machine without network access, like a hosted flight cut off from GitHub and MotherDuck"))
    func theGuidesFlightInstallsItsRequirementsAndFailsOnlyOffline() throws {
        // A home of its own: this run must make the environment (other tests share theirs).
        let home = try FlightsTestHome()
        let requirements = try home.file("guide-requirements.txt", Self.requirements)
        try home.createFlight("docs_dlt_ingest", source: Self.restoredSource, "--requirements", requirements)
        try home.createFlight("docs_dlt_ingest_pasted", source: Self.pastedSource, "--requirements", requirements)

        // The account's token comes from Hangar's environment (the supervisor inherits it from
        // the command that starts the run); the value is fake, since nothing here is online.
        let token = "md-fake-token-\(UUID().uuidString)"
        let run = try HangarProcess.run(["run", "docs_dlt_ingest", "--wait", "--json", "--home", home.home],
                                        environment: ["MOTHERDUCK_TOKEN": token])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let finished = try JSONOutput.object(run.stdout)
        #expect(finished["status"] as? String == "RUN_STATUS_FAILED")
        #expect(finished["failure_reason"] as? String == "exit_code", "\(finished)")
        #expect(finished["exit_code"] as? Int == 1)

        let log = try home.hangar("logs", "docs_dlt_ingest", "1").stdout
        // This run made the environment, from the pinned requirements.
        #expect(log.contains("creating the Python environment"), "\(log)")
        for (name, version) in [("duckdb", "1.5.3"), ("dlt", "1.27.0"), ("httpx", "0.28.1")] {
            // uv lists "+ dlt==1.27.0"; pip, when uv cannot be had, "Successfully installed … dlt-1.27.0 …".
            let installed = log.contains("+ \(name)==\(version)\n")
                || log.split(separator: "\n").contains { $0.hasPrefix("Successfully installed ") && $0.contains(" \(name)-\(version)") }
            #expect(installed, "\(name) \(version) was not installed: \(log)")
        }
        #expect(log.contains("[hangar] Python environment ready ("), "\(log)")
        // The script itself failed, reaching out to MotherDuck, for want of a network.
        #expect(log.contains("dlt.pipeline.exceptions.PipelineStepFailed"), "\(log)")
        #expect(log.contains("dlt.destinations.exceptions.DestinationConnectionError"), "\(log)")
        #expect(["Could not establish connection", "Temporary failure in name resolution", "Name or service not known", "ConnectError"]
            .contains { log.contains($0) }, "not a network error: \(log)")
        for early in ["NameError", "ModuleNotFoundError", "ImportError", "ConfigFieldMissingException", "install_failure"] {
            #expect(!log.contains(early), "failed earlier than the hosted service would (\(early)): \(log)")
        }
        // The token never appears, whatever a user asks to see, even when a flight prints it.
        try home.createFlight("token_echo", source: "import os\nprint('token:', os.environ.get('MOTHERDUCK_TOKEN'), flush=True)\n")
        let echoed = try HangarProcess.run(["run", "token_echo", "--follow", "--home", home.home], environment: ["MOTHERDUCK_TOKEN": token])
        #expect(echoed.status == 0, "\(echoed.stdout)\(echoed.stderr)")
        #expect(echoed.stdout.contains("token: ***\n"), "\(echoed.stdout)")
        let outputs = try [run, echoed] + [
            ["logs", "docs_dlt_ingest", "1", "--json"], ["run-info", "docs_dlt_ingest", "1", "--json"], ["runs", "docs_dlt_ingest", "--json"],
            ["logs", "token_echo", "1"], ["logs", "token_echo", "1", "--json"],
        ].map { try HangarProcess.run($0 + ["--home", home.home]) }
        #expect(!log.contains(token))
        for output in outputs {
            #expect(!output.stdout.contains(token) && !output.stderr.contains(token), "\(output.stdout)\(output.stderr)")
        }

        // Pasted without its imports: Python's NameError and the import to add.
        let pasted = try home.hangar("run", "docs_dlt_ingest_pasted", "--wait", "--json")
        #expect(pasted.status == 1, "\(pasted.stderr)")
        let pastedRun = try JSONOutput.object(pasted.stdout)
        #expect(pastedRun["status"] as? String == "RUN_STATUS_FAILED")
        #expect(pastedRun["failure_reason"] as? String == "exit_code")
        let pastedLog = try home.hangar("logs", "docs_dlt_ingest_pasted", "1").stdout
        #expect(pastedLog.contains("[hangar] reusing the Python environment for these requirements"), "\(pastedLog)")
        #expect(pastedLog.contains("NameError: name 'os' is not defined"), "\(pastedLog)")
        #expect(pastedLog.contains("[hangar] hint: add \"import os\" at the top of the script (the guide's code lost its import lines)\n"), "\(pastedLog)")
    }

    /// A requirement the package index does not have fails the run before the program starts,
    /// as an install failure, with the installer's own explanation in the log.
    @Test(.timeLimit(.minutes(5)))
    func aRequirementThatDoesNotExistFailsTheRunAsAnInstallFailure() throws {
        let home = try FlightsTestHome.shared("python-flights")
        let requirements = try home.file("missing-requirements.txt", "hangar-no-such-package-xyz==1.0\n")
        try home.createFlight("no_such_package", source: "print('never printed')\n", "--requirements", requirements)

        let run = try home.hangar("run", "no_such_package", "--wait")
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let info = try JSONOutput.object(try home.hangar("run-info", "no_such_package", "1", "--json").stdout)
        #expect(info["status"] as? String == "RUN_STATUS_FAILED")
        #expect(info["failure_reason"] as? String == "install_failure", "\(info)")
        #expect(info["exit_code"] is NSNull, "no program ran: \(info)")
        #expect(info["started_at"] is NSNull, "\(info)")
        #expect((info["failure_detail"] as? String)?.contains("pip install failed") == true, "\(info)")

        let log = try home.hangar("logs", "no_such_package", "1").stdout
        // The installer's own message (uv's, or pip's when uv cannot be had), naming the package.
        #expect(log.contains("pip install failed (exited with code 1)"), "\(log)")
        #expect(log.contains("hangar-no-such-package-xyz was not found in the package registry")
                    || log.contains("No matching distribution found for hangar-no-such-package-xyz==1.0"), "\(log)")
        #expect(!log.contains("never printed"))
    }
}

/// Whether this machine can look names up: the guide's flight fails the way a hosted flight
/// would only when it cannot reach GitHub or MotherDuck.
enum Network {
    static func cannotResolve(_ host: String) -> Bool {
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, "443", nil, &result)
        if let result { freeaddrinfo(result) }
        return status != 0
    }
}
