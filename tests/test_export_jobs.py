"""Exports built in a child process (facilitator/export_job.py) for the control screen's
downloads: the file is streamed and leaves nothing behind (no temporary file, no open file
descriptor, no process), also when the client goes away; jobs are capped (busy: 503 with
Retry-After), timed out (504, the child and its Chromium stopped) and a child's failure is a
short page saying what failed, with the detail in the log. In-process (threading mode); the
real eventlet server is in tests/test_exports_server.py."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from facilitator import export_job, live
from facilitator.export.pdf import available as pdf_engine_available
from facilitator.programme import load_programme

# every test here runs export jobs in child processes
pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
MINI = HERE / "programmes" / "mini.yaml"
WORKSHOP = HERE / "programmes" / "workshop.yaml"


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The temporary folder of this process and of its export children (a short path:
    Chromium puts a Unix socket under it, and those paths are limited to 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="dt-jobs-", dir="/tmp"))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def room(app) -> Any:
    """A live session of mini.yaml with a few answers, and a browser with its control rights."""
    from facilitator.extensions import socketio

    with app.app_context():
        state = live.start(load_programme(MINI), MINI.name)
    ctl = socketio.test_client(
        app, auth={"role": "control", "code": state.code, "key": state.control_key}
    )
    assert ctl.emit("goto", {"activity": "kies"}, callback=True)["ok"]
    for i in range(5):
        token = (
            app.test_client()
            .post(f"/api/join/{state.code}", environ_base={"REMOTE_ADDR": f"10.9.0.{i + 1}"})
            .get_json()["token"]
        )
        phone = socketio.test_client(
            app, auth={"role": "participant", "code": state.code, "token": token}
        )
        ack = phone.emit(
            "respond",
            {"activity": "kies", "value": ["rood", "groen"][i % 2], "client_id": f"client-{i:04d}"},
            callback=True,
        )
        assert ack["ok"], ack
        phone.disconnect()
    assert ctl.emit("close_answering", {}, callback=True)["ok"]
    ctl.disconnect()
    http = app.test_client()
    assert http.get(f"/control/{state.code}?key={state.control_key}").status_code == 302
    return state, http


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def export_children() -> list[int]:
    """Processes of this test run's export jobs still alive (children of this process)."""
    found = []
    me = str(os.getpid())
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        ppid = stat.rsplit(")", 1)[1].split()[1]
        if ppid == me and b"facilitator.export_job" in cmd:
            found.append(int(pid))
    return found


def processes_with(marker: bytes) -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if marker in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.append(int(pid))
            except OSError:
                pass
    return found


# ----------------------------------------------------------------------------- downloads


@pytest.mark.browser
def test_download_is_made_in_a_child_and_leaves_nothing_behind(app, room, scratch) -> None:
    state, http = room
    before = open_fds()
    resp = http.get(f"/control/{state.code}/export.csv")
    assert resp.status_code == 200
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert sorted(r["option"] for r in rows if r["activity_id"] == "kies") == [
        "groen",
        "groen",
        "rood",
        "rood",
        "rood",
    ]
    assert resp.headers["Content-Length"] == str(len(resp.data))
    assert (
        resp.headers["Content-Disposition"]
        == f'attachment; filename="mini_{state.code}_{state.created_at:%Y-%m-%d}.csv"'
    )
    resp.close()
    zipped = http.get(f"/control/{state.code}/export.zip")
    assert zipped.status_code == 200
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as zf:
        assert zf.testzip() is None
        names = {n.split("/", 1)[1] for n in zf.namelist()}
    assert {
        "report.html",
        "responses.csv",
        "responses_semicolon.csv",
        "codebook.csv",
        "README.txt",
    } <= names
    assert ("report.pdf" in names) == pdf_engine_available()
    zipped.close()
    assert open_fds() == before, "a file descriptor was left open"
    assert list(scratch.iterdir()) == [], "a temporary file was left behind"
    assert export_children() == []


def test_a_client_that_goes_away_leaves_nothing_behind(app, room, scratch) -> None:
    state, http = room
    before = open_fds()
    resp = http.get(f"/control/{state.code}/export.json", buffered=False)
    assert resp.status_code == 200
    first = next(iter(resp.response))
    assert first.startswith(b"{")
    resp.close()  # gone after the first chunk
    unread = http.get(f"/control/{state.code}/export.csv", buffered=False)
    assert unread.status_code == 200
    unread.close()  # gone before the first chunk
    assert open_fds() == before
    assert list(scratch.iterdir()) == []


def test_run_answers_what_it_made(app, room) -> None:
    state, _http = room
    done = export_job.run(app.config, [state.code], "csv", delimiter=";")
    try:
        data = done.file.read()
    finally:
        done.file.close()
    assert done.size == len(data) and data.startswith(b"\xef\xbb\xbf")
    assert done.filename == f"mini_{state.code}_{state.created_at:%Y-%m-%d}.csv"
    assert done.interim is False and done.info["responses"] == 5
    assert set(done.info["timings"]) == {"gather_s", "prepare_s", "write_s"}
    assert b"live_code;programme_id" in data


def test_a_failure_with_a_known_cause_is_its_own_error(app, room) -> None:
    state, _http = room
    with app.app_context():
        other = live.start(load_programme(WORKSHOP), WORKSHOP.name)
    with pytest.raises(export_job.JobError) as err:
        export_job.run(app.config, [state.code, other.code], "json")
    assert err.value.kind == "export" and err.value.status == 400
    assert "different programmes: mini and workshop" in err.value.message
    with pytest.raises(export_job.JobError) as err:
        export_job.run(app.config, ["ZZZZZZ"], "json")
    assert err.value.kind == "unknown_session" and err.value.status == 404


# --------------------------------------------------------------------------------- limits


def test_busy_when_every_slot_is_taken(app, room) -> None:
    state, http = room
    app.config.update(EXPORT_JOBS=1, EXPORT_QUEUE_WAIT=0)
    slots = export_job.slots_for(app.extensions, 1)
    assert slots.acquire(timeout=1)
    try:
        resp = http.get(f"/control/{state.code}/export.csv")
        assert resp.status_code == 503 and resp.headers["Retry-After"] == "30"
        body = resp.get_data(as_text=True)
        assert "busy" in body or "bezig" in body
    finally:
        slots.release()
    assert http.get(f"/control/{state.code}/export.csv").status_code == 200


def test_a_download_waits_for_a_free_slot(app, room) -> None:
    state, http = room
    app.config.update(EXPORT_JOBS=1, EXPORT_QUEUE_WAIT=30)
    slots = export_job.slots_for(app.extensions, 1)
    assert slots.acquire(timeout=1)
    got: list[int] = []
    waiting = threading.Thread(
        target=lambda: got.append(http.get(f"/control/{state.code}/export.csv").status_code)
    )
    waiting.start()
    time.sleep(0.5)
    assert got == [] and export_children() == []  # waiting its turn, no job started
    slots.release()
    waiting.join(60)
    assert got == [200]


def fake_chromium(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-chromium"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return str(script)


def test_a_job_that_takes_too_long_is_stopped_with_its_chromium(
    app, room, scratch, tmp_path, caplog
) -> None:
    state, http = room
    marker = "61.25"  # the fake Chromium's sleep, to find it among the processes
    app.config.update(EXPORT_TIMEOUT=2.5, CHROMIUM=fake_chromium(tmp_path, f"exec sleep {marker}"))
    before = open_fds()
    started = time.monotonic()
    resp = http.get(f"/control/{state.code}/export.pdf")
    assert resp.status_code == 504
    assert time.monotonic() - started < 2.5 + export_job.GRACE + 5
    body = resp.get_data(as_text=True)
    assert "Traceback" not in body and ("too long" in body or "te lang" in body)
    assert any("longer than 2.5 s" in r.getMessage() for r in caplog.records)
    assert export_children() == []
    assert processes_with(b"sleep\x00" + marker.encode()) == [], "Chromium was left running"
    assert list(scratch.iterdir()) == [], "the PDF's temporary folder was left behind"
    assert open_fds() == before


def test_a_failing_child_gives_a_short_page_and_logs_the_detail(app, room, scratch, caplog) -> None:
    state, http = room
    # the route's checks pass (the server's own connection); the child cannot open the file
    app.config["DATABASE_URL"] = f"sqlite:///{scratch / 'missing' / 'no.db'}"
    resp = http.get(f"/control/{state.code}/export.xlsx")
    assert resp.status_code == 500
    body = resp.get_data(as_text=True)
    assert "Traceback" not in body and "sqlite" not in body.lower()
    assert "could not be made" in body or "kon niet" in body
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "export xlsx of " + state.code in logged and "OperationalError" in logged
    assert export_children() == []


def test_a_pdf_that_chromium_does_not_make(app, room, tmp_path, caplog) -> None:
    state, http = room
    app.config["CHROMIUM"] = fake_chromium(tmp_path, "echo 'no pdf today' >&2; exit 3")
    resp = http.get(f"/control/{state.code}/export.pdf")
    assert resp.status_code == 500
    body = resp.get_data(as_text=True)
    assert "HTML" in body and "pdf" in body.lower() and "Traceback" not in body
    assert any("no pdf today" in r.getMessage() for r in caplog.records)
    # the ZIP goes on without it and says why
    zipped = http.get(f"/control/{state.code}/export.zip")
    assert zipped.status_code == 200
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as zf:
        names = zf.namelist()
        assert not [n for n in names if n.endswith(".pdf")]
        readme = zf.read(next(n for n in names if n.endswith("README.txt"))).decode()
    assert "could not be made" in readme
