"""The account databases' inter-process leases, as every Hangar process takes them.

A lease is an advisory ``flock`` on ``<database>.lease`` with the holder written into the file as
JSON (``pid``, ``purpose``, ``since``), the protocol of Hangar's Swift side. The kernel drops it
when the holder exits or is killed, so a crash never leaves a database locked.

Within one process a lease is re-entrant and shared by threads: ``flock`` belongs to an open
file, so a second descriptor of the same process would wait for the first one forever.
"""
import datetime
import errno
import fcntl
import json
import os
import sys
import threading
import time

__all__ = ["LeaseTimeout", "acquire", "release", "holding", "default_timeout"]


class LeaseTimeout(TimeoutError):
    """The database stayed busy (another process held its lease) for longer than allowed."""


def default_timeout():
    """Seconds to wait for a lease: ``HANGAR_LEASE_TIMEOUT``, else 600 (a run may wait for a long
    load of another flight rather than fail)."""
    try:
        return float(os.environ.get("HANGAR_LEASE_TIMEOUT", "600"))
    except ValueError:
        return 600.0


def holder_purpose():
    flight = os.environ.get("HANGAR_FLIGHT_NAME")
    run = os.environ.get("HANGAR_RUN_NUMBER")
    if flight and run:
        return "flight %s run %s" % (flight, run)
    return "python (pid %d)" % os.getpid()


class _Lease:
    __slots__ = ("lock", "descriptor", "count")

    def __init__(self):
        self.lock = threading.Lock()
        self.descriptor = -1
        self.count = 0


_registry_lock = threading.Lock()
_leases = {}


def _entry(database):
    with _registry_lock:
        entry = _leases.get(database)
        if entry is None:
            entry = _leases[database] = _Lease()
        return entry


def _describe_holder(lease_file):
    try:
        with open(lease_file) as f:
            holder = json.load(f)
        return "%s (pid %s) since %s" % (holder.get("purpose"), holder.get("pid"), holder.get("since"))
    except Exception:
        return "another process"


def acquire(database, timeout=None, purpose=None):
    """Takes the lease of the database file ``database`` (a path), waiting up to ``timeout``
    seconds; says once on stderr whom it waits for. Re-entrant: each call needs a ``release``."""
    database = os.path.abspath(database)
    entry = _entry(database)
    with entry.lock:
        if entry.count > 0:
            entry.count += 1
            return
        lease_file = database + ".lease"
        os.makedirs(os.path.dirname(lease_file), exist_ok=True)
        descriptor = os.open(lease_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            timeout = default_timeout() if timeout is None else timeout
            deadline = time.monotonic() + timeout
            announced = False
            pause = 0.002
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as error:
                    if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EINTR):
                        raise
                if not announced:
                    print("hangar: waiting for %s: held by %s" % (os.path.basename(database), _describe_holder(lease_file)),
                          file=sys.stderr, flush=True)
                    announced = True
                if time.monotonic() > deadline:
                    raise LeaseTimeout("%s is busy: held by %s; waited %g s. Try again when it is done, or wait longer "
                                       "(HANGAR_LEASE_TIMEOUT)" % (os.path.basename(database), _describe_holder(lease_file), timeout))
                # Another process's lock: polling is the portable way, backing off to 50 ms.
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
            since = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            record = json.dumps({"pid": os.getpid(), "purpose": purpose or holder_purpose(), "since": since}).encode()
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, record, 0)
        except BaseException:
            os.close(descriptor)
            raise
        entry.descriptor = descriptor
        entry.count = 1


def release(database):
    """Gives back one ``acquire`` of ``database``; the last one unlocks the file."""
    database = os.path.abspath(database)
    entry = _entry(database)
    with entry.lock:
        if entry.count == 0:
            return
        entry.count -= 1
        if entry.count == 0:
            descriptor, entry.descriptor = entry.descriptor, -1
            # The holder's record goes first, so nobody reads a stale holder once the lock is free.
            try:
                os.ftruncate(descriptor, 0)
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
                os.close(descriptor)


class holding:
    """``with holding(paths):`` takes the leases of several databases in path order (the order every
    Hangar process takes them, so two processes never wait for each other) and gives them back."""

    def __init__(self, databases, timeout=None, purpose=None):
        self.databases = sorted(set(os.path.abspath(d) for d in databases))
        self.timeout = timeout
        self.purpose = purpose
        self.taken = []

    def __enter__(self):
        try:
            for database in self.databases:
                acquire(database, self.timeout, self.purpose)
                self.taken.append(database)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self.databases

    def __exit__(self, *exc):
        while self.taken:
            release(self.taken.pop())
        return False
