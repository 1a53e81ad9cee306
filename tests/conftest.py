"""Fixtures for in-process tests: an app on a temporary SQLite file, in threading mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from facilitator import create_app, live
from facilitator.programme import load_programme

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "programmes" / "mini.yaml"
BRUGFIGUREN = ROOT / "sessions" / "brugfiguren.yaml"


@pytest.fixture
def app(tmp_path: Path):
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
        "SECRET_KEY": "test-secret",
        "PUBLIC_URL": "http://phones.example:5000",
        "ASYNC_MODE": "threading",
        "PROGRAMMES_DIR": str(HERE / "programmes"),
    })
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
def browser_server(tmp_path_factory: pytest.TempPathFactory,
                   request: pytest.FixtureRequest) -> Iterator[Any]:
    """One real server process per module (tests/livesrv.py); every test makes a live session
    of its own on it, so tests do not share phones, answers or counts."""
    from tests.livesrv import start_server

    srv = start_server(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]))
    try:
        yield srv
    finally:
        try:
            srv.close_clients()
        finally:
            srv.stop()


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
