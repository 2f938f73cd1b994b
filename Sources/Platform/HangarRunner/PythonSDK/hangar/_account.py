"""The local account: its databases are ``<home>/databases/<name>.duckdb``, and DuckLake databases
recorded as ``<home>/databases/<name>.ducklake`` (a JSON descriptor: catalog, metadata_schema,
data_path; see the README's "DuckLake account databases")."""
import json
import os
import re

__all__ = ["home", "databases_folder", "database_path", "database_names", "find_database", "lake",
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
    if os.path.exists(os.path.join(databases_folder(), name + ".ducklake")):
        raise ValueError("%s is a DuckLake database, which has no file: connect with duckdb.connect('md:%s'), "
                         "or load with dlt_destination(%r)" % (name, name, name))
    return os.path.join(databases_folder(), name + ".duckdb")


def database_names():
    """The account's databases, sorted."""
    try:
        entries = os.listdir(databases_folder())
    except FileNotFoundError:
        return []
    names = set()
    for entry in entries:
        for suffix in (".duckdb", ".ducklake"):
            if entry.endswith(suffix) and not entry.startswith(".") and is_valid_name(entry[: -len(suffix)]):
                names.add(entry[: -len(suffix)])
    return sorted(names)


def lake(name):
    """The descriptor of DuckLake database ``name`` (a dict), or None when it is no lake."""
    try:
        with open(os.path.join(databases_folder(), name + ".ducklake")) as file:
            descriptor = json.load(file)
    except FileNotFoundError:
        return None
    except ValueError as error:
        raise ValueError("cannot read the DuckLake database descriptor of %s: %s" % (name, error))
    return descriptor if descriptor.get("type") == "ducklake" else None


def find_database(name):
    """The existing account database called ``name`` as it is spelled on disk (DuckDB's names are
    case-insensitive, file names are not), or None."""
    if not name or not is_valid_name(name):
        return None
    if any(os.path.exists(os.path.join(databases_folder(), name + suffix)) for suffix in (".duckdb", ".ducklake")):
        return name
    lowered = name.lower()
    for existing in database_names():
        if existing.lower() == lowered:
            return existing
    return None
