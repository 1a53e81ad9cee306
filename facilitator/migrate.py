"""Schema changes: Alembic migrations (``facilitator/migrations/versions``), run at start-up.

``upgrade(url)`` brings a database to the newest revision (``head``) before the app serves:

- a new, empty database gets the baseline (0001) and every later migration;
- a database made before the migrations existed (release 0.1.0, whose ``init_schema`` created
  the tables; it has no ``alembic_version`` table) is adopted by the baseline: its tables and
  rows stay as they are, what it lacks is added, and it is then upgraded like any other;
- a database already at ``head`` is only read (the usual start).

The upgrade runs in one transaction on a connection of its own: on PostgreSQL under an advisory
lock (several processes may start at once in scale-out mode: one migrates, the others wait and
then find the database at head); on SQLite inside ``BEGIN IMMEDIATE`` (the same for a CLI
command started beside the server), with foreign keys off so that copying a table (Alembic's
batch mode) never fires an ``ON DELETE CASCADE``. A failed migration rolls back whole.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from .models import Base

FOLDER = Path(__file__).resolve().parent / "migrations"
#: PostgreSQL advisory lock key for schema changes ("DTAF")
SCHEMA_LOCK = 0x44544146
#: how long a start waits for another process that holds SQLite's write lock
LOCK_WAIT = 60.0


class SchemaError(RuntimeError):
    """The database cannot be brought to this version's schema (said why, and what to do)."""


def config(url: str = "") -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(FOLDER))
    cfg.set_main_option("path_separator", "os")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    ruff = Path(sys.executable).with_name("ruff")
    if ruff.exists():  # a new migration file comes out formatted as `make check` wants it
        cfg.set_section_option("post_write_hooks", "hooks", "ruff")
        cfg.set_section_option("post_write_hooks", "ruff.type", "exec")
        cfg.set_section_option("post_write_hooks", "ruff.executable", str(ruff))
        cfg.set_section_option(
            "post_write_hooks", "ruff.options", "format REVISION_SCRIPT_FILENAME"
        )
    return cfg


def head() -> str:
    """The newest revision this code knows."""
    return revisions()[-1]


@cache
def revisions() -> list[str]:
    """Every revision this code knows, oldest first (read once per process)."""
    scripts = ScriptDirectory.from_config(config())
    if len(scripts.get_heads()) != 1:
        raise SchemaError(f"the migrations have several heads: {scripts.get_heads()}")
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]


def engine(url: str) -> Engine:
    """An engine for schema work: no pool; on SQLite each transaction starts with
    ``BEGIN IMMEDIATE`` (the write lock, taken before reading the revision) and foreign keys
    are off."""
    if not url.startswith("sqlite"):
        return create_engine(url, poolclass=NullPool)
    eng = create_engine(url, poolclass=NullPool, connect_args={"timeout": 0.005})

    @event.listens_for(eng, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the transactions are begun below
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.execute("PRAGMA busy_timeout=5")
        cur.close()

    @event.listens_for(eng, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return eng


def current(conn: Connection) -> str | None:
    """The database's revision: None for an empty database or one made before the
    migrations."""
    return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _locked(eng: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the schema lock (see the module's docstring);
    committed when the block ends without an error, rolled back otherwise."""
    deadline = time.monotonic() + LOCK_WAIT
    delay = 0.01
    while True:
        conn = eng.connect()
        try:
            trans = conn.begin()
            break
        except OperationalError as exc:
            conn.close()
            message = str(exc).lower()
            if ("locked" not in message and "busy" not in message) or time.monotonic() > deadline:
                raise
            # SQLite's BEGIN IMMEDIATE found another writer: wait (cooperatively once eventlet
            # or gevent has patched time.sleep) and try again
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
    try:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        yield conn
        trans.commit()
    except BaseException:
        trans.rollback()
        raise
    finally:
        conn.close()


def upgrade(url: str, revision: str = "head") -> str | None:
    """Bring the database at ``url`` to ``revision``; returns the revision it had before (None:
    new, or made before the migrations). Raises ``SchemaError`` for a database that is newer
    than this code."""
    target = head() if revision == "head" else revision
    known = list(revisions())
    reader = create_engine(url, poolclass=NullPool)
    try:
        with reader.connect() as conn:
            before = current(conn)
    finally:
        reader.dispose()
    _check_known(before, known)
    if before == target:
        return before  # the usual start: read only, no lock taken
    eng = engine(url)
    try:
        with _locked(eng) as conn:
            before = current(conn)  # another process may have migrated meanwhile
            _check_known(before, known)
            if before != target:
                cfg = config(url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, target)
            return before
    finally:
        eng.dispose()


def _check_known(rev: str | None, known: list[str]) -> None:
    if rev is not None and rev not in known:
        raise SchemaError(
            f"the database is at schema revision {rev!r}, which this version of Dialoogtafel "
            f"does not know (its newest is {known[-1]!r}): it was upgraded by a newer version. "
            "Run that version, or restore a backup made before the upgrade."
        )


def diff(url: str) -> list[Any]:
    """What differs between the database's schema and the models (empty when they match)."""
    eng = create_engine(url, poolclass=NullPool)
    try:
        with eng.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        eng.dispose()
