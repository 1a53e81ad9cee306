"""The optional gevent mode (``pip install -e '.[gevent]'``, DIALOOGTAFEL_ASYNC_MODE=gevent):
the same real-server walkthrough and kill-and-restart test as under eventlet, run against
``python app.py`` served by gevent, so the async mode stays a setting that works rather than a
promise. Skipped, with the reason, where gevent is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_restart, test_walkthrough
from tests.livesrv import Server, running_server

pytestmark = pytest.mark.server
pytest.importorskip("gevent", reason="gevent is not installed (pip install -e '.[gevent]')")


@pytest.fixture
def gevent_server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path, env={"DIALOOGTAFEL_ASYNC_MODE": "gevent"}) as srv:
        yield srv


def test_served_by_gevent(gevent_server: Server) -> None:
    """The server says which mode it runs in (so this file tests what it claims)."""
    assert "Dialoogtafel is running (gevent)." in gevent_server.log_text()


def test_walkthrough_under_gevent(gevent_server: Server) -> None:
    test_walkthrough.walk_through(gevent_server)


def test_kill_and_restart_under_gevent(gevent_server: Server) -> None:
    test_restart.test_kill_and_restart_keeps_everything(gevent_server)
