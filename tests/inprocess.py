"""Helpers for the in-process tests (the app in threading mode, Flask-SocketIO's test client):
the app's test configuration and a participant's socket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from facilitator.extensions import socketio

HERE = Path(__file__).resolve().parent


def app_config(folder: Path) -> dict[str, Any]:
    """The configuration of a test app whose SQLite file is in ``folder``."""
    return {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{folder / 'test.db'}",
        "SECRET_KEY": "test-secret",
        "PUBLIC_URL": "http://phones.example:5000",
        "ASYNC_MODE": "threading",
        "PROGRAMMES_DIR": str(HERE / "programmes"),
    }


def phone_client(app: Flask, code: str) -> tuple[Any, Any]:
    """A participant: opens the join page (the join cookie), then connects its socket;
    returns (http client, socket)."""
    http = app.test_client()
    assert http.get(f"/j/{code}").status_code == 200
    sock = socketio.test_client(
        app, flask_test_client=http, auth={"role": "participant", "code": code}
    )
    assert sock.is_connected()
    return http, sock


def phone(app: Flask, code: str) -> Any:
    """A participant's socket (see ``phone_client``)."""
    return phone_client(app, code)[1]
