"""Every md: form a flight may use, on Hangar's local account (run as a Python flight)."""
import os
import threading

import duckdb

# Databases of this run's own (a test may run the script twice in one account).
PREFIX = os.environ.get("FORMS_PREFIX", "forms")

def check(label, condition, detail=""):
    print(("ok " if condition else "FAILED ") + label + (": %s" % (detail,) if detail and not condition else ""), flush=True)
    if not condition:
        raise SystemExit(1)

con = duckdb.connect("md:")
check("md: is a DuckDB connection", isinstance(con, duckdb.DuckDBPyConnection))
check("md: defaults to my_db", con.execute("SELECT current_database()").fetchone()[0] == "my_db")
con.execute("CREATE TABLE IF NOT EXISTS numbers AS SELECT range AS n FROM range(5)")

named = duckdb.connect("md:%s_named" % PREFIX)
check("md:NAME makes NAME current", named.execute("SELECT current_database()").fetchone()[0] == PREFIX + "_named")
named.execute("CREATE OR REPLACE TABLE t AS SELECT 42 AS answer")

prefixed = duckdb.connect("motherduck:%s_named?" % PREFIX + "motherduck_token=not-a-real-token&saas_mode=true&attach_mode=single")
check("motherduck:NAME?options", prefixed.execute("SELECT answer FROM t").fetchone()[0] == 42)

keyword = duckdb.connect(database="md:?motherduck_token=x", read_only=False,
                         config={"motherduck_token": "x", "saas_mode": True, "custom_user_agent": "flight/1.0"})
check("database= and config=", keyword.execute("SELECT count(*) FROM my_db.numbers").fetchone()[0] == 5)
check("three-part names across databases", keyword.execute("SELECT answer FROM %s_named.main.t" % PREFIX).fetchone()[0] == 42)

keyword.execute("CREATE DATABASE %s_created" % PREFIX)
keyword.execute("CREATE DATABASE IF NOT EXISTS %s_created" % PREFIX)
try:
    keyword.execute("CREATE DATABASE %s_created" % PREFIX)
    check("CREATE DATABASE of an existing database fails", False)
except duckdb.Error as error:
    check("CREATE DATABASE of an existing database fails", "already exists" in str(error), error)
shown = [row[0] for row in keyword.sql("SHOW DATABASES").fetchall()]
check("SHOW DATABASES lists the account", {"my_db", PREFIX + "_named", PREFIX + "_created"} <= set(shown), shown)
shown_all = [row[0] for row in keyword.execute("SHOW ALL DATABASES").fetchall()]
check("SHOW ALL DATABASES lists the account", {"my_db", PREFIX + "_named", PREFIX + "_created"} <= set(shown_all), shown_all)
keyword.execute("USE %s_created" % PREFIX)
keyword.execute("CREATE TABLE made_here (x INTEGER)")
check("USE switches the default", keyword.execute("SELECT current_database()").fetchone()[0] == PREFIX + "_created")
check("USE is followed", keyword.execute("SELECT count(*) FROM %s_created.main.made_here" % PREFIX).fetchone()[0] == 0)

relation = con.sql("SELECT n FROM my_db.numbers ORDER BY n")
other = duckdb.connect("md:%s_named" % PREFIX)
other.execute("INSERT INTO t VALUES (43)")
check("a relation runs when fetched", [r[0] for r in relation.fetchall()] == [0, 1, 2, 3, 4])

con.begin()
con.execute("INSERT INTO numbers VALUES (100)")
check("a transaction reads other databases", con.execute("SELECT count(*) FROM %s_named.t" % PREFIX).fetchone()[0] == 2)
con.execute("INSERT INTO numbers VALUES (101)")
con.rollback()
check("a transaction spans statements and rolls back",
      con.execute("SELECT (SELECT count(*) FROM numbers), (SELECT count(*) FROM %s_named.t)" % PREFIX).fetchone() == (5, 2))

cursor = con.cursor()
check("cursor() keeps the default", cursor.execute("SELECT count(*) FROM numbers").fetchone()[0] == 5)
with duckdb.connect("md:%s_named" % PREFIX) as scoped:
    check("duckdb.sql(..., connection=md)", duckdb.sql("SELECT max(answer) FROM t", connection=scoped).fetchone()[0] == 43)

errors = []
def worker(index):
    try:
        c = duckdb.connect("md:%s_named" % PREFIX)
        for i in range(20):
            c.execute("INSERT INTO t VALUES (?)", [1000 + index * 100 + i])
        c.close()
    except Exception as error:
        errors.append(error)
threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
check("threads share the account", not errors and other.execute("SELECT count(*) FROM t").fetchone()[0] == 82, errors)

try:
    duckdb.connect("md:bad-name")
    check("a bad database name fails", False)
except duckdb.Error as error:
    check("a bad database name fails", "is not a database name" in str(error), error)
plain = duckdb.connect(":memory:")
check("other databases are untouched", type(plain).__name__ == "DuckDBPyConnection" and plain.execute("SELECT 1").fetchone()[0] == 1)
print("all md: forms work", flush=True)
