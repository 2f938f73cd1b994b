"""dlt's motherduck destination on Hangar's local account, with its database named three ways
(run as a Python flight): merge, parquet loader files, schema evolution, state restored from the
destination."""
import os
import shutil

import dlt
import duckdb


def check(label, condition, detail=""):
    print(("ok " if condition else "FAILED ") + label + (": %s" % (detail,) if detail and not condition else ""), flush=True)
    if not condition:
        raise SystemExit(1)


def repos(generation):
    rows = [{"repo": "duckdb/duckdb", "stars": 100 + generation, "pushed_at": "2026-11-2%dT09:00:00Z" % generation},
            {"repo": "dlt-hub/dlt", "stars": 50, "pushed_at": "2026-11-20T08:00:00Z"}]
    if generation > 0:
        # A new column and a new repository: schema evolution and a merge that inserts.
        rows[0]["topics"] = ["sql", "olap"]
        rows.append({"repo": "motherduckdb/motherduck-docs", "stars": 5, "pushed_at": "2026-11-2%dT10:00:00Z" % generation,
                     "license": "MIT"})
    return rows


@dlt.resource(name="events", write_disposition="append")
def events(cursor=dlt.sources.incremental("id", initial_value=0)):
    for i in range(1, 7):
        if i > cursor.start_value:
            yield {"id": i, "kind": "push"}


def load(label, destination, database):
    pipeline_name = "md_" + label
    for generation in (0, 1):
        pipeline = dlt.pipeline(pipeline_name=pipeline_name, destination=destination, dataset_name="stats")
        info = pipeline.run(repos(generation), table_name="repos", write_disposition="merge", primary_key="repo",
                            loader_file_format="parquet")
        check("%s: generation %d loaded" % (label, generation), not info.has_failed_jobs)
        check("%s: LoadInfo names the local account" % label,
              "Hangar's local account" in str(info) and database + ".duckdb" in str(info), str(info))
    files = [job.file_path for package in info.load_packages for job in package.jobs["completed_jobs"]]
    check("%s: parquet loader files" % label, any(path.endswith(".parquet") for path in files), files)

    pipeline.run(events())
    # The local state goes; the next run restores it from the destination.
    shutil.rmtree(pipeline.working_dir)
    pipeline = dlt.pipeline(pipeline_name=pipeline_name, destination=destination, dataset_name="stats")
    pipeline.run(events())

    con = duckdb.connect("md:" + database)
    rows = con.execute("SELECT repo, stars, license FROM stats.repos ORDER BY repo").fetchall()
    check("%s: merged one row per key" % label, [r[0] for r in rows] == ["dlt-hub/dlt", "duckdb/duckdb", "motherduckdb/motherduck-docs"], rows)
    check("%s: merged values" % label, rows[1][1] == 101 and rows[2][2] == "MIT", rows)
    topics = con.execute("SELECT count(*) FROM stats.repos__topics").fetchone()[0]
    check("%s: nested list as a child table" % label, topics == 2, topics)
    count = con.execute("SELECT count(*), count(DISTINCT id) FROM stats.events").fetchone()
    check("%s: state restored from the destination (no event twice)" % label, count == (6, 6), count)
    loads = con.execute("SELECT count(*) FROM stats._dlt_loads").fetchone()[0]
    # Two merges and the first events run; the restored run had nothing new to load.
    check("%s: three loads recorded" % label, loads == 3, loads)
    con.close()


# 1. The guide's way: the database in DESTINATION__MOTHERDUCK__CREDENTIALS__DATABASE.
os.environ["DESTINATION__MOTHERDUCK__CREDENTIALS__DATABASE"] = "dlt_env_db"
load("env", "motherduck", "dlt_env_db")
del os.environ["DESTINATION__MOTHERDUCK__CREDENTIALS__DATABASE"]

# 2. A connection string, as the destination factory's credentials (a token in it is ignored).
load("factory", dlt.destinations.motherduck("md:dlt_factory_db?motherduck_token=not-a-real-token"), "dlt_factory_db")

# 3. The whole connection string in DESTINATION__MOTHERDUCK__CREDENTIALS.
os.environ["DESTINATION__MOTHERDUCK__CREDENTIALS"] = "md:dlt_string_db"
load("string", "motherduck", "dlt_string_db")
del os.environ["DESTINATION__MOTHERDUCK__CREDENTIALS"]

# Nothing set: dlt's default database, my_db.
load("default", "motherduck", "my_db")
print("dlt's motherduck destination works", flush=True)
