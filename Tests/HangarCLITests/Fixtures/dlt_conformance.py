"""Loads JSON case files with dlt into local DuckDB files, as a user would, so that each result can be
compared with `hangar ingest` of the same file. Run with a Python that has dlt installed:

    python dlt_conformance.py --out DIR --dataset D CASE_FILE=TABLE ...

Each case loads into DIR/TABLE/dlt.duckdb (pipeline ingest_TABLE, parquet loader files), and
DIR/TABLE/dlt-result.json says whether dlt loaded it: {"loaded": true} or {"loaded": false, "error": ...}.
A case file holds a JSON array of objects or a single object. A case named CASE_FILE=TABLE:strings
loads the file with the integers of every key that holds one beyond 64 bits turned into their digits
as strings: dlt cannot load such integers at all, and this shows what it makes of the rest of the file."""
import argparse
import json
import os
import sys

# No telemetry: the comparison runs offline.
os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"

import dlt  # noqa: E402


def keys_beyond_64_bits(value, found):
    """The keys that hold an integer beyond 64 bits somewhere in `value`."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, int) and not isinstance(item, bool) and not -(2**63) <= item < 2**63:
                found.add(key)
            keys_beyond_64_bits(item, found)
    elif isinstance(value, list):
        for item in value:
            keys_beyond_64_bits(item, found)
    return found


def integers_as_strings(value, keys):
    """Every integer under one of `keys` as its digits: a column dlt sees as text throughout, where
    a mix of strings and integers would make it coerce the strings back to bigint and fail."""
    if isinstance(value, dict):
        return {
            key: str(item) if key in keys and isinstance(item, int) and not isinstance(item, bool)
            else integers_as_strings(item, keys)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [integers_as_strings(item, keys) for item in value]
    return value


def load(case_file, table, folder, dataset, stringify):
    with open(case_file, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, dict):
        data = [data]
    if stringify:
        data = integers_as_strings(data, keys_beyond_64_bits(data, set()))
    pipeline = dlt.pipeline(
        pipeline_name="ingest_" + table,
        destination=dlt.destinations.duckdb(os.path.join(folder, "dlt.duckdb")),
        dataset_name=dataset,
        pipelines_dir=os.path.join(folder, "dlt-pipelines"),
    )
    info = pipeline.run(data, table_name=table, loader_file_format="parquet")
    info.raise_on_failed_jobs()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the folder that gets one folder per case")
    parser.add_argument("--dataset", required=True)
    parser.add_argument("cases", nargs="+", help="CASE_FILE=TABLE or CASE_FILE=TABLE:strings")
    args = parser.parse_args()
    for case in args.cases:
        case_file, _, target = case.rpartition("=")
        table, _, mode = target.partition(":")
        folder = os.path.join(args.out, table)
        os.makedirs(folder, exist_ok=True)
        try:
            load(case_file, table, folder, args.dataset, stringify=mode == "strings")
            result = {"loaded": True}
        except Exception as error:  # dlt's PipelineStepFailed wraps the cause; its text names it
            result = {"loaded": False, "error": str(error)}
        with open(os.path.join(folder, "dlt-result.json"), "w", encoding="utf-8") as f:
            json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
