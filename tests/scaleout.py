"""What the scale-out tests share (tests/test_scaleout.py, tests/test_proxy.py): the local
PostgreSQL and Redis, a fresh database per test, and stopping a set of server processes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg is not installed (pip install -e '.[scale]')"
)
redis = pytest.importorskip("redis", reason="redis is not installed (pip install -e '.[scale]')")

PG = "postgresql://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"


def services_or_skip() -> None:
    try:
        psycopg.connect(f"{PG}/postgres", connect_timeout=3).close()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432 as postgres ({exc})")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Redis is not reachable on 127.0.0.1:6379 ({exc})")


@contextmanager
def postgres_database(prefix: str = "dialoogtafel_test") -> Iterator[str]:
    """A fresh PostgreSQL database on the local server (its SQLAlchemy URL), dropped
    afterwards; skips the test where PostgreSQL or Redis is not reachable."""
    services_or_skip()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scaleout_env() -> Iterator[dict[str, str]]:
    """The server settings of one scale-out deployment: a fresh PostgreSQL database (dropped
    afterwards) and a Redis channel of its own."""
    with postgres_database() as url:
        yield {
            "DIALOOGTAFEL_DATABASE_URL": url,
            "DIALOOGTAFEL_MESSAGE_QUEUE": REDIS,
            "DIALOOGTAFEL_BUS_CHANNEL": url.rsplit("/", 1)[1],
        }


def stop_all(servers: list[Any]) -> None:
    """Stop every server process, printing its log (shown when the test failed)."""
    for srv in servers:
        try:
            srv.close_clients()
        finally:
            srv.stop()
            print(srv.log_text())
