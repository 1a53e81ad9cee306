"""Privacy, against the real server process: what the database never holds, and the privacy
notice a phone gets before its first answer.

- A whole session (phones joining through the page and the API from several addresses, behind a
  proxy that says where they come from, with a recognisable User-Agent; answers of every kind,
  questions, votes, tables, moderation, a timer, a lock) leaves no IP address, no User-Agent and
  no participant token anywhere in the database: every table of the file is dumped and searched,
  and the raw bytes of the database file and its WAL too; the server's output neither.
- The programme's privacy notice is in the first snapshot a phone receives (and on its page),
  before it can answer; without one configured, there is none.

``flask --app app live delete CODE`` and ``live purge --older-than 90d`` removing every row of a
live session are tested in test_limits.py (test_delete_leaves_nothing_behind,
test_purge_older_than); here: the deleted text is not readable in the database file either.
"""

from __future__ import annotations

import gc
import json
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio as socketio_client

from tests.livesrv import (
    MINI,
    ROOT,
    Phone,
    Screen,
    Server,
    create_live,
    start_server,
)

pytestmark = [
    pytest.mark.server,
    pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <socket:pytest.PytestUnraisableExceptionWarning"
    ),
]

HERE = Path(__file__).resolve().parent
WORKSHOP = HERE / "programmes" / "workshop.yaml"
FIGURES = ROOT / "test-artifacts" / "reliability"
USER_AGENT = "PrivacyProbe/7.3 (Linux; Android 14; Pixel-Testtoestel-4711) Mobile"
FORWARDED = ["203.0.113.77", "198.51.100.23"]  # documentation addresses (RFC 5737)


@pytest.fixture(autouse=True)
def _collect_garbage() -> Iterator[None]:
    yield
    gc.collect()


def record_figures(name: str, **figures: Any) -> None:
    FIGURES.mkdir(parents=True, exist_ok=True)
    (FIGURES / f"{name}.json").write_text(
        json.dumps({**figures, "at": time.strftime("%Y-%m-%d %H:%M:%S")}, indent=1, sort_keys=True)
    )


class Browser:
    """A phone as a browser would be: its own cookie jar, a User-Agent, an address the proxy
    reports in X-Forwarded-For; joins through the page and connects with its cookie."""

    def __init__(self, srv: Server, code: str, forwarded_for: str):
        self.srv = srv
        self.http = requests.Session()
        self.http.headers.update(
            {
                "User-Agent": USER_AGENT,
                "X-Forwarded-For": forwarded_for,
                "Accept-Language": "nl-BE,nl;q=0.9",
            }
        )
        r = self.http.get(f"{srv.url}/j/{code}", timeout=10)
        assert r.status_code == 200, r.status_code
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        self.sio = socketio_client.Client(reconnection=False)
        self.sio.connect(
            srv.url,
            transports=["websocket"],
            wait_timeout=10,
            headers={"Cookie": cookie, "User-Agent": USER_AGENT, "X-Forwarded-For": forwarded_for},
            auth={"role": "participant", "code": code},
        )

    def call(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        ack: dict[str, Any] = self.sio.call(event, payload, timeout=10)
        return ack

    def close(self) -> None:
        self.sio.shutdown()
        self.http.close()


def every_value(db_path: Path) -> list[tuple[str, str, str]]:
    """(table, column, value as text) of every cell of every table in the file."""
    out = []
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cur = conn.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cur.description]
            for row in cur.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        text = (
                            value.decode("utf-8", "replace")
                            if isinstance(value, bytes)
                            else str(value)
                        )
                        out.append((table, column, text))
    return out


def test_no_ip_address_or_user_agent_is_stored(tmp_path: Path) -> None:
    """After a whole session, no IP address, User-Agent or participant token is anywhere in
    the database (every table, every column, and the raw file and WAL), nor in the server's
    output."""
    srv = start_server(
        tmp_path,
        env={
            # the public address is not the loopback one, so "127.0.0.1" in the data would be a leak
            "DIALOOGTAFEL_PUBLIC_URL": "http://dialoog.example:5000",
            # behind one proxy: X-Forwarded-For is believed, so the app does see the phones'
            # "real" addresses
            "DIALOOGTAFEL_PROXY_COUNT": "1",
        },
    )
    browsers: list[Browser] = []
    try:
        live_ = create_live(srv, WORKSHOP)
        code = live_["code"]
        tokens: list[str] = []
        control = Screen(srv, code, "control", live_["control_key"]).connect()
        browsers = [Browser(srv, code, FORWARDED[i % 2]) for i in range(4)]
        api_phones = []
        for i in range(3):
            r = requests.post(
                f"{srv.url}/api/join/{code}",
                timeout=10,
                headers={"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED[i % 2]},
            )
            token = r.json()["token"]
            tokens.append(token)
            api_phones.append(Phone(srv, code, token=token).connect())
        # facilitator actions with the same User-Agent
        with requests.Session() as fac:
            fac.headers.update({"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED[0]})
            match = re.search(r"/login\?token=([A-Za-z0-9_-]+)", srv.log_text())
            assert match
            assert (
                fac.get(
                    f"{srv.url}/login", params={"token": match.group(1)}, timeout=10
                ).status_code
                == 200
            )
            assert fac.get(f"{srv.url}/control/{code}", timeout=10).status_code == 200
        answers = {
            "org": "clb",
            "wolk": ["samen", "tijd"],
            "rang": ["b", "a", "d", "c"],
            "blokken": {"x": "ok", "y": "moeilijk"},
            "voor": {"position": 4, "why": "Ik ben 127.0.0.1 en gebruik PrivacyProbe"},
            "mening": "Mijn mening, zonder adres",
            "e1": "ja",
            "e2": {"position": 8},
            "e3": "Tot ziens",
        }
        n = 0
        for activity, value in answers.items():
            control.control("goto", {"activity": activity})
            for b in browsers:
                n += 1
                assert b.call(
                    "respond",
                    {"activity": activity, "value": value, "client_id": f"privacy-{n:05d}"},
                )["ok"]
            for p in api_phones:
                assert p.respond(activity, value)["ok"]
        control.control("goto", {"activity": "vrij"})
        q = browsers[0].call(
            "ask",
            {"activity": "vrij", "text": "Wie ziet mijn adres?", "client_id": "privacy-ask-1"},
        )
        assert q["ok"]
        for b in browsers[1:]:
            assert b.call(
                "upvote", {"activity": "vrij", "question": q["question"]["id"], "vote": True}
            )["ok"]
        control.control("goto", {"activity": "mening"})
        entry = control.call("snapshot")["state"]["result"]["entries"][0]["id"]
        control.control("moderate", {"activity": "mening", "entry": entry, "action": "approve"})
        control.control("start_timer", {"seconds": 30})
        control.control("stop_timer")
        control.control("lock_joining", {"locked": True})
        control.control("lock_joining", {"locked": False})

        # the (deliberately planted) IP and UA inside an answer's text are the participant's
        # own words, not metadata: leave that one cell out of the search
        planted = answers["voor"]["why"]
        needles = {
            "127.0.0.1": "the loopback address",
            FORWARDED[0]: "a forwarded address",
            FORWARDED[1]: "a forwarded address",
            USER_AGENT: "the User-Agent",
            "PrivacyProbe": "the User-Agent",
            "Pixel-Testtoestel": "the User-Agent",
        }
        needles.update({t: "a participant token" for t in tokens})
        cells = every_value(srv.db_path)
        found = [
            (table, column, what)
            for table, column, text in cells
            for needle, what in needles.items()
            if needle in text and planted not in text
        ]
        assert not found, f"stored: {found}"
        assert len(cells) > 100
        # the raw bytes too (free pages, the WAL)
        raw = b"".join(p.read_bytes() for p in srv.db_path.parent.glob(srv.db_path.name + "*"))
        raw_found = [
            what
            for needle, what in needles.items()
            if needle.encode() in raw.replace(planted.encode(), b"")
        ]
        assert not raw_found, f"in the database file: {raw_found}"
        log = srv.log_text()
        assert not any(needle in log for needle in (USER_AGENT, *FORWARDED)), log[-3000:]
        srv.assert_no_tracebacks()
        record_figures(
            "privacy",
            cells_searched=len(cells),
            raw_bytes_searched=len(raw),
            needles=len(needles),
            found=0,
        )
    finally:
        for b in browsers:
            b.close()
        srv.close_clients()
        srv.stop()


NOTICE = {
    "nl": "We bewaren je antwoorden anoniem, 90 dagen. Geen namen, geen adressen.",
    "en": "Your answers are kept anonymously for 90 days. No names, no addresses.",
}


def test_privacy_notice_reaches_the_phone_before_its_first_answer(tmp_path: Path) -> None:
    """The programme's privacy notice is in the first state a phone receives after connecting
    (before it can send anything) and in the phone page; a programme without one sends none."""
    text = MINI.read_text(encoding="utf-8")
    marker = '  title: {nl: "Mini", en: "Mini"}\n'
    assert marker in text
    with_notice = tmp_path / "notice.yaml"
    with_notice.write_text(
        text.replace(
            marker,
            marker
            + "  settings:\n    privacy_notice: "
            + json.dumps(NOTICE, ensure_ascii=False)
            + "\n",
        ),
        encoding="utf-8",
    )
    srv = start_server(tmp_path)
    try:
        for programme, expected in ((with_notice, NOTICE), (MINI, None)):
            live_ = create_live(srv, programme)
            phone = Phone(srv, live_["code"]).connect()
            first = phone.states[0]
            assert first.get("privacy_notice") == expected, first.get("privacy_notice")
            # the very first thing the phone gets (with the connect): nothing comes before it
            assert [e for e, _d in phone.events[:2]].count("state") == 1
            # the page a browser opens carries it in its first render too
            with requests.Session() as http:
                page = http.get(live_["participant_url"], timeout=10).text
                state = json.loads(
                    re.search(
                        r'<script type="application/json" id="state">(.*?)</script>', page, re.S
                    ).group(1)
                )
                assert state.get("privacy_notice") == expected
            # and it stays in the snapshots that follow (room broadcasts included)
            control = Screen(srv, live_["code"], "control", live_["control_key"]).connect()
            mark = len(phone.states)
            control.control("goto", {"activity": "kies"})
            after = phone.wait_state(lambda s: s.get("activity") is not None, since=mark)
            assert after.get("privacy_notice") == expected
        srv.assert_no_tracebacks()
    finally:
        srv.close_clients()
        srv.stop()


# Found by this test: the deleted answers stayed readable in the WAL and in freed pages; fixed
# with PRAGMA secure_delete=ON and a WAL checkpoint after delete and purge.
def test_deleted_answers_leave_no_readable_trace_in_the_file(tmp_path: Path) -> None:
    """``live delete`` removes the rows; their text must not stay readable in the database
    file's free pages or its WAL either (SQLite keeps deleted content unless secure_delete)."""
    srv = start_server(tmp_path)
    try:
        live_ = create_live(srv, MINI)
        code = live_["code"]
        control = Screen(srv, code, "control", live_["control_key"]).connect()
        control.control("goto", {"activity": "tekst"})
        secret = "Vertrouwelijk-antwoord-8c41f: mijn directeur weet het niet"
        phone = Phone(srv, code).connect()
        assert phone.respond("tekst", secret)["ok"]
        srv.close_clients()
        out = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "live", "delete", code],
            cwd=ROOT,
            env=srv.env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        assert not any(secret in text for _t, _c, text in every_value(srv.db_path))
        srv.stop()  # a clean stop checkpoints the WAL into the file
        raw = b"".join(p.read_bytes() for p in srv.db_path.parent.glob(srv.db_path.name + "*"))
        assert secret.encode() not in raw, (
            "the deleted answer is still readable in the database file"
        )
    finally:
        srv.close_clients()
        srv.stop()
