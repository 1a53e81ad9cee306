"""Extension objects, created unbound; ``create_app`` binds them (``init_app``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import Babel
from flask_socketio import SocketIO
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


class Database:
    """The SQLAlchemy engine and session factory of the app (one short-lived Session per use)."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        #: the app's secret key, from which the links' keys are derived (store.link_key)
        self.link_secret = b""

    def init_app(self, app: Flask) -> None:
        url = app.config["DATABASE_URL"]
        self.link_secret = str(app.config["SECRET_KEY"]).encode("utf-8")
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            private_sqlite_files(url)
            kwargs["connect_args"] = {"timeout": 0.005}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=20)
        self.engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        app.extensions["dialoogtafel.db"] = self

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A Session in a transaction: committed on success, rolled back on error."""
        assert self._sessions is not None, "Database.init_app was not called"
        with self._sessions() as s, s.begin():
            yield s

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A Session for reads only."""
        assert self._sessions is not None, "Database.init_app was not called"
        with self._sessions() as s:
            yield s


def private_sqlite_files(url: str) -> None:
    """A SQLite database readable by its owner only (0600): made so before SQLite first opens
    it, since SQLite gives its -wal and -shm files the mode of the database file; an existing
    one (and its -wal and -shm) is set to 0600 too."""
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if not path.parent.is_dir():
        return  # SQLite will say what is wrong
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for one in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if one.exists() and one.stat().st_mode & 0o077:
            one.chmod(0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL: readers never block the writer; NORMAL: a committed answer survives a process crash
    # (kill -9), only a power loss may lose the last commits. Foreign keys are per connection.
    cur = dbapi_connection.cursor()
    # WAL is a property of the file: set it once (setting it again needs a lock another
    # process may hold)
    if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # deleted answers are overwritten, not left readable in free pages of the file
    cur.execute("PRAGMA secure_delete=ON")
    cur.execute("PRAGMA foreign_keys=ON")
    # Tiny on purpose: SQLite waits in C, which would freeze a green server; store._write
    # waits cooperatively instead.
    cur.execute("PRAGMA busy_timeout=5")
    cur.close()


db = Database()
socketio = SocketIO()
babel = Babel()
