"""A big export does not stop the real server (python app.py, eventlet: one process, one
thread): while a ZIP of 2,000 participants x 40 activities is being made for a download, a
phone joins, connects, answers and gets its ack, and /health answers, all BEFORE the download's
response has even begun. Then the ZIP is opened with the real readers and checked.

The server has no Chromium here, so that the whole export is Python's work: with a PDF, an
export built in the server's thread would still let the hub run while it waited (cooperatively)
for Chromium, and the test would prove less. The PDF through the child is in
tests/test_export_jobs.py.

The live session is seeded straight into the server's SQLite file by bench/export.py --build
(the export benchmark's room, smaller). The proof is an ordering, not a time: the export child
is seen running while the phone's ack and /health arrive, and the download's headers come
after both (an export built inside the server's thread would send them first: the hub could
serve nothing else until it had finished)."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests

from facilitator.store import derive_link_key
from tests.livesrv import ROOT, Phone, Screen, start_server, wait_for

pytestmark = pytest.mark.server
openpyxl = pytest.importorskip("openpyxl")

PARTICIPANTS = 2000


def export_children(server_pid: int) -> list[int]:
    """The server's export children still running."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if (
            int(stat.rsplit(")", 1)[1].split()[1]) == server_pid
            and b"facilitator.export_job" in cmd
        ):
            found.append(int(pid))
    return found


@pytest.fixture
def seeded(tmp_path: Path) -> dict[str, Any]:
    """The benchmark's room (every kind of activity, all closed) in the server's database."""
    db = tmp_path / "db.sqlite"
    out = subprocess.run(
        [
            sys.executable,
            "bench/export.py",
            "--build",
            str(db),
            "--participants",
            str(PARTICIPANTS),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    room = json.loads(out.stdout.strip().splitlines()[-1])
    with sqlite3.connect(db) as conn:
        # the database holds only the link's nonce; the key is derived with the secret key
        # the server gets (tests/livesrv.py)
        nonce = conn.execute(
            "SELECT key_nonce FROM live_sessions WHERE code=?", (room["code"],)
        ).fetchone()[0]
        room["control_key"] = derive_link_key(b"livesrv-test-secret", nonce, "control")
        room["counts"] = dict(
            conn.execute(
                "SELECT activity_id, COUNT(*) FROM responses GROUP BY activity_id"
            ).fetchall()
        )
    return room


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_a_big_export_does_not_block_the_server(
    tmp_path: Path, seeded: dict[str, Any], mode: str
) -> None:
    """Under both async modes (gevent is the optional extra: skipped where it is missing)."""
    if mode == "gevent":
        pytest.importorskip("gevent", reason="gevent is not installed (pip install -e '.[gevent]')")
    server = start_server(
        tmp_path,
        env={"DIALOOGTAFEL_CHROMIUM": "/nonexistent/chromium", "DIALOOGTAFEL_ASYNC_MODE": mode},
    )
    try:
        run(server, seeded)
    finally:
        try:
            server.close_clients()
        finally:
            server.stop()
            print(server.log_text())


def run(server: Any, room: dict[str, Any]) -> None:
    code = room["code"]
    control = Screen(server, code, "control", room["control_key"]).connect()
    control.control("goto", {"activity": "keuze0"})
    control.control("open_answering")

    browser = requests.Session()
    assert (
        browser.get(
            f"{server.url}/control/{code}?key={room['control_key']}",
            allow_redirects=False,
            timeout=10,
        ).status_code
        == 302
    )
    events: list[tuple[str, float]] = []
    lock = threading.Lock()

    def record(what: str) -> None:
        with lock:
            events.append((what, time.monotonic()))

    download: dict[str, Any] = {}

    def fetch() -> None:
        try:
            with browser.get(
                f"{server.url}/control/{code}/export.zip", stream=True, timeout=120
            ) as resp:
                record("headers")
                download["status"] = resp.status_code
                download["headers"] = dict(resp.headers)
                download["body"] = resp.content
                record("body")
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            download["error"] = exc
            record("failed")

    fetcher = threading.Thread(target=fetch)
    record("download requested")
    fetcher.start()
    # the export is being made: its child process runs
    wait_for(lambda: export_children(server.proc.pid), 15, "the export's child process")
    record("export running")

    phone = Phone(server, code)  # joins over HTTP
    phone.connect()
    ack = phone.respond("keuze0", "o3")
    assert ack["ok"] is True, ack
    record("ack")
    health = requests.get(f"{server.url}/health", timeout=10)
    assert health.status_code == 200 and health.json() == {"ok": True}
    record("health")
    still_running = bool(export_children(server.proc.pid))

    fetcher.join(150)
    assert not fetcher.is_alive(), "the download did not finish"
    assert "error" not in download, download.get("error")
    order = [what for what, _t in events]
    assert order.index("ack") < order.index("headers"), order
    assert order.index("health") < order.index("headers"), order
    assert still_running, f"the export had finished before the phone's ack: {order}"
    when = dict(events)
    print(
        f"export running after {when['export running'] - when['download requested']:.2f} s;"
        f" ack {when['ack'] - when['export running']:.2f} s later; headers "
        f"{when['headers'] - when['download requested']:.2f} s, body "
        f"{when['body'] - when['download requested']:.2f} s after the request"
    )

    # --- the download: complete and correct
    assert download["status"] == 200
    body = download["body"]
    assert download["headers"]["Content-Length"] == str(len(body))
    disposition = download["headers"]["Content-Disposition"]
    assert disposition.startswith(
        f'attachment; filename="bench-export_{code}_'
    ) and disposition.endswith('_interim.zip"'), disposition  # keuze0 is open
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        assert zf.testzip() is None
        names = {n.split("/", 1)[1]: n for n in zf.namelist()}
        rows = list(
            csv.DictReader(
                io.StringIO(zf.read(names["responses.csv"]).decode("utf-8-sig"), newline="")
            )
        )
        semicolon = zf.read(names["responses_semicolon.csv"]).decode("utf-8-sig")
        [js] = [n for n in names if n.endswith(".json")]
        doc = json.loads(zf.read(names[js]))
        [xlsx] = [n for n in names if n.endswith(".xlsx")]
        workbook = zf.read(names[xlsx])
        assert b"<html" in zf.read(names["report.html"])[:200]
        assert "report.pdf" not in names and b"Chromium" in zf.read(names["README.txt"])
    counts = room["counts"]
    per_activity = Counter(r["activity_id"] for r in rows)
    kinds = {r["activity_id"]: r["kind"] for r in rows}
    for aid, n in counts.items():
        if aid == "keuze0":  # the phone answered it while the export was being made
            assert per_activity[aid] in (n, n + 1)
        elif kinds[aid] in ("single_choice", "scale", "open_text"):  # one row per answer
            assert per_activity[aid] == n, aid
    assert len({r["participant"] for r in rows}) in (PARTICIPANTS, PARTICIPANTS + 1)
    assert len(semicolon.splitlines()) == len(rows) + 1
    session = doc["sessions"][0]
    assert session["code"] == code and doc["interim"] is True
    assert len(session["responses"]) - sum(counts.values()) in (0, 1)
    assert doc["results"]["keuze1"]["respondents"] == counts["keuze1"]
    wb = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
    assert wb["Responses"].max_row == len(rows) + 1
    summary = [r for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]]
    assert any(r[0] == "participants" and r[1] in (PARTICIPANTS, PARTICIPANTS + 1) for r in summary)
    wb.close()
    # nothing left running; no error in the server's log
    assert export_children(server.proc.pid) == []
    server.assert_no_tracebacks()
