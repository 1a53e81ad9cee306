"""Shared fixtures and markers.

- In-process tests: ``app`` (a temporary SQLite file, threading mode), ``client``, ``mini_live``;
  tests/inprocess.py has the helpers (``phone``: a participant's socket).
- Real-server tests (tests/livesrv.py): ``server`` (one test), ``module_server`` (one module).
- Browser tests (tests/browser.py): ``browser``, ``browser_server``, ``screens``.
- Markers: a test that uses a server fixture is marked ``server`` and one that uses a browser
  fixture ``browser`` here; and a test that starts app.py or Chromium without its marker fails
  (tests/markers.py), so the fast tier
  ``-m "not slow and not server and not browser"`` never starts either.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from facilitator import create_app, live
from facilitator.programme import load_programme
from tests import markers
from tests.inprocess import app_config

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "programmes" / "mini.yaml"
BRUGFIGUREN = ROOT / "sessions" / "brugfiguren.yaml"


@pytest.fixture
def app(tmp_path: Path):
    app = create_app(app_config(tmp_path))
    yield app
    live.reset_caches()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def mini_live(app):
    """A started live session of tests/programmes/mini.yaml."""
    with app.app_context():
        return live.start(load_programme(MINI), MINI.name)


# ------------------------------------------------------------- real-server tests (app.py)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Any]:
    """A running server for one test; always stopped afterwards, its log printed."""
    from tests.livesrv import running_server

    with running_server(tmp_path) as srv:
        yield srv


@pytest.fixture(scope="module")
def module_server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """One running server for the tests of a module (each makes its own live session, or they
    share one on purpose); stopped after the module, its log printed."""
    from tests.livesrv import running_server

    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1] + "-server")
    with running_server(folder) as srv:
        yield srv


# ------------------------------------------------------------------ browser tests (Chromium)
# Shared by the *_browser.py modules; each skips itself when Chromium or Playwright is missing,
# so nothing here is set up for the other tests.


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per module; every screen gets a browser context of its own."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as p:
        b = launch(p)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def browser_server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """One real server process per module (tests/livesrv.py); every test makes a live session
    of its own on it, so tests do not share phones, answers or counts."""
    from tests.livesrv import running_server

    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    with running_server(folder, print_log=False) as srv:  # screens prints it on failure
        yield srv


@pytest.fixture
def screens(browser: Any, browser_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The screens of one test; on failure every open screen is saved as a screenshot and the
    browser errors and the server's log are printed."""
    from tests.browser import Screens

    failed_before = request.session.testsfailed
    s = Screens(browser, request.node.name.removeprefix("test_"))
    try:
        yield s
    finally:
        failed = request.session.testsfailed > failed_before
        s.close(failed=failed)
        if failed:
            print(browser_server.log_text())


# -------------------------------------------------------------------------------- markers

#: fixtures that start app.py, and those that start Chromium (a module's own server fixture is
#: made with tests.livesrv.running_server, which checks the marker when it starts)
SERVER_FIXTURES = frozenset({"server", "module_server", "browser_server"})
BROWSER_FIXTURES = frozenset({"browser", "screens"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & SERVER_FIXTURES and item.get_closest_marker("server") is None:
            item.add_marker(pytest.mark.server)
        if used & BROWSER_FIXTURES and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    with markers.running(item):
        return (yield)
