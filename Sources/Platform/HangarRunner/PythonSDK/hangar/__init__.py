"""Hangar's helpers for Python flights: the account's DuckDB databases and their leases.

    import dlt, hangar
    pipeline = dlt.pipeline("github", destination=hangar.dlt_destination("docs_playground"),
                            dataset_name="flights_demo_dlt")
    with hangar.database_lease("docs_playground"):
        pipeline.run(data, table_name="repos", write_disposition="merge", primary_key="repo")

Without a MotherDuck token, ``duckdb.connect("md:")`` and dlt's ``motherduck`` destination reach
the same databases with no code of Hangar's in the flight (see ``hangar.motherduck``).
"""
import contextlib
import json
import os

from . import _account, _leases
from ._account import home, database_path
from ._leases import LeaseTimeout

__all__ = ["home", "database_path", "database_lease", "dlt_destination", "report_load", "run_context", "LeaseTimeout"]


@contextlib.contextmanager
def database_lease(name, timeout=None):
    """Holds the database's lease: DuckDB allows one writing process per file, so hold it around
    each unit of work (a pipeline.run, a few statements) and no longer. Re-entrant, and shared
    with this process's ``md:`` connections. A DuckLake database takes no lease (DuckLake commits
    concurrent writers itself): for one this holds nothing and yields None."""
    if _account.lake(name) is not None:
        yield None
        return
    path = database_path(name)
    _leases.acquire(path, timeout)
    try:
        _create_if_missing(path)
        yield path
    finally:
        _leases.release(path)


def _create_if_missing(path):
    """Creates a new account database in Hangar's storage format, under the lease, before the
    flight's own duckdb (or dlt) opens it."""
    if os.path.exists(path):
        return
    try:
        import duckdb
    except ImportError:
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        connection = duckdb.connect(path, config={"storage_compatibility_version": _account.STORAGE_VERSION})
    except duckdb.Error:
        if os.path.exists(path):
            raise
        # A duckdb older than the setting writes an older format, which Hangar reads.
        connection = duckdb.connect(path)
    connection.close()


def dlt_destination(name):
    """dlt's duckdb destination writing into the account database ``name``; run the pipeline
    inside ``database_lease(name)``. For a DuckLake database it is dlt's ``motherduck``
    destination on ``md:<name>``, which the local account attaches as a lake."""
    import dlt
    if _account.lake(name) is not None:
        from . import motherduck
        motherduck.install()
        return dlt.destinations.motherduck(credentials="md:" + name)
    return dlt.destinations.duckdb(credentials=database_path(name))


def report_load(pipeline, load_info=None):
    """Tells Hangar what a dlt pipeline run loaded (rows per table, load ids), recorded with this
    run for the dashboard, the API and the metrics. Call it after pipeline.run(...)."""
    path = os.environ.get("HANGAR_LOAD_INFO_FILE")
    if not path:
        return
    rows = {}
    try:
        counts = pipeline.last_trace.last_normalize_info.row_counts
        rows = {str(table): int(count) for table, count in counts.items() if not str(table).startswith("_dlt")}
    except Exception:
        pass
    report = {
        "pipeline": str(getattr(pipeline, "pipeline_name", "") or ""),
        "dataset": str(getattr(pipeline, "dataset_name", "") or ""),
        "rows": rows,
        "load_ids": [str(i) for i in (getattr(load_info, "loads_ids", None) or [])],
    }
    line = (json.dumps(report, sort_keys=True) + "\n").encode()
    # One write with O_APPEND: reports of several pipelines never interleave.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def run_context():
    """Which flight and run this is."""
    return {
        "flight_id": os.environ.get("HANGAR_FLIGHT_ID"),
        "flight_name": os.environ.get("HANGAR_FLIGHT_NAME"),
        "run_id": os.environ.get("HANGAR_RUN_ID"),
        "run_number": int(os.environ["HANGAR_RUN_NUMBER"]) if os.environ.get("HANGAR_RUN_NUMBER") else None,
        "is_scheduled": os.environ.get("HANGAR_IS_SCHEDULED") == "true",
    }
