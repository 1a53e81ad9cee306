"""What the two reference servers (bench/refserver.py, bench/bareserver.py) share: the room they
count (the programme's activities, tokens, answers, revisions) and their plain HTTP routes.

- ``GET /health``; ``GET /j/<code>``: a fixed 100-byte page and a ``reftoken`` cookie;
  ``POST /api/join/<code>``: ``{"ok": true, "code", "token"}``; anything else 404.

Import it after the server has monkey-patched (its lock is then a green one)."""

from __future__ import annotations

import json
import secrets
import threading
from typing import Any

import yaml


class Room:
    """One live session of a reference server: activities, tokens, answers and revisions."""

    def __init__(self, programme: str, code: str) -> None:
        with open(programme, encoding="utf-8") as f:
            prog = yaml.safe_load(f)["programme"]
        activities = [a for sec in prog["sections"] for a in sec["activities"]]
        self.code = code
        self.order: list[str] = [a["id"] for a in activities]
        self.kinds: dict[str, str] = {a["id"]: a["kind"] for a in activities}
        self.options = {a["id"]: [o["id"] for o in a.get("options", [])] for a in activities}
        self.lock = threading.Lock()
        self.tokens: dict[str, int] = {}
        self.answers: dict[str, dict[int, Any]] = {a: {} for a in self.order}
        self.seen: dict[tuple[int, str], str] = {}  # (participant, client_id) -> activity
        self.revs: dict[str, int] = dict.fromkeys(self.order, 0)
        self.dirty: set[str] = set()
        self.live: dict[str, Any] = {"version": 1, "current": None, "opened": set()}

    def state(self) -> dict[str, Any]:
        cur = self.live["current"]
        return {
            "version": self.live["version"],
            "code": self.code,
            "activity": None if cur is None else {"id": cur, "kind": self.kinds[cur]},
            "answering": cur is not None,
        }

    def result(self, aid: str) -> dict[str, Any]:
        if self.kinds[aid] == "open_text":
            return {"n": len(self.answers[aid])}
        counts = dict.fromkeys(self.options[aid], 0)
        for v in self.answers[aid].values():
            for o in v if isinstance(v, list) else [v]:
                counts[o] += 1
        return {
            "options": [{"id": o, "count": c} for o, c in counts.items()],
            "respondents": len(self.answers[aid]),
        }

    def new_token(self) -> str:
        token = secrets.token_urlsafe(16)
        with self.lock:
            self.tokens[token] = len(self.tokens) + 1
        return token

    def http(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        """The plain HTTP routes (a WSGI app)."""
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        body: dict[str, Any]
        if path == "/health":
            body, status = {"ok": True}, "200 OK"
        elif method == "GET" and path == f"/j/{self.code}":
            token = self.new_token()
            page = (
                f"<!doctype html><html lang=nl><title>{self.code}</title>"
                f"<main data-code={self.code}><p>Verbinden…</p></main></html>"
            ).encode()
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(page))),
                    ("Set-Cookie", f"reftoken={token}; Path=/; HttpOnly"),
                ],
            )
            return [page]
        elif method == "POST" and path == f"/api/join/{self.code}":
            body, status = {"ok": True, "code": self.code, "token": self.new_token()}, "200 OK"
        else:
            body, status = {"ok": False}, "404 Not Found"
        data = json.dumps(body, separators=(",", ":")).encode()
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
        )
        return [data]
