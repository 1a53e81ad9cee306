"""Stricter joining per live session (issue 12, item 13): ``open`` (the default: anyone with the
code), ``table_code`` (only through a table card's QR code, which carries a key) and
``personal_codes`` (one printed one-time code per person). Over a real server: the audit made
419 participants from one address in 10 s; in the strict modes a script with the join code
alone makes none."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.conftest import MINI, ROOT
from tests.livesrv import Phone, Screen, running_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with running_server(tmp_path_factory.mktemp("join-modes")) as server:
        yield server


def create(server: Any, *args: str) -> dict[str, Any]:
    """``flask --app app live create mini.yaml --json ARGS`` on the server's database."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "live",
            "create",
            str(MINI),
            "--json",
            *args,
        ],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    import json

    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    data["control_key"] = parse_qs(urlsplit(data["control_url"]).query)["key"][0]
    data["projector_key"] = parse_qs(urlsplit(data["projector_url"]).query)["key"][0]
    return data


def control_browser(server: Any, made: dict[str, Any]) -> requests.Session:
    http = requests.Session()
    assert http.get(made["control_url"], timeout=5).status_code == 200
    return http


def api_join(server: Any, code: str, **params: str) -> requests.Response:
    return requests.post(f"{server.url}/api/join/{code}", params=params, timeout=5)


def participants(server: Any, code: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(server.db_path)
    try:
        return con.execute(
            'SELECT p.id, p."table" FROM participants p JOIN live_sessions l ON l.id = p.live_id '
            "WHERE l.code = ? ORDER BY p.id",
            (code,),
        ).fetchall()
    finally:
        con.close()


def test_personal_codes(srv) -> None:
    made = create(srv, "--join", "personal_codes")
    code = made["code"]
    http = control_browser(srv, made)
    page = http.get(f"{srv.url}/control/{code}/codes", timeout=5)
    assert page.status_code == 200 and "0 codes afgedrukt, 0 gebruikt." in page.text
    # the sheet is for the participants: in the live session's language (here the
    # programme's, Dutch), whatever the facilitator's browser asks for
    english = http.get(
        f"{srv.url}/control/{code}/codes", headers={"Accept-Language": "en"}, timeout=5
    )
    assert '<html lang="nl">' in english.text and "0 codes afgedrukt" in english.text
    [token] = re.findall(r'name="csrf_token" value="([^"]+)"', page.text)
    for bad in ("0", "501", "x", ""):
        r = http.post(
            f"{srv.url}/control/{code}/codes", data={"csrf_token": token, "count": bad}, timeout=5
        )
        assert r.status_code == 400
    r = http.post(
        f"{srv.url}/control/{code}/codes", data={"csrf_token": token, "count": "6"}, timeout=5
    )
    assert r.status_code == 200 and "6 codes afgedrukt, 0 gebruikt." in r.text
    printed = re.findall(r'class="table-card-number mono">([A-Z0-9]{4}-[A-Z0-9]{4})<', r.text)
    assert len(printed) == 6 and len(set(printed)) == 6
    assert re.findall(r"\?p=([A-Z0-9]{8})<", r.text) == [c.replace("-", "") for c in printed]
    # the same codes when the page is printed again
    again = http.get(f"{srv.url}/control/{code}/codes", timeout=5).text
    assert re.findall(r'class="table-card-number mono">([A-Z0-9-]{9})<', again) == printed
    # another browser (no control link) sees nothing and cannot add codes
    assert requests.get(f"{srv.url}/control/{code}/codes", timeout=5).status_code == 403

    # a script with the join code alone: refused, 40 times
    for _ in range(40):
        r = api_join(srv, code)
        assert r.status_code == 403 and r.json()["error"]["code"] == "join_code_required"
    for wrong in ("ABCDEFGH", printed[0][:-1], "x" * 5000):
        assert api_join(srv, code, p=wrong).json()["error"]["code"] == "join_code_required"
    assert participants(srv, code) == []

    # each printed code joins one person, once (typed in lower case, with or without the dash)
    tokens = []
    for i, personal in enumerate(printed[:5]):
        typed = personal.lower() if i % 2 else personal.replace("-", "")
        r = api_join(srv, code, p=typed)
        assert r.status_code == 200, r.text
        tokens.append(r.json()["token"])
        used = api_join(srv, code, p=personal)
        assert used.status_code == 403 and used.json()["error"]["code"] == "join_code_used"
    assert len(participants(srv, code)) == 5

    # the phone page: asks for the code, refuses a used one, joins with the last one
    phone = requests.Session()
    ask = phone.get(f"{srv.url}/j/{code}", timeout=5)
    assert ask.status_code == 403 and "Typ de persoonlijke code die je kreeg" in ask.text
    used = phone.get(f"{srv.url}/j/{code}", params={"p": printed[0]}, timeout=5)
    assert used.status_code == 403 and "Deze persoonlijke code is al gebruikt" in used.text
    wrong = phone.get(f"{srv.url}/j/{code}", params={"p": "ZZZZZZZZ"}, timeout=5)
    assert wrong.status_code == 403 and "Deze code klopt niet" in wrong.text
    joined = phone.get(f"{srv.url}/j/{code}", params={"p": printed[5]}, timeout=5)
    assert joined.status_code == 200 and joined.url == f"{srv.url}/j/{code}"
    assert phone.get(f"{srv.url}/j/{code}", timeout=5).status_code == 200  # the cookie stays
    assert len(participants(srv, code)) == 6
    assert (
        "6 codes afgedrukt, 6 gebruikt."
        in http.get(f"{srv.url}/control/{code}/codes", timeout=5).text
    )

    # the participants answer and are counted, no more
    control = Screen(srv, code, "control", made["control_key"]).connect()
    control.control("goto", {"activity": "kies"})
    for t in tokens:
        assert Phone(srv, code, token=t).connect().respond("kies", "rood")["ok"] is True
    result = control.call("snapshot")["state"]["result"]
    assert result["respondents"] == 5
    projector = Screen(srv, code, "projector", made["projector_key"]).connect()
    join = projector.states[-1]["join"]
    assert join["mode"] == "personal_codes" and join["qr"] is None
    srv.assert_no_tracebacks()


def test_table_codes(srv) -> None:
    made = create(srv, "--tables", "3", "--join", "table_code")
    code = made["code"]
    http = control_browser(srv, made)
    cards = http.get(f"{srv.url}/control/{code}/tables", timeout=5).text
    links = re.findall(r'class="table-card-url">([^<]+)<', cards)
    assert len(links) == 3
    keys = {}
    for n, link in enumerate(links, start=1):
        query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
        assert query["t"] == [str(n)]
        keys[n] = query["k"][0]
    assert len(set(keys.values())) == 3
    assert cards.count('src="data:image/svg+xml;base64,') == 3  # drawn in: no public QR route
    # the public QR code of a table carries no key
    svg = requests.get(f"{srv.url}/projector/{code}/qr.svg", params={"t": 1}, timeout=5).text
    assert keys[1] not in svg

    for params in ({}, {"t": "1"}, {"t": "1", "k": keys[2]}, {"t": "2", "k": "0" * 16}):
        r = api_join(srv, code, **params)
        assert r.status_code == 403 and r.json()["error"]["code"] == "join_code_required", params
    assert participants(srv, code) == []
    for n in (1, 2, 2, 3):
        r = api_join(srv, code, t=str(n), k=keys[n])
        assert r.status_code == 200, r.text
    assert [t for _pid, t in participants(srv, code)] == [1, 2, 2, 3]

    phone = requests.Session()
    bare = phone.get(f"{srv.url}/j/{code}", timeout=5)
    assert bare.status_code == 403 and "Scan de code op de kaart op je tafel" in bare.text
    scanned = phone.get(links[2].replace("&amp;", "&"), timeout=5)
    assert scanned.status_code == 200 and scanned.url == f"{srv.url}/j/{code}"
    assert [t for _pid, t in participants(srv, code)] == [1, 2, 2, 3, 3]

    projector = Screen(srv, code, "projector", made["projector_key"]).connect()
    assert projector.states[-1]["join"]["qr"] is None
    srv.assert_no_tracebacks()


def test_open_stays_the_default(srv) -> None:
    made = create(srv)
    code = made["code"]
    for _ in range(3):
        assert api_join(srv, code).status_code == 200
    assert len(participants(srv, code)) == 3
    projector = Screen(srv, code, "projector", made["projector_key"]).connect()
    join = projector.states[-1]["join"]
    assert join["mode"] == "open" and join["qr"] == f"/projector/{code}/qr.svg"
    http = control_browser(srv, made)
    assert http.get(f"{srv.url}/control/{code}/codes", timeout=5).status_code == 404


def test_table_codes_need_tables(srv, tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "live",
            "create",
            str(MINI),
            "--join",
            "table_code",
        ],
        cwd=ROOT,
        env=srv.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert out.returncode == 1
    assert "joining through table codes needs at least one table" in out.stderr
