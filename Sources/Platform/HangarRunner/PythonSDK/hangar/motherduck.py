"""MotherDuck's ``md:`` connections and dlt's ``motherduck`` destination on Hangar's local account.

Installed in every Python run when no MotherDuck token is configured. ``duckdb.connect("md:…")``
(or ``motherduck:…``, with or without ``?options``) returns a connection of one in-memory DuckDB
per process on which every account database (``<home>/databases/<name>.duckdb``) is reachable by
its name. ``md:NAME`` makes NAME the default database; bare ``md:`` makes it ``my_db``, as
MotherDuck does. A database that does not exist yet is created in the account.

Account databases are attached for each statement, under their inter-process leases, and
detached afterwards, as ``hangar sql`` does: a flight never keeps a database from the scheduler,
a SQL session or another flight between its statements. They stay attached while an explicit
transaction is open, and while a relation made from a statement (``con.sql("SELECT …")``) is
alive, since DuckDB runs a relation only when it is fetched.

dlt's ``motherduck`` destination resolves without a token and connects through the same path,
so its state, merges, parquet loader files and schema evolution all land in the account.
"""
import os
import sys
import threading
import urllib.parse
import weakref

from . import _account, _leases
from ._import_hooks import when_imported

__all__ = ["install", "is_motherduck_path", "parse_motherduck_path", "DEFAULT_DATABASE"]

DEFAULT_DATABASE = "my_db"

# Options only MotherDuck's extension understands; plain DuckDB refuses them.
_MOTHERDUCK_OPTIONS = frozenset([
    "token", "motherduck_token", "saas_mode", "attach_mode", "session_name", "dbinstance_inactivity_ttl",
    "connection_timeout", "custom_user_agent", "access_mode",
])

_TRANSACTION_ENDS = frozenset(["COMMIT", "END", "ROLLBACK", "ABORT"])

# Statements whose result DuckDB computes whole before execute() returns. Any other statement
# (SELECT, FROM, WITH, SHOW, …) may leave a streaming result that keeps its databases open.
_COMPLETE_RESULTS = frozenset([
    "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "COPY", "SET", "RESET", "USE", "BEGIN", "START",
    "COMMIT", "END", "ROLLBACK", "ABORT", "CHECKPOINT", "FORCE", "ATTACH", "DETACH", "INSTALL", "LOAD",
    "TRUNCATE", "COMMENT", "VACUUM", "ANALYZE", "EXPORT", "IMPORT", "MERGE", "PREPARE", "DEALLOCATE",
])

# Fetches that read a result to its end, and those that read part of it (the result is done
# once one of them comes back empty).
_WHOLE_FETCHES = frozenset([
    "fetchall", "fetchdf", "fetch_df", "df", "fetchnumpy", "arrow", "fetch_arrow_table", "to_arrow_table", "pl",
    "torch", "tf",
])
_FETCHES = _WHOLE_FETCHES | {"fetchone", "fetchmany", "fetch_df_chunk"}


def is_motherduck_path(database):
    return isinstance(database, str) and database.lower().startswith(("md:", "motherduck:"))


def parse_motherduck_path(database):
    """``md:NAME?k=v`` → (NAME or None, {k: v})."""
    rest = database.split(":", 1)[1]
    path, _, query = rest.partition("?")
    name = path.strip("/")
    options = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    return (name or None), options


def _s3_secret(name, descriptor):
    """A temporary DuckDB secret for a lake on S3, scoped to its data path: the descriptor's
    ``s3`` settings, and what they leave open from the AWS variables of this process's environment
    (as Hangar's own processes do)."""
    store = dict(descriptor.get("s3") or {})
    env = lambda *names: next((os.environ[n] for n in names if os.environ.get(n)), None)
    key_id = store.get("key_id") or env("AWS_ACCESS_KEY_ID")
    secret = store.get("secret") or env("AWS_SECRET_ACCESS_KEY")
    token = store.get("session_token") or (env("AWS_SESSION_TOKEN") if not store.get("key_id") else None)
    region = store.get("region") or env("AWS_REGION", "AWS_DEFAULT_REGION")
    endpoint = store.get("endpoint") or env("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
    use_ssl, url_style = store.get("use_ssl"), store.get("url_style")
    if endpoint and "://" in endpoint:
        if use_ssl is None:
            use_ssl = endpoint.lower().startswith("https")
        endpoint = endpoint.split("://", 1)[1].strip("/")
        url_style = url_style or "path"
    if not (key_id or endpoint or region):
        return None
    options = ["TYPE s3", "SCOPE %s" % _quote_literal(descriptor["data_path"])]
    for option, value in (("KEY_ID", key_id), ("SECRET", secret), ("SESSION_TOKEN", token), ("REGION", region),
                          ("ENDPOINT", endpoint), ("URL_STYLE", url_style)):
        if value:
            options.append("%s %s" % (option, _quote_literal(value)))
    if use_ssl is not None:
        options.append("USE_SSL %s" % ("true" if use_ssl else "false"))
    return "CREATE OR REPLACE TEMPORARY SECRET %s (%s)" % (_quote_identifier("hangar_lake_" + name), ", ".join(options))


def _log(message):
    print("hangar: " + message, file=sys.stderr, flush=True)


def _quote_identifier(name):
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text):
    return "'" + text.replace("'", "''") + "'"


class _Statement:
    """One statement of a query text, read with DuckDB's own tokenizer."""
    __slots__ = ("text", "words", "identifiers", "strings")

    def __init__(self, text, words, identifiers, strings):
        self.text = text
        self.words = words                # upper-cased keywords and identifiers, in order
        self.identifiers = identifiers    # identifier values, unquoted
        self.strings = strings            # string constants, unquoted

    @property
    def first(self):
        return self.words[0] if self.words else ""


def _statements(duckdb, text):
    """Splits ``text`` into statements at top-level semicolons and reads each one's words."""
    try:
        tokens = duckdb.tokenize(text)
    except Exception:
        return [_Statement(text, [], [], [])]
    kinds = duckdb.token_type
    statements = []
    start = 0
    words, identifiers, strings = [], [], []
    for index, (position, kind) in enumerate(tokens):
        end = tokens[index + 1][0] if index + 1 < len(tokens) else len(text)
        value = text[position:end].strip()
        if kind == kinds.operator and value.startswith(";"):
            if words:
                statements.append(_Statement(text[start:position], words, identifiers, strings))
            start = position + 1
            words, identifiers, strings = [], [], []
            continue
        if kind == kinds.comment:
            continue
        if kind == kinds.identifier:
            if value.startswith('"') and value.endswith('"') and len(value) >= 2:
                value = value[1:-1].replace('""', '"')
            identifiers.append(value)
            words.append(value.upper())
        elif kind == kinds.keyword:
            words.append(value.upper())
        elif kind == kinds.string_const:
            if value.startswith("'") and value.endswith("'") and len(value) >= 2:
                value = value[1:-1].replace("''", "'")
            strings.append(value)
    if words:
        statements.append(_Statement(text[start:], words, identifiers, strings))
    return statements


def _string_parameters(args, kwargs):
    """The string values among a statement's parameters (a list, a tuple or a dict of them)."""
    found = []
    for value in list(args[:1]) + [kwargs.get("parameters"), kwargs.get("params")]:
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, (list, tuple)):
            found.extend(v for v in value if isinstance(v, str) and len(v) <= 128)
    return found


class _AccountStatement:
    """A MotherDuck statement plain DuckDB does not parse, parsed from its words."""

    def __init__(self, action, name=None, if_exists=False, or_replace=False, source=None):
        self.action = action
        self.name = name
        self.if_exists = if_exists
        self.or_replace = or_replace
        self.source = source

    @classmethod
    def read(cls, statement):
        words, identifiers = statement.words, statement.identifiers
        if words[:1] == ["SHOW"] and words[1:] in (["DATABASES"], ["ALL", "DATABASES"]):
            return cls("show")
        if words[:1] == ["CREATE"]:
            rest = words[1:]
            or_replace = rest[:2] == ["OR", "REPLACE"]
            if or_replace:
                rest = rest[2:]
            if rest[:1] != ["DATABASE"]:
                return None
            rest = rest[1:]
            if_not_exists = rest[:3] == ["IF", "NOT", "EXISTS"]
            if if_not_exists:
                rest = rest[3:]
            names = cls._names(statement, len(words) - len(rest))
            if not names:
                raise _invalid("CREATE DATABASE needs a name: CREATE DATABASE [IF NOT EXISTS] my_database")
            source = None
            if len(rest) >= 3 and rest[1] == "FROM":
                source = names[1] if len(names) > 1 else None
            return cls("create", names[0], if_not_exists, or_replace, source)
        if words[:2] == ["DROP", "DATABASE"]:
            rest = words[2:]
            if_exists = rest[:2] == ["IF", "EXISTS"]
            names = cls._names(statement, 4 if if_exists else 2)
            if not names:
                raise _invalid("DROP DATABASE needs a name: DROP DATABASE [IF EXISTS] my_database")
            return cls("drop", names[0], if_exists)
        return None

    @staticmethod
    def _names(statement, skip):
        """The words after the first ``skip`` as they were written (identifiers keep their case)."""
        spelled = {identifier.upper(): identifier for identifier in statement.identifiers}
        return [spelled.get(word, word.lower()) for word in statement.words[skip:] if word not in ("FROM",)]


_duckdb = None


def _invalid(message):
    return _duckdb.InvalidInputException(message)


class LocalAccount:
    """The account as one process sees it: a hub DuckDB in memory and, at any moment, the account
    databases some statement of the process needs, attached by name under their leases."""

    def __init__(self, duckdb, connect):
        self.duckdb = duckdb
        self._connect = connect
        self.hub = connect(":memory:")
        # Per attached lake, the connection holding its gate shared (see _enter_lake_gate).
        self._lake_gates = {}
        self._lock = threading.RLock()
        self._holds = {}
        # Detached databases whose file DuckDB still has open (a result not yet dropped keeps
        # it): their leases are kept until the file is closed, checked again by a thread.
        self._lingering = {}
        self._lingering_wake = threading.Condition(self._lock)
        self._reaper = None

    def _on_hub(self, statement, parameters=None):
        """Runs a statement of the account's own on the hub connection, read to its end (a
        result left open would keep files open)."""
        if parameters is None:
            return self.hub.execute(statement).fetchall()
        return self.hub.execute(statement, parameters).fetchall()

    # -- databases ---------------------------------------------------------------------------

    def hold(self, names, create=()):
        """Attaches ``names`` (creating those in ``create`` that do not exist) and counts a hold on
        each; returns the names held, for ``release``. Leases are taken in name (path) order."""
        held = []
        with self._lock:
            try:
                for name in sorted(set(names)):
                    if name in self._holds:
                        self._holds[name] += 1
                    else:
                        self._attach(name, create=name in create)
                        self._holds[name] = 1
                    held.append(name)
            except BaseException:
                self.release(held)
                raise
        return held

    def release(self, names):
        with self._lock:
            for name in names:
                count = self._holds.get(name, 0) - 1
                if count > 0:
                    self._holds[name] = count
                    continue
                self._holds.pop(name, None)
                self._detach(name)

    def _attach(self, name, create):
        descriptor = _account.lake(name)
        if descriptor is not None:
            self._attach_lake(name, descriptor)
            return
        path = _account.database_path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if name not in self._lingering:
            _leases.acquire(path)
        try:
            is_new = not os.path.exists(path)
            if is_new and not create:
                raise self.duckdb.CatalogException(
                    'Catalog Error: database "%s" does not exist in the account; create it with CREATE DATABASE %s '
                    "(SHOW DATABASES lists the account's databases)" % (name, name))
            statement = "ATTACH %s AS %s" % (_quote_literal(path), _quote_identifier(name))
            if is_new:
                try:
                    self._on_hub(statement + " (STORAGE_VERSION '%s')" % _account.STORAGE_VERSION)
                except self.duckdb.Error:
                    if os.path.exists(path):
                        raise
                    # A duckdb older than the option writes an older format, which Hangar reads.
                    self._on_hub(statement)
                _log("created the account database %s (%s)" % (name, path))
            else:
                try:
                    self._on_hub(statement)
                except self.duckdb.BinderException as error:
                    if "Unique file handle conflict" not in str(error):
                        raise
                    raise self.duckdb.InvalidInputException(
                        "%s is still in use by a result of an earlier statement of this flight; fetch that result "
                        "(or close its connection) before using %s again" % (name, name)) from None
            self._lingering.pop(name, None)
        except BaseException:
            if name not in self._lingering:
                _leases.release(path)
            raise

    def _attach_lake(self, name, descriptor):
        """A DuckLake database: attached without a lease (DuckLake takes concurrent writers), its
        extensions loaded from Hangar's provisioned folder rather than downloaded. While it is
        attached, this process is one of the lake's writers: the lake's maintenance waits."""
        self._on_hub("SET autoinstall_known_extensions = false")
        on_s3 = descriptor["data_path"].lower().startswith(("s3://", "s3a://"))
        for extension in ("ducklake", "postgres_scanner") + (("httpfs",) if on_s3 else ()):
            self._load_extension(self._on_hub, name, extension)
        if on_s3:
            secret = _s3_secret(name, descriptor)
            if secret:
                self._on_hub(secret)
        self._enter_lake_gate(name, descriptor)
        try:
            self._on_hub("ATTACH %s AS %s (DATA_PATH %s, METADATA_SCHEMA %s)" % (
                _quote_literal("ducklake:postgres:" + descriptor["catalog"]), _quote_identifier(name),
                _quote_literal(descriptor["data_path"]), _quote_literal(descriptor["metadata_schema"])))
        except BaseException:
            self._leave_lake_gate(name)
            raise

    def _load_extension(self, run, name, extension):
        if run("SELECT count(*) FROM duckdb_extensions() WHERE loaded AND extension_name = ?", [extension])[0][0]:
            return
        folder = os.environ.get("HANGAR_DUCKDB_EXTENSIONS") or ""
        path = os.path.join(folder, extension + ".duckdb_extension")
        if not folder or not os.path.exists(path):
            raise self.duckdb.IOException(
                "DuckLake database %s needs DuckDB's %s extension, which is not provisioned (looked in %s); run make setup"
                % (name, extension, folder or "HANGAR_DUCKDB_EXTENSIONS, unset"))
        run("LOAD %s" % _quote_literal(path))

    def _enter_lake_gate(self, name, descriptor):
        """Holds the lake's advisory lock shared, as Hangar's own loads do, in a PostgreSQL
        transaction of its own that lasts until the lake is detached or this process ends."""
        gate = self._connect(":memory:")
        run = lambda statement, parameters=None: gate.execute(statement, parameters or []).fetchall()
        run("SET autoinstall_known_extensions = false")
        self._load_extension(run, name, "postgres_scanner")
        run("ATTACH %s AS gate (TYPE postgres)" % _quote_literal(descriptor["catalog"]))
        run("BEGIN")
        run("CALL postgres_execute('gate', 'SET LOCAL idle_in_transaction_session_timeout = 0')")
        key = "hashtext('hangar_lake'), hashtext('%s')" % descriptor["metadata_schema"].replace("'", "''")
        held = run("SELECT * FROM postgres_query('gate', %s)" % _quote_literal(
            "SELECT pg_try_advisory_xact_lock_shared(%s)::text" % key))[0][0]
        if held != "true":
            _log("waiting for the maintenance of the DuckLake database %s to finish" % name)
            run("SELECT * FROM postgres_query('gate', %s)" % _quote_literal("SELECT pg_advisory_xact_lock_shared(%s)::text" % key))
        self._lake_gates[name] = gate

    def _leave_lake_gate(self, name):
        gate = self._lake_gates.pop(name, None)
        if gate is not None:
            try:
                gate.execute("ROLLBACK")
                gate.close()
            except self.duckdb.Error:
                pass

    def _detach(self, name):
        if _account.lake(name) is not None:
            try:
                self._on_hub("DETACH %s" % _quote_identifier(name))
            except self.duckdb.Error as error:
                _log("keeping %s attached until this process ends: %s" % (name, error))
                return
            self._leave_lake_gate(name)
            return
        path = _account.database_path(name)
        try:
            self._on_hub("DETACH %s" % _quote_identifier(name))
        except self.duckdb.Error as error:
            _log("keeping %s attached until this process ends: %s" % (name, error))
            return
        if self._file_is_closed(path):
            _leases.release(path)
        else:
            self._lingering[name] = path
            self._start_reaper()

    def _file_is_closed(self, path):
        """Whether DuckDB has let go of the file: a result or relation still alive keeps a
        detached database open, and with it DuckDB's own lock, which another process must not
        meet. Attaching it once more under another name tells."""
        probe = _quote_identifier("__hangar_probe")
        try:
            self._on_hub("ATTACH %s AS %s (READ_ONLY)" % (_quote_literal(path), probe))
        except self.duckdb.Error:
            return False
        self._on_hub("DETACH %s" % probe)
        return True

    def _start_reaper(self):
        if self._reaper is None:
            self._reaper = threading.Thread(target=self._reap, name="hangar-md-leases", daemon=True)
            self._reaper.start()
        self._lingering_wake.notify()

    def _reap(self):
        with self._lock:
            while True:
                while not self._lingering:
                    self._lingering_wake.wait()
                for name, path in list(self._lingering.items()):
                    if name not in self._holds and self._file_is_closed(path):
                        del self._lingering[name]
                        _leases.release(path)
                self._lingering_wake.wait(0.05)

    @staticmethod
    def names_for(statement, default, parameters=()):
        """The account databases ``statement`` needs: its connection's default database and every
        account database it names, as an identifier (``docs_playground.s.t``) or in a string (a
        ``search_path``, ``information_schema``'s ``catalog_name = 'x'``, or a parameter). A
        catalog query (``duckdb_tables()``, ``information_schema``) sees those, not the whole
        account: attaching every database would wait for each one another process is writing."""
        named = set()
        for identifier in statement.identifiers:
            found = _account.find_database(identifier)
            if found:
                named.add(found)
        for text in list(statement.strings) + [p for p in parameters if isinstance(p, str)]:
            for part in text.replace(",", " ").split():
                found = _account.find_database(part.split(".", 1)[0].strip('"'))
                if found:
                    named.add(found)
        if default:
            named.add(default)
        return named

    def database_list_sql(self):
        names = set(_account.database_names())
        # A lake's catalog is attached beside it as __ducklake_metadata_<lake>: DuckLake's, not the account's.
        rows = self._on_hub("SELECT database_name FROM duckdb_databases() WHERE NOT internal AND database_name <> 'memory' "
                            "AND NOT starts_with(database_name, '__ducklake_metadata_')")
        names.update(row[0] for row in rows)
        if not names:
            return "SELECT NULL::VARCHAR AS database_name WHERE false"
        values = ", ".join("(%s)" % _quote_literal(n) for n in sorted(names))
        return "SELECT database_name FROM (VALUES %s) AS databases(database_name) ORDER BY database_name" % values

    # -- MotherDuck statements ----------------------------------------------------------------

    def create_database(self, name, if_not_exists, or_replace, source):
        if not _account.is_valid_name(name):
            raise _invalid('"%s" is not a database name: use letters, digits and underscores' % name)
        existing = _account.find_database(name)
        if existing and not or_replace:
            if if_not_exists:
                return
            raise self.duckdb.CatalogException(
                'Catalog Error: database "%s" already exists; use CREATE DATABASE IF NOT EXISTS, CREATE OR REPLACE '
                "DATABASE, or DROP DATABASE %s first" % (existing, existing))
        if source is not None and _account.find_database(source) is None:
            raise self.duckdb.CatalogException(
                "Catalog Error: database \"%s\" does not exist; SHOW DATABASES lists the account's databases" % source)
        name = existing or name
        with _leases.holding([_account.database_path(n) for n in [name] + ([source] if source else [])]):
            if or_replace and existing:
                self.drop_database(name, if_exists=True)
            held = self.hold([name] + ([source] if source else []), create=[name])
            try:
                if source:
                    self._on_hub("COPY FROM DATABASE %s TO %s" % (_quote_identifier(source), _quote_identifier(name)))
                self._on_hub("CHECKPOINT %s" % _quote_identifier(name))
            finally:
                self.release(held)

    def drop_database(self, name, if_exists):
        existing = _account.find_database(name)
        if existing is None:
            if if_exists:
                return
            raise self.duckdb.CatalogException(
                "Catalog Error: database \"%s\" does not exist; SHOW DATABASES lists the account's databases" % name)
        with self._lock:
            if existing in self._holds:
                raise _invalid("cannot drop %s: a connection of this flight is using it (close it, or USE another database)" % existing)
            path = _account.database_path(existing)
            with _leases.holding([path]):
                for file in (path, path + ".wal"):
                    if os.path.exists(file):
                        os.remove(file)


class MotherDuckConnection:
    """What ``duckdb.connect("md:…")`` returns: a DuckDB connection of the process's hub whose
    statements get the account databases they name. Everything a DuckDB connection offers is
    there; ``isinstance(con, duckdb.DuckDBPyConnection)`` holds."""

    def __init__(self, account, cursor, default):
        self._account = account
        self._cursor = cursor
        self._default = default
        # What the connection keeps attached between statements, shared with the finalizer so a
        # connection dropped without close() still gives its databases back: the holds of an open
        # explicit transaction, and those of a result not yet read to its end.
        self._kept = {"transaction": None, "result": None, "finished": []}
        self._closed = False
        self._finalizer = weakref.finalize(self, MotherDuckConnection._end, account, cursor, self._kept)
        self.use(default)

    @property
    def __class__(self):
        return self._account.duckdb.DuckDBPyConnection

    @staticmethod
    def _end(account, cursor, kept):
        try:
            cursor.close()
        except Exception:
            pass
        for key in ("result", "transaction"):
            holds, kept[key] = kept[key], None
            if holds:
                account.release(holds)
        while kept["finished"]:
            account.release(kept["finished"].pop())

    @staticmethod
    def _relation_finished(kept, holds):
        # Called while the relation is being destroyed (possibly in the middle of other code):
        # no DuckDB call here. The connection's next statement replaces the query the relation
        # last ran, which is what lets go of the files, and releases these holds after it.
        kept["finished"].append(holds)

    def use(self, name):
        if name is None:
            return
        held = self._account.hold([name], create=[name])
        try:
            self._cursor.execute("USE %s" % _quote_identifier(name))
        finally:
            self._account.release(held)
        self._default = name

    # -- statements ----------------------------------------------------------------------------

    def _run(self, method, query, args, kwargs, keeps_result=False):
        if self._closed:
            raise self._account.duckdb.ConnectionException("Connection Error: Connection already closed!")
        if not isinstance(query, str):
            return self._with_holds([self._default] if self._default else [], method, query, args, kwargs, keeps_result)
        statements = _statements(self._account.duckdb, query)
        account_statements = [_AccountStatement.read(s) if s.words else None for s in statements]
        if not any(account_statements):
            names = set()
            parameters = _string_parameters(args, kwargs)
            for statement in statements:
                names |= self._account.names_for(statement, self._default, parameters)
            if not names and self._default:
                names.add(self._default)
            result = self._with_holds(names, method, query, args, kwargs, keeps_result, statements)
            self._track(statements)
            return result
        if (args or kwargs.get("parameters") or kwargs.get("params")) and len(statements) > 1:
            raise _invalid("parameters go with a single statement; run CREATE/DROP/SHOW DATABASE(S) on its own")
        result = None
        for statement, account_statement in zip(statements, account_statements):
            if account_statement is None:
                names = self._account.names_for(statement, self._default)
                result = self._with_holds(names, "execute", statement.text, (), {}, False, [statement])
                self._track([statement])
                continue
            if self._kept["transaction"] is not None:
                raise self._account.duckdb.TransactionException(
                    "TransactionContext Error: %s DATABASE cannot run inside a transaction; COMMIT or ROLLBACK first"
                    % ("SHOW" if account_statement.action == "show" else account_statement.action.upper()))
            if account_statement.action == "show":
                result = getattr(self._cursor, method)(self._account.database_list_sql())
                if method in ("execute", "executemany"):
                    result = self
            elif account_statement.action == "create":
                self._account.create_database(account_statement.name, account_statement.if_exists,
                                              account_statement.or_replace, account_statement.source)
                result = self if method in ("execute", "executemany") else None
            elif account_statement.action == "drop":
                self._account.drop_database(account_statement.name, account_statement.if_exists)
                result = self if method in ("execute", "executemany") else None
        return result

    def _with_holds(self, names, method, query, args, kwargs, keeps_result, statements=()):
        held = self._account.hold(names, create=[self._default] if self._default else [])
        kept = False
        try:
            result = getattr(self._cursor, method)(query, *args, **kwargs)
            # The connection's earlier result (and the query of a relation that is gone) is
            # replaced now, and with it what it kept open.
            self._release_result()
            while self._kept["finished"]:
                self._account.release(self._kept["finished"].pop())
            if result is self._cursor:
                result = self
            if self._kept["transaction"] is not None:
                self._kept["transaction"].extend(held)
                kept = True
            elif keeps_result and isinstance(result, self._account.duckdb.DuckDBPyRelation):
                # DuckDB binds and runs a relation when it is fetched: its databases stay
                # attached while it lives.
                weakref.finalize(result, MotherDuckConnection._relation_finished, self._kept, held)
                kept = True
            elif method in ("execute", "executemany") and not self._result_is_complete(statements):
                self._kept["result"] = held
                kept = True
            return result
        finally:
            if not kept:
                self._account.release(held)

    @staticmethod
    def _result_is_complete(statements):
        return bool(statements) and statements[-1].first in _COMPLETE_RESULTS

    def _release_result(self):
        holds, self._kept["result"] = self._kept["result"], None
        if holds:
            self._account.release(holds)

    def _fetch(self, name, *args, **kwargs):
        result = getattr(self._cursor, name)(*args, **kwargs)
        if name in _WHOLE_FETCHES or not result:
            self._release_result()
        return result

    def _track(self, statements):
        """Follows USE and explicit transactions, which decide what later statements need."""
        for statement in statements:
            first = statement.first
            if first == "USE" and statement.identifiers:
                found = _account.find_database(statement.identifiers[0])
                if found:
                    self._default = found
            elif first == "BEGIN" or (first == "START" and "TRANSACTION" in statement.words):
                self._begin_holding()
            elif first in _TRANSACTION_ENDS:
                self._end_holding()

    def _begin_holding(self):
        if self._kept["transaction"] is None:
            self._kept["transaction"] = []

    def _end_holding(self):
        holds, self._kept["transaction"] = self._kept["transaction"], None
        if holds:
            self._account.release(holds)

    def execute(self, query, *args, **kwargs):
        return self._run("execute", query, args, kwargs)

    def executemany(self, query, *args, **kwargs):
        return self._run("executemany", query, args, kwargs)

    def sql(self, query, *args, **kwargs):
        return self._run("sql", query, args, kwargs, keeps_result=True)

    def query(self, query, *args, **kwargs):
        return self._run("query", query, args, kwargs, keeps_result=True)

    def from_query(self, query, *args, **kwargs):
        return self._run("from_query", query, args, kwargs, keeps_result=True)

    def table(self, name, *args, **kwargs):
        return self._run_named("table", name, args, kwargs)

    def view(self, name, *args, **kwargs):
        return self._run_named("view", name, args, kwargs)

    def _run_named(self, method, name, args, kwargs):
        names = {self._default} if self._default else set()
        found = _account.find_database(str(name).split(".", 1)[0].strip('"'))
        if found:
            names.add(found)
        return self._with_holds(names, method, name, args, kwargs, keeps_result=True)

    def begin(self):
        self._cursor.begin()
        self._begin_holding()
        return self

    def commit(self):
        try:
            self._cursor.commit()
        finally:
            self._end_holding()
        return self

    def rollback(self):
        try:
            self._cursor.rollback()
        finally:
            self._end_holding()
        return self

    def cursor(self):
        return MotherDuckConnection(self._account, self._account.hub.cursor(), self._default)

    def duplicate(self):
        return self.cursor()

    def close(self):
        if self._closed:
            return
        self._closed = True
        self._finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in _FETCHES:
            return lambda *args, **kwargs: self._fetch(name, *args, **kwargs)
        attribute = getattr(self._cursor, name)
        if not callable(attribute):
            return attribute
        cursor = self._cursor

        def forwarded(*args, **kwargs):
            result = attribute(*args, **kwargs)
            return self if result is cursor else result
        return forwarded

    def __repr__(self):
        return "<MotherDuckConnection to Hangar's local account, database %s>" % self._default


_installed = None
_install_lock = threading.Lock()


def _patch_duckdb(duckdb):
    global _duckdb
    _duckdb = duckdb
    original_connect = duckdb.connect
    if getattr(original_connect, "__hangar__", False):
        return
    account_box = []

    def account():
        with _install_lock:
            if not account_box:
                account_box.append(LocalAccount(duckdb, original_connect))
            return account_box[0]

    def connect(*args, **kwargs):
        database = kwargs.get("database", args[0] if args else ":memory:")
        if not is_motherduck_path(database):
            return original_connect(*args, **kwargs)
        name, options = parse_motherduck_path(database)
        if name is not None and "/" in name:
            raise duckdb.InvalidInputException(
                "%s names a MotherDuck share or path; Hangar's local account has databases only (md:NAME). "
                "Configure a MotherDuck token (hangar motherduck login) to reach MotherDuck itself" % name.split("/")[0])
        name = name or DEFAULT_DATABASE
        if not _account.is_valid_name(name):
            raise duckdb.InvalidInputException(
                '"%s" is not a database name: use letters, digits and underscores (md:my_database)' % name)
        name = _account.find_database(name) or name
        config = dict(kwargs.get("config") or (args[2] if len(args) > 2 else None) or {})
        hub = account()
        for key, value in config.items():
            if key.lower() in _MOTHERDUCK_OPTIONS or key.lower().startswith("motherduck_"):
                continue
            try:
                hub._on_hub("SET GLOBAL %s = ?" % key, [value])
            except duckdb.Error as error:
                _log("md: connections share one DuckDB per process; the setting %s was not applied (%s)"
                     % (key, str(error).splitlines()[0]))
        return MotherDuckConnection(hub, hub.hub.cursor(), name)

    connect.__hangar__ = True
    connect.__doc__ = original_connect.__doc__
    duckdb.connect = connect
    _patch_module_functions(duckdb)


def _patch_module_functions(duckdb):
    """``duckdb.sql(q, connection=con)`` and the other module functions that take a connection:
    an ``md:`` connection runs them itself (or lends its DuckDB connection)."""
    for name in dir(duckdb):
        function = getattr(duckdb, name)
        if name.startswith("_") or name == "connect" or not callable(function) or isinstance(function, type):
            continue
        if "connection" not in (getattr(function, "__doc__", "") or ""):
            continue

        def wrapped(*args, __function=function, __name=name, **kwargs):
            connection = kwargs.get("connection")
            if type(connection) is MotherDuckConnection:
                del kwargs["connection"]
                own = getattr(connection, __name, None)
                if own is not None:
                    return own(*args, **kwargs)
                kwargs["connection"] = connection._cursor
            return __function(*args, **kwargs)
        wrapped.__doc__ = function.__doc__
        wrapped.__name__ = name
        setattr(duckdb, name, wrapped)


def _patch_dlt_credentials(module):
    """dlt's MotherDuck credentials need no token on the local account, and say where data goes."""
    credentials = getattr(module, "MotherDuckCredentials", None)
    if credentials is None:
        return
    credentials._has_default_token = lambda self: True

    def describe(self):
        name = getattr(self, "database", None) or DEFAULT_DATABASE
        try:
            path = _account.database_path(_account.find_database(name) or name)
        except ValueError:
            path = "?"
        return "md:%s (Hangar's local account, %s)" % (name, path)
    credentials.__str__ = describe


def install():
    """Routes ``md:`` connections and dlt's ``motherduck`` destination to the local account, as
    soon as duckdb and dlt are imported (not before)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        _installed = True
    when_imported("duckdb", _patch_duckdb)
    when_imported("dlt.destinations.impl.motherduck.configuration", _patch_dlt_credentials)
