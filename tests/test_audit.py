"""Issue 12, the outside audit's findings, each against the real server (app.py) or a real
process: a client id reused for another answer, ... (one test per finding; docs/reliability.md
lists them with what was observed)."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from facilitator.instance import lock_database
from tests.livesrv import MINI, ROOT, Phone, Screen, create_live, free_port, refusal_code

WORKSHOP = ROOT / "tests" / "programmes" / "workshop.yaml"


def _room(server: Any) -> tuple[dict[str, Any], Screen]:
    info = create_live(server, MINI)
    control = Screen(server, info["code"], "control", info["control_key"]).connect()
    return info, control


def test_a_reused_client_id_is_refused_not_acked_as_a_duplicate(module_server: Any) -> None:
    info, control = _room(module_server)
    phone = Phone(module_server, info["code"]).connect()
    control.control("goto", {"activity": "kies"})
    cid = uuid.uuid4().hex
    first = phone.respond("kies", "rood", cid)
    assert first == {
        "ok": True,
        "activity": "kies",
        "client_id": cid,
        "value": "rood",
        "duplicate": False,
    }
    # the same id, activity and value: a retry, acknowledged again and counted once
    assert phone.respond("kies", "rood", cid) == {**first, "duplicate": True}
    # the same id for another value of the same activity: refused, the answer stays "rood"
    other_value = phone.respond("kies", "groen", cid)
    assert other_value["ok"] is False and other_value["error"]["code"] == "client_id_reused"
    # the same id for another activity (answering open there too): refused, nothing stored
    control.control("goto", {"activity": "meer"})
    other_activity = phone.respond("meer", ["a"], cid)
    assert other_activity["ok"] is False, other_activity
    assert other_activity["error"]["code"] == "client_id_reused"
    assert phone.call("snapshot")["state"]["answers"] == {"kies": "rood"}
    # after answering closed, a retry of the first answer is still a duplicate; a reuse is not
    control.control("close_answering")
    assert phone.respond("kies", "rood", cid) == {**first, "duplicate": True}
    late = phone.respond("kies", "blauw", cid)
    assert late["ok"] is False and late["error"]["code"] == "client_id_reused"
    module_server.assert_no_tracebacks()


def _second_server(
    server: Any, port: int, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Start another app.py beside ``server`` (its environment, changed by ``env``); it must
    refuse to start, so it is bounded by a timeout and never kept running."""
    return subprocess.run(
        [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env={**server.env, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_second_server_on_a_taken_port_refuses_to_start(
    module_server: Any, tmp_path: Path
) -> None:
    other_db = f"sqlite:///{tmp_path / 'other.sqlite'}"
    out = _second_server(module_server, module_server.port, {"DIALOOGTAFEL_DATABASE_URL": other_db})
    assert out.returncode == 3, (out.returncode, out.stdout, out.stderr)
    assert f"port {module_server.port} on 127.0.0.1 is in use" in out.stderr
    assert "sign-in" not in out.stdout  # refused before anything was started or printed
    # the first one still has the port to itself: every request reaches it
    assert all(
        requests.get(f"{module_server.url}/health", timeout=5).json() == {"ok": True}
        for _ in range(20)
    )


def test_a_second_server_on_the_same_database_refuses_to_start(module_server: Any) -> None:
    out = _second_server(module_server, free_port())
    assert out.returncode == 4, (out.returncode, out.stdout, out.stderr)
    assert "another server uses this database" in out.stderr
    assert str(module_server.db_path) + ".lock" in out.stderr


def test_the_database_lock_is_per_process_and_not_for_scale_out(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert lock_database("postgresql+psycopg://u@h/db") is None
    assert lock_database(url, message_queue="redis://127.0.0.1:6379/0") is None
    held = lock_database(url)
    assert held is not None
    held.close()  # the lock goes with the file (and with the process, however it ends)
    again = lock_database(url)
    assert again is not None
    again.close()


# ---------------------------------------------------------------- sign-in links and logout


def _printed_links(server: Any) -> list[str]:
    return re.findall(r"/login\?token=(\S+)", server.log_text())


def _login_link(server: Any) -> str:
    """``flask --app app login-link`` on the server's database: the fresh token."""
    out = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "login-link"],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, (out.stdout, out.stderr)
    link = out.stdout.strip().splitlines()[-1]
    assert link.startswith(f"{server.url}/login?token="), link
    assert "valid for 15 minutes" in out.stderr
    return link.rsplit("=", 1)[1]


def _sign_in(server: Any, token: str) -> tuple[int, requests.Session]:
    http = requests.Session()
    r = http.get(f"{server.url}/login", params={"token": token}, allow_redirects=False, timeout=5)
    return r.status_code, http


def test_sign_in_links_expire_and_only_the_newest_works(server: Any) -> None:
    at_start = _printed_links(server)
    assert len(at_start) == 1
    fresh = _login_link(server)
    # the link printed at start stopped working when a newer one was made
    assert _sign_in(server, at_start[0])[0] == 403
    # a link older than SIGN_IN_MINUTES (15) is refused: age it in the database
    with sqlite3.connect(server.db_path) as db:
        old = (datetime.now(UTC) - timedelta(minutes=16)).replace(tzinfo=None)
        assert db.execute("UPDATE sign_in_tokens SET created_at = ?", (old,)).rowcount == 1
    assert _sign_in(server, fresh)[0] == 403
    # the newest, within its time: once
    newest = _login_link(server)
    status, http = _sign_in(server, newest)
    assert status == 302
    assert http.get(f"{server.url}/control/", timeout=5).status_code == 200
    assert _sign_in(server, newest)[0] == 403
    # an unused link does not survive a restart (the server makes a new one at start)
    unused = _login_link(server)
    server.restart()
    assert _sign_in(server, unused)[0] == 403
    assert _sign_in(server, _printed_links(server)[-1])[0] == 302
    with sqlite3.connect(server.db_path) as db:
        assert db.execute("SELECT count(*) FROM sign_in_tokens").fetchone() == (1,)


def test_logout_revokes_a_saved_cookie(server: Any) -> None:
    info = create_live(server, MINI)
    code = info["code"]
    status, http = _sign_in(server, _login_link(server))
    assert status == 302
    # this browser also opened the live session's control link
    r = http.get(f"{server.url}/control/{code}", params={"key": info["control_key"]}, timeout=5)
    assert r.status_code == 200
    index = http.get(f"{server.url}/control/", timeout=5)
    assert index.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', index.text)
    assert csrf is not None
    saved = requests.utils.dict_from_cookiejar(http.cookies)
    assert _control_socket(server, code, saved) == "ok"
    urls = [
        f"{server.url}/control/",
        f"{server.url}/control/{code}",
        f"{server.url}/control/{code}/export.csv",
        f"{server.url}/projector/{code}",
    ]
    before = [http.get(u, timeout=30).status_code for u in urls]
    assert before == [200, 200, 200, 200]
    r = http.post(f"{server.url}/logout", data={"csrf_token": csrf.group(1)}, allow_redirects=False)
    assert r.status_code == 302
    # a copy of the cookie saved before the logout opens nothing any more
    thief = requests.Session()
    thief.cookies.update(saved)
    after = [thief.get(u, timeout=30).status_code for u in urls]
    assert after == [401, 403, 403, 403]
    # and the control screen's Socket.IO connection is refused with it too
    assert _control_socket(server, code, saved) == "forbidden"


def _control_socket(server: Any, code: str, cookies: dict[str, str]) -> str:
    """Connect a control screen with only a cookie: "ok", or the refusal's code."""
    errors: list[Any] = []
    sio = socketio.Client(reconnection=False)
    sio.on("connect_error", lambda data=None: errors.append(data))
    try:
        sio.connect(
            server.url,
            auth={"role": "control", "code": code},
            headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
            transports=["websocket"],
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError:
        return str(refusal_code(errors[-1]) or errors[-1]) if errors else "no answer"
    sio.disconnect()
    return "ok"


# ------------------------------------------------------------------ integers beyond 64 bits


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ({"question": 2**63}, "payload.question"),
        ({"question": 2**63 - 1}, None),
        ({"question": -(2**63)}, None),
        ({"question": -(2**63) - 1}, "payload.question"),
        ({"x": [{"y": 10**40}]}, "payload.x.0.y"),
        ({"x": [1, "2", {"z": [3, 2**64]}]}, "payload.x.2.z.1"),
        ({"k" * 40: 2**64}, "payload." + "k" * 32),
        ({"value": True, "text": "9" * 50}, None),
        (2**64, "payload"),
        ([], None),
    ],
)
def test_where_an_integer_lies_beyond_64_bits(payload: Any, where: str | None) -> None:
    from facilitator.events import oversized_int

    assert oversized_int(payload) == where


def test_integers_beyond_64_bits_are_bad_payloads(module_server: Any) -> None:
    info = create_live(module_server, WORKSHOP)
    control = Screen(module_server, info["code"], "control", info["control_key"]).connect()
    phone = Phone(module_server, info["code"]).connect()
    control.control("goto", {"activity": "vrij"})  # a Q&A without moderation
    asked = phone.ask("vrij", "Een vraag")
    assert asked["ok"] is True and asked["question"]["status"] == "approved", asked
    huge = [2**64, 2**63, -(2**63) - 1, 10**40]
    sent = []
    for n in huge:
        sent.append(phone.call("upvote", {"activity": "vrij", "question": n, "vote": True}))
        sent.append(
            control.call_retrying("moderate", {"activity": "vrij", "entry": n, "action": "pin"})
        )
        sent.append(phone.call("set_table", {"table": n}))
        sent.append(
            phone.call("respond", {"activity": "vrij", "value": n, "client_id": uuid.uuid4().hex})
        )
        sent.append(control.call_retrying("start_timer", {"seconds": n}))
        sent.append(control.call_retrying("goto", {"activity": "vrij", "x": [{"y": n}]}))
    codes = [a.get("error", {}).get("code") for a in sent]
    assert codes == ["bad_payload"] * len(sent), sent
    assert "beyond 64 bits" in sent[0]["error"]["message"]
    assert "payload.question" in sent[0]["error"]["message"]
    # the largest that fits is an ordinary unknown question, not an error of the server
    edge = phone.call("upvote", {"activity": "vrij", "question": 2**63 - 1, "vote": True})
    assert edge["error"]["code"] == "unknown_question", edge
    module_server.assert_no_tracebacks()


def test_tracebacks_of_failed_events_are_rate_limited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from facilitator import create_app, live
    from facilitator.programme import load_programme
    from tests.inprocess import app_config, phone

    app = create_app({**app_config(tmp_path), "TRACEBACK_BURST": 5, "TRACEBACK_RATE": 1e-6})
    try:
        with app.app_context():
            code = live.start(load_programme(MINI), MINI.name).code

        def broken(*_: Any) -> Any:
            raise RuntimeError("a bug " + "x" * 2000)

        monkeypatch.setattr(live, "set_table", broken)
        acks = []
        with caplog.at_level(logging.ERROR, logger="facilitator.events"):
            for _ in range(4):  # 4 phones of 10 events (each connection's budget is 20)
                sock = phone(app, code)
                acks += [sock.emit("set_table", {"table": 1}, callback=True) for _ in range(10)]
        assert [a["error"]["code"] for a in acks] == ["server_error"] * 40
        records = [r for r in caplog.records if r.name == "facilitator.events"]
        assert len(records) == 40
        assert sum(r.exc_info is not None for r in records) == 5
        assert sum("traceback left out" in r.getMessage() for r in records) == 35
    finally:
        live.reset_caches()


# ------------------------------------------------------------------ the cookie behind a proxy


@pytest.mark.server
@pytest.mark.parametrize("proxies", [1, 0])
def test_the_session_cookie_is_secure_behind_an_https_proxy(tmp_path: Path, proxies: int) -> None:
    """The public URL is http (as the proxy's upstream often is): the cookie is Secure when a
    trusted proxy says the browser came over https, and only then."""
    from tests.livesrv import running_server

    env = {"DIALOOGTAFEL_PROXY_COUNT": str(proxies)}
    with running_server(tmp_path, env=env) as srv:
        code = create_live(srv, MINI)["code"]

        def cookie(headers: dict[str, str]) -> str:
            r = requests.get(f"{srv.url}/j/{code}", headers=headers, timeout=10)
            assert r.status_code == 200
            return str(r.headers["Set-Cookie"])

        https = cookie({"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.7"})
        http = cookie({"X-Forwarded-Proto": "http", "X-Forwarded-For": "192.0.2.8"})
        plain = cookie({})
    assert "dialoogtafel=" in https and "HttpOnly" in https
    assert ("; Secure" in https) is bool(proxies)  # an untrusted header changes nothing
    assert "; Secure" not in http and "; Secure" not in plain


# ------------------------------------------------------------ the database and its folder


@pytest.mark.server
def test_the_database_is_private_and_holds_no_link_key(tmp_path: Path) -> None:
    from tests.livesrv import running_server

    instance = ROOT / "instance"
    instance.mkdir(exist_ok=True)
    instance.chmod(0o755)  # as a checkout or an earlier version left it
    with running_server(tmp_path) as srv:
        info = create_live(srv, MINI)
        control = Screen(srv, info["code"], "control", info["control_key"]).connect()
        phone = Phone(srv, info["code"]).connect()
        control.control("goto", {"activity": "kies"})
        assert phone.respond("kies", "rood")["ok"] is True
        files = [srv.db_path, Path(f"{srv.db_path}-wal"), Path(f"{srv.db_path}-shm")]
        modes = {f.name: oct(f.stat().st_mode & 0o777) for f in files}
        assert modes == {f.name: "0o600" for f in files}
        assert oct(instance.stat().st_mode & 0o777) == "0o700"
        # neither link's key is anywhere in the database's files (only a nonce is)
        raw = b"".join(f.read_bytes() for f in files)
        for key in (info["control_key"], info["projector_key"]):
            assert key.encode() not in raw
        with sqlite3.connect(srv.db_path) as db:
            columns = [r[1] for r in db.execute("PRAGMA table_info(live_sessions)")]
        assert "key_nonce" in columns and "control_key" not in columns
        # the keys are the secret key's: a server on the same file with another secret
        # key does not take them
        srv.stop()
        srv.env["DIALOOGTAFEL_SECRET_KEY"] = "another-secret"
        srv.start()
        refused = Screen(srv, info["code"], "control", info["control_key"])
        with pytest.raises(Exception, match="forbidden"):
            refused.connect()


# ------------------------------------------------------------------ idle connections


def _raw(server: Any, source: str) -> socket.socket:
    """A TCP connection to the server from a loopback address of our choosing (all of
    127.0.0.0/8 is this machine), that sends nothing."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", server.port))
    return sock


def _closed_by_server(sock: socket.socket, within: float = 20.0) -> bool:
    """Whether the server ends the connection (EOF or reset) before ``within`` seconds pass
    (a bound on the wait, not a measurement)."""
    sock.settimeout(within)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def _health(server: Any, source: str) -> int:
    with socket.create_connection(
        ("127.0.0.1", server.port), timeout=10, source_address=(source, 0)
    ) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head = s.recv(64)
    return int(head.split()[1])


@pytest.mark.server
def test_idle_connections_are_closed_capped_per_address_and_health_answers(
    tmp_path: Path,
) -> None:
    from tests.livesrv import running_server

    env = {
        "DIALOOGTAFEL_MAX_CONNECTIONS": "24",
        "DIALOOGTAFEL_CONNECTION_RESERVE": "4",
        "DIALOOGTAFEL_MAX_CONNECTIONS_PER_ADDRESS": "8",
        "DIALOOGTAFEL_HANDSHAKE_TIMEOUT": "3",
    }
    with running_server(tmp_path, env=env) as srv:
        # a connection that sends nothing, and one that sends its head a byte at a time, are
        # closed by the server; a phone's WebSocket that completed its handshake is not
        info, control = _room(srv)
        phone = Phone(srv, info["code"]).connect()
        silent = _raw(srv, "127.0.0.2")
        slow = _raw(srv, "127.0.0.2")
        slow.sendall(b"GET /health HTTP/1.1\r\n")
        assert _closed_by_server(silent)
        assert _closed_by_server(slow)
        silent.close()
        slow.close()
        assert phone.connected and control.connected
        assert phone.call("snapshot")["ok"] is True
        # a cap per address: the 9th idle connection from one address is closed at once,
        # while another address is served
        hoard = [_raw(srv, "127.0.0.3") for _ in range(8)]
        ninth = _raw(srv, "127.0.0.3")
        assert _closed_by_server(ninth, within=2.5)  # before the 3 s handshake deadline
        assert _health(srv, "127.0.0.4") == 200
        # the cap reached (24 = 2 screens + 8 + 14 idle ones from other addresses):
        # /health still answers, from the reserve
        hoard += [_raw(srv, f"127.0.0.{5 + i // 7}") for i in range(14)]
        assert _health(srv, "127.0.0.9") == 200
        for sock in hoard:
            assert _closed_by_server(sock)  # and then the idle ones go
            sock.close()
        ninth.close()
        assert _health(srv, "127.0.0.4") == 200
        assert phone.call("snapshot")["ok"] is True
        srv.assert_no_tracebacks()


# ------------------------------------------------------- the first state after CONNECT


def _strict_connect(server: Any, auth: dict[str, Any]) -> list[str]:
    """A strict Socket.IO client on a raw WebSocket: Engine.IO open, then CONNECT with
    ``auth``; returns the first two Socket.IO packets the server sends after that."""
    import websocket

    url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = websocket.create_connection(url, timeout=10, suppress_origin=True)
    try:
        opened = ws.recv()
        assert opened.startswith("0{") and '"sid"' in opened, opened
        ws.send("40" + json.dumps(auth))
        packets: list[str] = []
        while len(packets) < 2:
            frame = ws.recv()
            if frame == "2":  # an Engine.IO ping: answer it, it is not a Socket.IO packet
                ws.send("3")
                continue
            packets.append(frame)
        return packets
    finally:
        ws.close()


def test_the_first_state_follows_the_connect_packet(module_server: Any) -> None:
    info = create_live(module_server, MINI)
    token = requests.post(f"{module_server.url}/api/join/{info['code']}", timeout=5).json()["token"]
    for auth in (
        {"role": "participant", "code": info["code"], "token": token},
        {"role": "control", "code": info["code"], "key": info["control_key"]},
        {"role": "projector", "code": info["code"], "key": info["projector_key"]},
    ):
        first, second = _strict_connect(module_server, auth)
        assert first.startswith("40{") and json.loads(first[2:]).keys() == {"sid"}, (auth, first)
        assert second.startswith('42["state",'), (auth, second[:80])
        state = json.loads(second[2:])[1]
        assert state["code"] == info["code"] and isinstance(state["version"], int)
    # a refusal is still a CONNECT_ERROR with the code, and nothing before it
    import websocket

    url = module_server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = websocket.create_connection(url, timeout=10, suppress_origin=True)
    try:
        ws.recv()
        ws.send("40" + json.dumps({"role": "control", "code": info["code"], "key": "wrong"}))
        refused = ws.recv()
    finally:
        ws.close()
    assert refused.startswith("44{") and json.loads(refused[2:])["data"]["code"] == "forbidden"


# ------------------------------------------------------------ licence and accessibility


def test_the_licence_is_the_full_agpl_and_the_accessibility_statement_is_complete() -> None:
    import tomllib

    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007")
    headings = re.findall(r"^(\d+)\. [A-Z]", licence, flags=re.MULTILINE)
    assert headings == [str(n) for n in range(18)]  # sections 0 to 17, each once, in order
    assert "END OF TERMS AND CONDITIONS" in licence
    assert "13. Remote Network Interaction" in licence  # what makes it the Affero licence
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"]["text"].startswith("AGPL-3.0")

    statement = (ROOT / "docs" / "accessibility.md").read_text(encoding="utf-8")
    for heading in ("## What is tested", "## Figures of the last run", "## Known limits"):
        assert f"\n{heading}\n" in statement, heading
    assert "\n## Reporting a problem\n" in statement
    # every test file it names exists; those in the table of what axe checks run axe-core
    named = set(re.findall(r"`(tests/test_\w+\.py)", statement))
    assert all((ROOT / path).is_file() for path in named), named
    table = statement.split("## What is tested", 1)[1].split("Beyond axe:", 1)[0]
    axe_files = set(re.findall(r"`(tests/test_\w+\.py)", table))
    assert len(axe_files) == 5, axe_files
    for path in axe_files:
        assert "axe" in (ROOT / path).read_text(encoding="utf-8"), path
