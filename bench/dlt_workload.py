#!/usr/bin/env python3
"""Runs ONE `make bench` workload through dlt and prints a JSON line with what it loaded.

    dlt_workload.py WORKLOAD FILE --database DB.duckdb --pipelines-dir DIR
                    [--pipeline bench] [--dataset bench] [--table github_repo_stats] [--pages 10]

WORKLOAD is one of
  append       FILE's records appended (workload 4)
  merge        FILE's records merged on `id` (delete-insert, dlt's default; workloads 1 and 2)
  incremental  FILE's records yielded in --pages pages by a resource with
               dlt.sources.incremental("pushed_at"), appended (workload 3)

The file is JSON lines; records are parsed with orjson (dlt's own JSON library, the fastest one a
dlt user has at hand) and yielded as pages of dicts, as an API-backed resource would. Loader files
are parquet, as on the Hangar side. Run by HangarBench as a child process, which measures wall
time and peak RSS from outside; the process does nothing but the load.
"""
import argparse
import json
import os
import sys
import time

# No telemetry, no progress output: the benchmark measures the load alone.
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

import dlt  # noqa: E402
import orjson  # noqa: E402

PAGE_ROWS = 5_000


def pages_of(path, page_rows):
    """The file's records as lists of at most `page_rows` dicts, read lazily."""
    page = []
    with open(path, "rb") as lines:
        for line in lines:
            if line.strip():
                page.append(orjson.loads(line))
                if len(page) == page_rows:
                    yield page
                    page = []
    if page:
        yield page


def count_lines(path):
    with open(path, "rb") as lines:
        return sum(1 for line in lines if line.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=["append", "merge", "incremental"])
    parser.add_argument("file")
    parser.add_argument("--database", required=True)
    parser.add_argument("--pipelines-dir", required=True)
    parser.add_argument("--pipeline", default="bench")
    parser.add_argument("--dataset", default="bench")
    parser.add_argument("--table", default="github_repo_stats")
    parser.add_argument("--pages", type=int, default=10, help="pages for the incremental workload")
    args = parser.parse_args()

    pipeline = dlt.pipeline(
        pipeline_name=args.pipeline,
        destination=dlt.destinations.duckdb(credentials=os.path.abspath(args.database)),
        dataset_name=args.dataset,
        pipelines_dir=os.path.abspath(args.pipelines_dir),
        progress=None,
    )

    if args.workload == "incremental":
        total = count_lines(args.file)
        page_rows = max(1, -(-total // args.pages))  # ceil: exactly --pages pages

        @dlt.resource(name=args.table, table_name=args.table, write_disposition="append")
        def repos(pushed_at=dlt.sources.incremental("pushed_at")):
            yield from pages_of(args.file, page_rows)

        data, run_args = repos(), {}
    else:
        data = pages_of(args.file, PAGE_ROWS)
        run_args = {"table_name": args.table, "write_disposition": args.workload}
        if args.workload == "merge":
            run_args["primary_key"] = "id"

    start = time.perf_counter()
    info = pipeline.run(data, loader_file_format="parquet", **run_args)
    seconds = time.perf_counter() - start
    info.raise_on_failed_jobs()
    normalize = pipeline.last_trace.last_normalize_info
    row_counts = {table: count for table, count in normalize.row_counts.items() if not table.startswith("_dlt")}
    print(json.dumps({
        "workload": args.workload,
        "dlt_version": dlt.__version__,
        "load_ids": list(info.loads_ids),
        "row_counts": row_counts,
        "seconds": round(seconds, 3),
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
