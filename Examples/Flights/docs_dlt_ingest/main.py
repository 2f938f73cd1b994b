import os

import dlt
import duckdb
import httpx

REPOS = [
    "duckdb/duckdb",
    "motherduckdb/motherduck-docs",
    "dlt-hub/dlt",
]

GITHUB_API_URL = os.environ.get("GITHUB_API_URL", "https://api.github.com")

def repo_rows():
    for repo in REPOS:
        response = httpx.get(
            f"{GITHUB_API_URL}/repos/{repo}",
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
