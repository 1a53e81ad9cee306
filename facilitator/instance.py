"""The server process's hold on its place: one server per SQLite database.

Two servers on one SQLite file each keep their own in-memory state (the live session's version,
the running results, who is connected) while writing the same rows: phones split between them see
different questions. ``lock_database`` takes an exclusive OS lock (``flock``) on a file beside the
database and keeps it for the life of the process; the kernel releases it when the process ends,
however it ends (``kill -9`` too), so a restart never finds a stale lock. The command line
(``flask --app app ...``) takes no lock: it may run beside the server.

Several processes share a database only in the scale-out mode (``MESSAGE_QUEUE`` set, on
PostgreSQL; docs/deployment.md), where the bus keeps their caches in step; there no lock is taken.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url


class DatabaseInUse(Exception):
    """Another server process holds the database's lock."""


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None (another database, or an in-memory one)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database).resolve()


def lock_database(url: str, message_queue: str = "") -> IO[bytes] | None:
    """Hold the lock of a SQLite database for the life of this process (keep the returned file
    open). None when there is nothing to lock (not SQLite, or the scale-out mode). Raises
    ``DatabaseInUse`` naming the lock file when another process holds it."""
    path = sqlite_path(url)
    if path is None or message_queue:
        return None
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    handle = os.fdopen(fd, "r+b")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise DatabaseInUse(str(lock)) from None
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n".encode())
    handle.flush()
    return handle
