import Foundation
import HangarAccount

/// `import hangar` in a Python flight: the account's databases by name and their inter-process
/// leases, the same `flock` on `<database>.lease` (with the holder written as JSON) that every
/// Hangar process takes, so a Python flight writing with dlt or duckdb never collides with the
/// scheduler, a SQL session or another flight.
///
///     import dlt, hangar
///     pipeline = dlt.pipeline("github", destination=hangar.dlt_destination("docs_playground"),
///                             dataset_name="flights_demo_dlt")
///     with hangar.database_lease("docs_playground"):
///         pipeline.run(data, table_name="repos", write_disposition="merge", primary_key="repo")
enum PythonHelperModule {
    static let source = #"""
    """Hangar's helpers for Python flights: the account's DuckDB databases and their leases."""
    import contextlib
    import datetime
    import fcntl
    import json
    import os
    import sys
    import time

    __all__ = ["home", "database_path", "database_lease", "dlt_destination", "report_load", "run_context"]


    def home():
        """The Hangar home of this run."""
        return os.environ.get("HANGAR_HOME") or os.path.join(os.path.expanduser("~"), ".hangar")


    def database_path(name):
        """The file of the account database `name` (created on first use by whoever opens it)."""
        if name.endswith(".duckdb"):
            return os.path.abspath(name)
        folder = os.path.join(home(), "databases")
        os.makedirs(folder, exist_ok=True)
        return os.path.join(folder, name + ".duckdb")


    def _holder_name():
        flight = os.environ.get("HANGAR_FLIGHT_NAME")
        run = os.environ.get("HANGAR_RUN_NUMBER")
        if flight and run:
            return "flight %s run %s" % (flight, run)
        return "python flight (pid %d)" % os.getpid()


    @contextlib.contextmanager
    def database_lease(name, timeout=600.0):
        """Holds the database's lease: DuckDB allows one writing process per file, so hold it
        around each unit of work (a pipeline.run, a few statements) and no longer."""
        path = database_path(name)
        lease = path + ".lease"
        fd = os.open(lease, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + timeout
            announced = False
            pause = 0.002
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not announced:
                        try:
                            with open(lease) as f:
                                holder = json.load(f)
                            who = "%s (pid %s)" % (holder.get("purpose"), holder.get("pid"))
                        except Exception:
                            who = "another process"
                        print("waiting for %s: held by %s" % (os.path.basename(path), who), file=sys.stderr, flush=True)
                        announced = True
                    if time.monotonic() > deadline:
                        raise TimeoutError("%s is busy; waited %s s" % (os.path.basename(path), timeout))
                    time.sleep(pause)
                    pause = min(pause * 2, 0.05)
            since = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps({"pid": os.getpid(), "purpose": _holder_name(), "since": since}).encode(), 0)
            try:
                _create_if_missing(path)
                yield path
            finally:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


    # The storage format Hangar's DuckDB (1.5) writes and reads. A newer duckdb module (PyPI's
    # 2.x, which `dlt[duckdb]` resolves to) would create a file only newer DuckDBs can open;
    # once a file exists, every version keeps its format.
    _STORAGE_VERSION = "v1.0.0"


    def _create_if_missing(path):
        """Creates a new account database in Hangar's storage format, under the lease, before
        the flight's own duckdb (or dlt) opens it."""
        if os.path.exists(path):
            return
        try:
            import duckdb
        except ImportError:
            return
        try:
            connection = duckdb.connect(path, config={"storage_compatibility_version": _STORAGE_VERSION})
        except duckdb.Error:
            if os.path.exists(path):
                raise
            # A duckdb older than the setting writes an older format, which Hangar reads.
            connection = duckdb.connect(path)
        connection.close()


    def dlt_destination(name):
        """dlt's duckdb destination writing into the account database `name`; run the pipeline
        inside `database_lease(name)`."""
        import dlt
        return dlt.destinations.duckdb(credentials=database_path(name))


    def report_load(pipeline, load_info=None):
        """Tells Hangar what a dlt pipeline run loaded (rows per table, load ids), recorded with
        this run for the dashboard, the API and the metrics. Call it after pipeline.run(...)."""
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
    """#

    /// Writes `hangar.py` into `<home>/sdk/python` (when it differs) and returns that folder,
    /// which goes on the run's PYTHONPATH.
    static func install(in home: HangarHome) throws -> URL {
        let folder = home.root.appendingPathComponent("sdk/python", isDirectory: true)
        let file = folder.appendingPathComponent("hangar.py")
        let wanted = Data(source.utf8)
        if (try? Data(contentsOf: file)) != wanted {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try wanted.write(to: file, options: .atomic)
        }
        return folder
    }
}
