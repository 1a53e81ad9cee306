"""Fixtures for in-process tests: an app on a temporary SQLite file, in threading mode."""

from __future__ import annotations

from pathlib import Path

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
