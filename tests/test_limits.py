"""Limits and housekeeping: join and sign-in rate limits per address, waiting for another
process's database lock without failing, purge and delete."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from facilitator import create_app, live, store
from facilitator.models import utcnow
from facilitator.programme import load_programme
from facilitator.ratelimit import Buckets

HERE = Path(__file__).resolve().parent
MINI = HERE / "programmes" / "mini.yaml"


@pytest.fixture
def tight(tmp_path: Path):
    """An app with small limits: 5 joins per address, 3 sign-in attempts."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
            "SECRET_KEY": "x",
            "ASYNC_MODE": "threading",
            "JOIN_BURST": 5,
            "JOIN_RATE": 0.001,
            "LOGIN_BURST": 3,
            "LOGIN_RATE": 0.001,
            "PROGRAMMES_DIR": str(HERE / "programmes"),
        }
    )
    yield app
    live.reset_caches()


def test_buckets_refill() -> None:
    b = Buckets(rate=10.0, burst=2)
    assert [b.allow("a"), b.allow("a"), b.allow("a")] == [True, True, False]
    assert b.allow("b") is True  # other keys are not affected
    time.sleep(0.15)
    assert b.allow("a") is True


def test_buckets_forget_old_keys() -> None:
    b = Buckets(rate=1000.0, burst=1, max_keys=10)
    for i in range(25):
        b.allow(f"k{i}")
    assert len(b._state) <= 11


def test_join_flood_from_one_address_is_throttled(tight) -> None:
    with tight.app_context():
        started = live.start(load_programme(MINI))
    flood = [
        tight.test_client().post(
            f"/api/join/{started.code}", environ_base={"REMOTE_ADDR": "10.9.9.9"}
        )
        for _ in range(40)
    ]
    assert [r.status_code for r in flood].count(200) == 5
    assert {r.status_code for r in flood[5:]} == {429}
    assert flood[-1].get_json()["error"]["code"] == "rate_limited"
    assert flood[-1].headers["Retry-After"] == "30"
    # a phone on another address still joins, through the page
    page = tight.test_client().get(f"/j/{started.code}", environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert page.status_code == 200
    blocked = tight.test_client().get(
        f"/j/{started.code}", environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )
    assert blocked.status_code == 429
    with tight.app_context():
        assert len(store.participant_ids(started.id)) == 6


def test_a_phone_that_joined_is_not_limited_on_reload(tight) -> None:
    with tight.app_context():
        started = live.start(load_programme(MINI))
    phone = tight.test_client()
    for _ in range(12):
        assert (
            phone.get(f"/j/{started.code}", environ_base={"REMOTE_ADDR": "10.2.2.2"}).status_code
            == 200
        )


def test_sign_in_attempts_are_limited(tight) -> None:
    c = tight.test_client()
    codes = [
        c.get("/login?token=guess", environ_base={"REMOTE_ADDR": "10.3.3.3"}).status_code
        for _ in range(6)
    ]
    assert codes == [403, 403, 403, 429, 429, 429]
    with tight.app_context():
        token = store.create_sign_in_token()
    # even the right token waits once the address is over its budget
    assert (
        c.get(f"/login?token={token}", environ_base={"REMOTE_ADDR": "10.3.3.3"}).status_code == 429
    )
    assert (
        c.get(f"/login?token={token}", environ_base={"REMOTE_ADDR": "10.4.4.4"}).status_code == 302
    )


def test_a_write_waits_for_another_process_lock(app, tmp_path: Path, mini_live) -> None:
    """Another connection holds SQLite's write lock for 0.5 s: the write waits, then succeeds."""
    other = sqlite3.connect(tmp_path / "test.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO log_entries (live_id, at, action, detail) VALUES (?, '2026-01-01', 'x', '{}')",
        (mini_live.id,),
    )
    release = threading.Timer(0.5, other.execute, args=("COMMIT",))
    release.start()
    t0 = time.monotonic()
    with app.app_context():
        pid, _token = store.create_participant(mini_live.id)
    waited = time.monotonic() - t0
    release.join()
    other.close()
    assert pid > 0 and waited >= 0.4
    with app.app_context():
        assert len(store.participant_ids(mini_live.id)) == 1


def test_a_write_gives_up_after_the_lock_wait(app, tmp_path: Path, mini_live, monkeypatch) -> None:
    monkeypatch.setattr(store, "LOCK_WAIT", 0.3)
    other = sqlite3.connect(tmp_path / "test.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO log_entries (live_id, at, action, detail) VALUES (?, '2026-01-01', 'x', '{}')",
        (mini_live.id,),
    )
    try:
        with app.app_context(), pytest.raises(Exception, match="locked"):
            store.create_participant(mini_live.id)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_purge_older_than(app) -> None:
    runner = app.test_cli_runner()
    with app.app_context():
        old = live.start(load_programme(MINI))
        new = live.start(load_programme(MINI))
        pid, _ = store.create_participant(old.id)
        with store.db.session() as s:
            from facilitator.models import LiveSession

            s.get(LiveSession, old.id).created_at = utcnow() - timedelta(days=100)
    result = runner.invoke(args=["live", "purge", "--older-than", "90d"])
    assert (
        result.exit_code == 0 and result.output.strip() == f"deleted 1 live session(s): {old.code}"
    )
    live.reset_caches()
    with app.app_context():
        assert store.get_live(old.code) is None and store.get_live(new.code) is not None
        assert store.find_participant(old.id, "x") is None
    assert runner.invoke(args=["live", "purge", "--older-than", "ninety"]).exit_code != 0


def test_delete_leaves_nothing_behind(app, mini_live) -> None:
    """Every table that refers to a live session is empty for it after `live delete`."""
    from facilitator.extensions import socketio
    from facilitator.models import Base

    http = app.test_client()
    http.get(f"/j/{mini_live.code}")
    p = socketio.test_client(
        app, flask_test_client=http, auth={"role": "participant", "code": mini_live.code}
    )
    ctl = socketio.test_client(
        app, auth={"role": "control", "code": mini_live.code, "key": mini_live.control_key}
    )
    ctl.emit("goto", {"activity": "kies"}, callback=True)
    assert p.emit(
        "respond", {"activity": "kies", "value": "rood", "client_id": "c-0000001"}, callback=True
    )["ok"]
    ctl.emit("reset_activity", {"activity": "kies", "confirm": "kies"}, callback=True)
    assert app.test_cli_runner().invoke(args=["live", "delete", mini_live.code]).exit_code == 0
    with app.app_context(), store.db.engine.connect() as conn:
        from sqlalchemy import func, select

        for table in Base.metadata.sorted_tables:
            if table.name in ("sign_in_tokens", "deletions"):
                continue
            assert conn.execute(select(func.count()).select_from(table)).scalar() == 0, table.name
        # what stays: the record of the deletion (tests/test_retention.py: no personal data)
        deletions = Base.metadata.tables["deletions"]
        assert conn.execute(select(deletions.c.code, deletions.c.reason)).all() == [
            (mini_live.code, "command")
        ]


def test_privacy_notice_reaches_the_phone(app, tmp_path: Path) -> None:
    text = MINI.read_text().replace(
        '  title: {nl: "Mini", en: "Mini"}',
        '  title: {nl: "Mini", en: "Mini"}\n  settings:\n'
        '    privacy_notice: {nl: "Anoniem.", en: "Anonymous."}',
    )
    path = tmp_path / "notice.yaml"
    path.write_text(text)
    with app.app_context():
        started = live.start(load_programme(path))
    http = app.test_client()
    html = http.get(f"/j/{started.code}").get_data(as_text=True)
    assert "Anoniem." in html
