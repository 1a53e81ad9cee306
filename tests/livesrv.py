"""Helpers for tests against the REAL server process (``python app.py``, eventlet).

- ``start_server(tmp_path)`` starts ``app.py`` on a free loopback port with a fresh SQLite file
  in ``tmp_path`` and waits (bounded) until ``GET /health`` answers; ``Server.kill()`` (SIGKILL),
  ``.stop()`` (SIGTERM, then SIGKILL) and ``.restart()`` (same port and database).
- ``create_live(server, programme)`` runs ``flask --app app live create FILE --json`` against the
  same database and returns its JSON plus ``control_key`` and ``projector_key``.
- ``Phone`` (participant) and ``Screen`` (control / projector): real python-socketio clients on
  the websocket transport that record every ``state``, ``results``, ``counts`` and ``questions``
  they receive; ``Phone.ask`` / ``Phone.upvote`` for Q&A.
- ``wait_for(predicate, timeout)``: every wait is bounded; nothing sleeps and hopes.

``running_server(tmp_path, env)`` is a started server as a context manager: on the way out it
closes every client made for that server, stops the process and prints the server's log (pytest
shows it when the test failed). The fixtures ``server`` (one test) and ``module_server`` (one
module) in tests/conftest.py are made with it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import socketio

from tests import markers

ROOT = Path(__file__).resolve().parent.parent
BRUGFIGUREN = ROOT / "sessions" / "brugfiguren.yaml"
MINI = ROOT / "tests" / "programmes" / "mini.yaml"

START_TIMEOUT = 20.0
WAIT = 10.0


# ------------------------------------------------------------------------------ waiting


def wait_for(
    predicate: Callable[[], Any],
    timeout: float = WAIT,
    what: str = "condition",
    interval: float = 0.01,
) -> Any:
    """Poll ``predicate`` until it returns something truthy (returned) or fail after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------------------- server


def _base_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The parent's environment without any DIALOOGTAFEL_* setting (isolation), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIALOOGTAFEL_")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


class Server:
    """One ``python app.py`` process (and its restarts) on a fixed port and database."""

    def __init__(self, tmp_path: Path, port: int, env: dict[str, str] | None = None):
        self.tmp_path = Path(tmp_path)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.db_path = self.tmp_path / "db.sqlite"
        self.env = _base_env(
            {
                "DIALOOGTAFEL_DATABASE_URL": f"sqlite:///{self.db_path}",
                "DIALOOGTAFEL_PUBLIC_URL": self.url,
                # keeps the repository's instance/secret_key out of it; stable across restarts
                "DIALOOGTAFEL_SECRET_KEY": "livesrv-test-secret",
                **(env or {}),
            }
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.logs: list[Path] = []
        self.clients: list[_Conn] = []
        self._log_file: Any = None

    # -- lifecycle

    def start(self) -> Server:
        assert self.proc is None or self.proc.poll() is not None, "server already running"
        markers.require("server", "the real server (app.py)")
        self._close_log()
        log = self.tmp_path / f"server-{len(self.logs) + 1}.log"
        self.logs.append(log)
        self._log_file = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                self._reap(5)
                raise RuntimeError(
                    f"server exited with {self.proc.returncode} while starting\n{self.log_text()}"
                )
            try:
                r = requests.get(f"{self.url}/health", timeout=1)
                if r.status_code == 200 and r.json().get("ok") is True:
                    return self
            except (requests.ConnectionError, requests.Timeout, ValueError):
                pass
            if time.monotonic() >= deadline:
                self.kill()
                raise RuntimeError(
                    f"server did not answer /health within {START_TIMEOUT} s\n{self.log_text()}"
                )
            time.sleep(0.05)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs (a crash)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self._reap(5)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 5 s."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGKILL)
        self._reap(5)

    def restart(self) -> Server:
        """Start again on the same port and database (stops a running process first)."""
        self.stop()
        return self.start()

    def _reap(self, timeout: float) -> None:
        if self.proc is not None:
            self.proc.wait(timeout)
        self._close_log()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    # -- output

    def log_text(self) -> str:
        parts = []
        for path in self.logs:
            text = path.read_text(errors="replace") if path.exists() else ""
            parts.append(f"----- {path.name} -----\n{text}")
        return "\n".join(parts)

    def assert_no_tracebacks(self) -> None:
        text = self.log_text()
        assert "Traceback" not in text, f"the server logged an error:\n{text}"

    def close_clients(self) -> None:
        clients, self.clients = self.clients, []
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(lambda c: c.close(), clients))


def start_server(
    tmp_path: Path, port: int | None = None, env: dict[str, str] | None = None
) -> Server:
    return Server(tmp_path, port or free_port(), env).start()


@contextmanager
def running_server(
    tmp_path: Path,
    env: dict[str, str] | None = None,
    *,
    print_log: bool = True,
    log_tail: int | None = None,
) -> Iterator[Server]:
    """A started server; afterwards every client made for it is closed, the process stopped
    and (unless ``print_log`` is false) its log printed, the last ``log_tail`` characters of
    it when given (pytest shows what a failed test printed). The server fixtures in
    tests/conftest.py and the modules' own ones are made with this."""
    srv = start_server(tmp_path, env=env)
    try:
        yield srv
    finally:
        try:
            srv.close_clients()
        finally:
            srv.stop()
            if print_log:
                text = srv.log_text()
                print(text if log_tail is None else text[-log_tail:])


# ------------------------------------------------------------------------------ CLI


def create_live(server: Server, programme_path: Path | str) -> dict[str, Any]:
    """``flask --app app live create FILE --json`` on the server's database."""
    env = dict(server.env)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "live",
            "create",
            str(programme_path),
            "--json",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert out.returncode == 0, (
        f"live create failed ({out.returncode}):\n{out.stdout}\n{out.stderr}"
    )
    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    data["control_key"] = parse_qs(urlsplit(data["control_url"]).query)["key"][0]
    data["projector_key"] = parse_qs(urlsplit(data["projector_url"]).query)["key"][0]
    return data


def join(server: Server, code: str) -> str:
    """POST /api/join/<code>: a new participant's token."""
    r = requests.post(f"{server.url}/api/join/{code}", timeout=5)
    assert r.status_code == 200, (r.status_code, r.text)
    body = r.json()
    assert body["ok"] is True and isinstance(body["token"], str), body
    return str(body["token"])


# ------------------------------------------------------------------------------ clients


class Refused(Exception):
    """The server refused the connection; ``data`` is what ``connect_error`` carried."""

    def __init__(self, data: Any):
        self.data = data
        super().__init__(f"connection refused: {data!r}")


def refusal_code(data: Any) -> Any:
    """The protocol error code of a ``connect_error`` (``err.data.code`` in the JS client)."""
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        return data["data"].get("code")
    return None


def _short(value: Any, limit: int = 1500) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


class _Conn:
    """One Socket.IO client that records what the server sends it."""

    def __init__(
        self,
        server: Server,
        auth: dict[str, Any],
        *,
        reconnection: bool = True,
        reconnection_delay: float = 0.2,
        reconnection_delay_max: float = 1.0,
    ):
        self.server = server
        self.auth = auth
        self._client_kwargs = {
            "reconnection": reconnection,
            "reconnection_delay": reconnection_delay,
            "reconnection_delay_max": reconnection_delay_max,
            "randomization_factor": 0.1,
        }
        self._cond = threading.Condition()
        #: everything received, in order: (event, data)
        self.events: list[tuple[str, Any]] = []
        self.states: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self.counts: list[dict[str, int]] = []
        #: Q&A ``questions`` pushes (phones only)
        self.questions: list[dict[str, Any]] = []
        self.connect_errors: list[Any] = []
        self.connects = 0
        self.disconnects = 0
        self.sio = self._new_client()
        server.clients.append(self)

    def _new_client(self) -> socketio.Client:
        sio = socketio.Client(**self._client_kwargs)
        sio.on("connect", lambda: self._record("connect", None))
        sio.on("disconnect", lambda *reason: self._record("disconnect", reason))
        sio.on("connect_error", lambda data=None: self._record("connect_error", data))
        sio.on("state", lambda data: self._record("state", data))
        sio.on("results", lambda data: self._record("results", data))
        sio.on("counts", lambda data: self._record("counts", data))
        sio.on("questions", lambda data: self._record("questions", data))
        sio.on("deleted", lambda data: self._record("deleted", data))
        return sio

    def _record(self, event: str, data: Any) -> None:
        with self._cond:
            self.events.append((event, data))
            if event == "state":
                self.states.append(data)
            elif event == "results":
                self.results.append(data)
            elif event == "counts":
                self.counts.append(data)
            elif event == "questions":
                self.questions.append(data)
            elif event == "connect":
                self.connects += 1
            elif event == "disconnect":
                self.disconnects += 1
            elif event == "connect_error":
                self.connect_errors.append(data)
            self._cond.notify_all()

    # -- connecting

    def connect(self, timeout: float = WAIT) -> _Conn:
        """Connect and wait for the first ``state`` snapshot. Raises ``Refused``."""
        before = len(self.states)
        errors = len(self.connect_errors)
        try:
            self.sio.connect(
                self.server.url, auth=self.auth, transports=["websocket"], wait_timeout=timeout
            )
        except socketio.exceptions.ConnectionError as exc:
            with self._cond:
                if len(self.connect_errors) > errors:
                    raise Refused(self.connect_errors[-1]) from exc
            raise
        self.wait(lambda: len(self.states) > before, timeout, "the snapshot after connect")
        return self

    def disconnect(self, timeout: float = WAIT) -> None:
        before = self.disconnects
        self.sio.disconnect()
        self.wait(lambda: self.disconnects > before, timeout, "disconnect")

    def close(self) -> None:
        """Disconnect and stop reconnecting (teardown)."""
        try:
            self.sio.shutdown()
        except Exception:  # noqa: BLE001 - best effort in teardown
            pass

    @property
    def connected(self) -> bool:
        return bool(self.sio.connected)

    # -- calling

    def call(self, event: str, payload: Any = None, timeout: float = 5.0) -> Any:
        """Emit with an ack and return the ack (raises socketio TimeoutError when none comes)."""
        if payload is None:
            payload = {}
        return self.sio.call(event, payload, timeout=timeout)

    # -- waiting on what was received

    def wait(self, predicate: Callable[[], Any], timeout: float = WAIT, what: str = "event") -> Any:
        """Wait until ``predicate()`` (evaluated under the recording lock) is truthy."""
        with self._cond:
            value = self._cond.wait_for(predicate, timeout)
            if not value:
                raise AssertionError(
                    f"{self!r}: timed out after {timeout:.1f} s waiting for "
                    f"{what}; last events: {_short(self.events[-3:])}"
                )
            return value

    def wait_state(
        self,
        predicate: Callable[[dict[str, Any]], Any],
        since: int = 0,
        timeout: float = WAIT,
        what: str = "a matching state",
    ) -> dict[str, Any]:
        """The first ``state`` received at index >= ``since`` that matches."""

        def found() -> dict[str, Any] | None:
            return next((s for s in self.states[since:] if predicate(s)), None)

        return self.wait(found, timeout, what)  # type: ignore[no-any-return]

    @property
    def state(self) -> dict[str, Any]:
        with self._cond:
            assert self.states, f"{self!r} has no state yet"
            return self.states[-1]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.auth.get('role')} {self.auth.get('code')}>"


class Phone(_Conn):
    """A participant: joins over HTTP (``POST /api/join/<code>``) unless given a token."""

    def __init__(self, server: Server, code: str, token: str | None = None, **kwargs: Any):
        self.code = code
        self.token = token if token is not None else join(server, code)
        super().__init__(
            server, {"role": "participant", "code": code, "token": self.token}, **kwargs
        )

    def respond(
        self, activity: str, value: Any, client_id: str | None = None, timeout: float = 5.0
    ) -> dict[str, Any]:
        """Send ``respond`` and return its ack; ``client_id`` is a new uuid unless given."""
        payload = {
            "activity": activity,
            "value": value,
            "client_id": client_id if client_id is not None else uuid.uuid4().hex,
        }
        ack: dict[str, Any] = self.call("respond", payload, timeout)
        return ack

    def ask(
        self, activity: str, text: Any, client_id: str | None = None, timeout: float = 5.0
    ) -> dict[str, Any]:
        """Send a Q&A ``ask`` and return its ack; ``client_id`` is a new uuid unless given."""
        payload = {
            "activity": activity,
            "text": text,
            "client_id": client_id if client_id is not None else uuid.uuid4().hex,
        }
        ack: dict[str, Any] = self.call("ask", payload, timeout)
        return ack

    def upvote(
        self, activity: str, question: str, vote: bool = True, timeout: float = 5.0
    ) -> dict[str, Any]:
        """Send a Q&A ``upvote`` (or take a vote back) and return its ack."""
        ack: dict[str, Any] = self.call(
            "upvote", {"activity": activity, "question": question, "vote": vote}, timeout
        )
        return ack

    def reconnect(self, timeout: float = WAIT) -> dict[str, Any]:
        """Close this socket, open a new one with the same token; returns the new snapshot."""
        if self.sio.connected:
            self.disconnect(timeout)
        self.sio.shutdown()
        self.sio = self._new_client()
        before = len(self.states)
        self.connect(timeout)
        return self.states[before]


class Screen(_Conn):
    """A control or projector screen, identified by a key (control key or projector key)."""

    def __init__(self, server: Server, code: str, role: str, key: str | None, **kwargs: Any):
        assert role in ("control", "projector")
        self.code = code
        auth = {"role": role, "code": code}
        if key is not None:
            auth["key"] = key
        super().__init__(server, auth, **kwargs)

    def call_retrying(
        self, event: str, payload: Any = None, timeout: float = WAIT
    ) -> dict[str, Any]:
        """An event's ack, retried (bounded by ``timeout``) while it is rate limited."""
        deadline = time.monotonic() + timeout
        while True:
            ack: dict[str, Any] = self.call(event, payload)
            if (
                ack.get("ok") is False
                and ack["error"]["code"] == "rate_limited"
                and time.monotonic() < deadline
            ):
                time.sleep(0.15)
                continue
            return ack

    def control(
        self, event: str, payload: dict[str, Any] | None = None, timeout: float = WAIT
    ) -> dict[str, Any]:
        """A control event that must succeed; retries (bounded) while rate limited."""
        ack = self.call_retrying(event, payload or {}, timeout)
        assert ack.get("ok") is True, f"{event} {payload!r} failed: {ack!r}"
        return ack

    def results_for(self, activity: str) -> list[dict[str, Any]]:
        with self._cond:
            return [r for r in self.results if r.get("activity") == activity]

    def wait_results(self, activity: str, rev: int, timeout: float = WAIT) -> dict[str, Any]:
        """The ``results`` of ``activity`` whose ``rev`` is exactly ``rev`` (the final one)."""

        def found() -> dict[str, Any] | None:
            return next(
                (r for r in self.results if r.get("activity") == activity and r.get("rev") == rev),
                None,
            )

        got: dict[str, Any] = self.wait(found, timeout, f"results of {activity} with rev {rev}")
        return got

    def latest_counts(self) -> dict[str, int] | None:
        """The newest counts seen, from a ``counts`` event or a control ``state``."""
        with self._cond:
            for event, data in reversed(self.events):
                if event == "counts":
                    return data  # type: ignore[no-any-return]
                if event == "state" and isinstance(data, dict) and "counts" in data:
                    return data["counts"]  # type: ignore[no-any-return]
        return None

    def wait_counts(self, expected: dict[str, int], timeout: float = WAIT) -> dict[str, int]:
        def same() -> bool:
            return self.latest_counts() == expected

        try:
            self.wait(same, timeout, f"counts {expected}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}; latest counts: {self.latest_counts()}") from None
        return expected


# ---------------------------------------------------------------------------- many phones


def connect_all(conns: Iterable[_Conn], workers: int = 10) -> None:
    """Connect several clients in parallel (each waits for its snapshot)."""
    items = list(conns)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for f in [pool.submit(c.connect) for c in items]:
            f.result()


def phones(server: Server, code: str, n: int, **kwargs: Any) -> list[Phone]:
    """``n`` phones: joined one after the other (participant ids in order), connected in
    parallel."""
    made = [Phone(server, code, **kwargs) for _ in range(n)]
    connect_all(made)
    return made


def in_parallel(fn: Callable[[Any], Any], items: Iterable[Any], workers: int = 10) -> list[Any]:
    """``fn(item)`` for every item from a thread pool; results in the items' order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))
