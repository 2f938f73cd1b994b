"""The local account: its databases are ``<home>/databases/<name>.duckdb``."""
import os
import re

__all__ = ["home", "databases_folder", "database_path", "database_names", "find_database",
           "is_valid_name", "STORAGE_VERSION", "RESERVED_NAMES"]

# The storage format Hangar's DuckDB (1.5) reads and writes. A newer duckdb module would create
# files only newer DuckDBs can open; once a file exists, every version keeps its format.
STORAGE_VERSION = "v1.0.0"

# Catalogs every DuckDB has; a database file may not take these names.
RESERVED_NAMES = frozenset(["memory", "system", "temp"])

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


def home():
    """The Hangar home of this run."""
    return os.environ.get("HANGAR_HOME") or os.path.join(os.path.expanduser("~"), ".hangar")


def databases_folder():
    return os.path.join(home(), "databases")


def is_valid_name(name):
    return bool(_NAME.match(name)) and name.lower() not in RESERVED_NAMES


def database_path(name):
    """The file of the account database ``name``; a value ending in ``.duckdb`` is a path."""
    if name.endswith(".duckdb"):
        return os.path.abspath(name)
    if not is_valid_name(name):
        raise ValueError("%r is not a database name: use letters, digits and underscores "
                         "(not memory, system or temp), or give a path ending in .duckdb" % name)
    return os.path.join(databases_folder(), name + ".duckdb")


def database_names():
    """The account's databases, sorted."""
    try:
        entries = os.listdir(databases_folder())
    except FileNotFoundError:
        return []
    return sorted(e[: -len(".duckdb")] for e in entries
                  if e.endswith(".duckdb") and not e.startswith(".") and is_valid_name(e[: -len(".duckdb")]))


def find_database(name):
    """The existing account database called ``name`` as it is spelled on disk (DuckDB's names are
    case-insensitive, file names are not), or None."""
    if not name or not is_valid_name(name):
        return None
    if os.path.exists(os.path.join(databases_folder(), name + ".duckdb")):
        return name
    lowered = name.lower()
    for existing in database_names():
        if existing.lower() == lowered:
            return existing
    return None
