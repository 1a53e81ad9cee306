"""Retention (issue 12, item 8): ``settings.retention_days`` per programme (default 90), the
server deletes live sessions whose retention ran out (a background task; ``flask --app app
purge`` for cron), the control screen deletes one after the join code is typed, and every
deletion leaves one record without personal data."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from facilitator import live, store
from facilitator.programme import ProgrammeError, load_programme, parse_programme
from tests.conftest import BRUGFIGUREN, MINI

TABLES = ["participants", "responses", "submissions", "questions", "question_votes", "log_entries"]


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# ----------------------------------------------------------------------- the programme field


def mini_with(settings: dict[str, Any]) -> dict[str, Any]:
    data = yaml.safe_load(MINI.read_text())
    data["programme"]["settings"] = settings
    return data


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (0, "0 is out of range (expected from 1 to 3650)"),
        (3651, "3651 is out of range (expected from 1 to 3650)"),
        ("90", "expected a whole number, got '90'"),
        (True, "expected a whole number, got True"),
        (12.5, "expected a whole number, got 12.5"),
    ],
)
def test_retention_days_is_checked(value: Any, problem: str) -> None:
    with pytest.raises(ProgrammeError) as err:
        parse_programme(mini_with({"retention_days": value}), "mini.yaml", MINI.parent)
    [found] = [p for p in err.value.problems if "retention_days" in str(p)]
    assert "programme.settings.retention_days" in str(found)
    assert problem in str(found)


def test_retention_days_default_and_snapshot() -> None:
    assert load_programme(MINI).retention_days == 90
    p = parse_programme(mini_with({"retention_days": 7}), "mini.yaml", MINI.parent)
    assert p.retention_days == 7
    assert type(p).from_dict(p.to_dict()).retention_days == 7
    old = p.to_dict()
    del old["retention_days"]  # a live session's snapshot made before the field existed
    assert type(p).from_dict(old).retention_days == 90


def test_the_privacy_slide_says_what_the_server_does() -> None:
    """The built-in programme's privacy slide promises deletion: the number it says is the
    retention the server applies to its live sessions."""
    programme = load_programme(BRUGFIGUREN)
    slide = programme.activity("privacy")
    assert slide is not None and slide.body is not None
    days = programme.retention_days
    assert days == 90
    assert f"{days} dagen na de sessie automatisch verwijderd" in slide.body["nl"]
    assert f"deleted automatically {days} days after the session" in slide.body["en"]


# ------------------------------------------------------------------------- purge (in process)


def fill(code: str, phones: int, with_question: bool = False) -> None:
    """``phones`` participants answering two activities (one changes), and a question."""
    current = live.get(code)
    pids = [live.join(code)[1] for _ in range(phones)]
    for activity, value in (("kies", "rood"), ("schuif", {"position": 40})):
        current = live.goto(live.get(code), activity)
        for n, pid in enumerate(pids):
            live.respond(
                live.get(code),
                pid,
                {"activity": activity, "value": value, "client_id": f"{activity}-{n:04d}"},
            )
    live.respond(
        live.get(code),
        pids[0],
        {"activity": "schuif", "value": {"position": 41}, "client_id": "x" * 8},
    )
    assert current.code == code


def rows(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def backdate(db: Path, code: str, *, created: datetime, ended: datetime | None) -> None:
    con = sqlite3.connect(db)
    con.execute(
        "UPDATE live_sessions SET created_at = ?, ended_at = ? WHERE code = ?",
        (created.isoformat(sep=" "), ended.isoformat(sep=" ") if ended else None, code),
    )
    con.commit()
    con.close()


def test_purge_deletes_exactly_the_expired_sessions(app, tmp_path: Path) -> None:
    db = tmp_path / "test.db"
    short = parse_programme(mini_with({"retention_days": 10}), "mini.yaml", MINI.parent)
    with app.app_context():
        old_ended = live.start(short, "mini.yaml").code  # ended 11 days ago: expired
        old_open = live.start(short, "mini.yaml").code  # started 11 days ago, never ended
        recent = live.start(short, "mini.yaml").code  # ended 9 days ago: kept
        default = live.start(load_programme(MINI), "mini.yaml").code  # 90 days: kept
        for code, n in ((old_ended, 5), (old_open, 3), (recent, 4), (default, 2)):
            fill(code, n)
        live.reset_caches()
        before = rows(db)
        assert before["participants"] == 14
        assert before["responses"] == 28
        assert before["submissions"] == 28 + 4
        backdate(
            db, old_ended, created=now() - timedelta(days=12), ended=now() - timedelta(days=11)
        )
        backdate(db, old_open, created=now() - timedelta(days=11), ended=None)
        backdate(db, recent, created=now() - timedelta(days=30), ended=now() - timedelta(days=9))
        backdate(db, default, created=now() - timedelta(days=80), ended=now() - timedelta(days=80))

        runner = app.test_cli_runner()
        result = runner.invoke(args=["purge"])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[0] == "deleted 2 live session(s)"
        assert sorted(result.output.splitlines()[1:]) == sorted(
            [
                f"  {old_ended}  mini: 5 participants, 10 answers, 0 questions",
                f"  {old_open}  mini: 3 participants, 6 answers, 0 questions",
            ]
        )
        assert sorted(s.code for s in store.list_lives()) == sorted([recent, default])
        after = rows(db)
        assert after["participants"] == 14 - 8
        assert after["responses"] == 28 - 16
        assert after["submissions"] == 32 - 18
        assert live.find(old_ended) is None and live.find(old_open) is None
        # a second purge finds nothing more
        assert runner.invoke(args=["purge"]).output == "deleted 0 live session(s)\n"

        records = {d.code: d for d in live.deletions()}
        assert set(records) == {old_ended, old_open}
        assert records[old_ended].reason == "retention"
        assert (records[old_ended].participants, records[old_ended].responses) == (5, 10)


def test_the_deletion_record_holds_no_personal_data(app, tmp_path: Path) -> None:
    """A deleted session leaves nothing behind but its record, whose every value is the code,
    the programme, dates, the reason and counts."""
    with app.app_context():
        code = live.start(load_programme(MINI), "mini.yaml").code
        fill(code, 3)
        _state, pid, token = live.join(code)
        live.goto(live.get(code), "tekst")
        live.respond(
            live.get(code),
            pid,
            {"activity": "tekst", "value": "Mijn naam is Jan Peeters", "client_id": "t" * 10},
        )
        deleted = live.delete(code, "control", confirm=code.lower())
        assert (deleted.participants, deleted.responses) == (4, 7)
    raw = (tmp_path / "test.db").read_bytes()
    wal = tmp_path / "test.db-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    assert b"Jan Peeters" not in raw
    assert token.encode() not in raw
    assert store.hash_token(token).encode() not in raw
    con = sqlite3.connect(tmp_path / "test.db")
    [record] = con.execute("SELECT * FROM deletions").fetchall()
    columns = [c[1] for c in con.execute("PRAGMA table_info(deletions)")]
    assert columns == [
        "id",
        "code",
        "programme_id",
        "programme_version",
        "created_at",
        "ended_at",
        "deleted_at",
        "reason",
        "participants",
        "responses",
        "questions",
    ]
    assert record[1:4] == (code, "mini", "1")
    assert record[7:] == ("control", 4, 7, 0)
    assert rows(tmp_path / "test.db") == dict.fromkeys(TABLES, 0)


def test_a_wrong_confirmation_deletes_nothing(app, tmp_path: Path) -> None:
    with app.app_context():
        code = live.start(load_programme(MINI), "mini.yaml").code
        fill(code, 2)
        before = rows(tmp_path / "test.db")
        for wrong in ("", code[:5], code + "X", "ABCDEFG", None, 123456, ["x"]):
            with pytest.raises(live.LiveError) as err:
                live.delete(code, "control", confirm=wrong)
            assert err.value.code == "bad_confirmation"
        assert rows(tmp_path / "test.db") == before
        assert live.deletions() == []
        assert live.find(code) is not None


# ------------------------------------------------------------------- over the real server


def control_session(server: Any, code: str, key: str) -> tuple[requests.Session, str]:
    """A browser with the control link opened; returns it and the exports page's CSRF token."""
    http = requests.Session()
    r = http.get(f"{server.url}/control/{code}?key={key}", timeout=5)
    assert r.status_code == 200
    page = http.get(f"{server.url}/control/{code}/exports", timeout=5)
    assert page.status_code == 200
    assert "Deze live sessie verwijderen" in page.text
    [token] = re.findall(r'name="csrf_token" value="([^"]+)"', page.text)
    return http, token


def count_rows(server: Any) -> dict[str, int]:
    return rows(server.db_path)


@pytest.mark.server
def test_deleting_from_the_control_screen(server) -> None:
    from tests.livesrv import Phone, Refused, Screen, create_live, refusal_code

    made = create_live(server, MINI)
    code = made["code"]
    keep = create_live(server, MINI)["code"]  # another live session: untouched
    control = Screen(server, code, "control", made["control_key"]).connect()
    projector = Screen(server, code, "projector", made["projector_key"]).connect()
    control.control("goto", {"activity": "kies"})
    phones = [Phone(server, code).connect() for _ in range(3)]
    for n, phone in enumerate(phones):
        assert phone.respond("kies", ["rood", "groen", "blauw"][n])["ok"] is True
    other = Phone(server, keep).connect()
    before = count_rows(server)
    assert before["participants"] == 4 and before["responses"] == 3

    http, token = control_session(server, code, made["control_key"])
    # a wrong typed code: refused, nothing changed
    for wrong in ("", code[:-1], "ZZZZZZ"):
        r = http.post(
            f"{server.url}/control/{code}/delete",
            data={"csrf_token": token, "confirm": wrong},
            timeout=5,
        )
        assert r.status_code == 400
        assert f"typ de deelnamecode {code} precies over" in r.text
    # without the CSRF token: refused
    r = http.post(f"{server.url}/control/{code}/delete", data={"confirm": code}, timeout=5)
    assert r.status_code == 400
    # another browser without the control link: refused
    r = requests.post(
        f"{server.url}/control/{code}/delete",
        data={"csrf_token": token, "confirm": code},
        timeout=5,
    )
    assert r.status_code == 403
    assert count_rows(server) == before
    assert phones[0].respond("kies", "blauw")["ok"] is True

    spaced = f"{code[:3].lower()} {code[3:].lower()}"  # as a person types it
    r = http.post(
        f"{server.url}/control/{code}/delete",
        data={"csrf_token": token, "confirm": spaced},
        timeout=5,
    )
    assert r.status_code == 200
    assert "Verwijderd: 3 deelnemers, 3 antwoorden en 0 vragen." in r.text
    for screen in (*phones, control, projector):
        screen.wait(lambda s=screen: any(e == "deleted" for e, _ in s.events), what="deleted")
        assert ("deleted", {"code": code}) in screen.events
    after = count_rows(server)
    assert after["participants"] == 1 and after["responses"] == 0 and after["log_entries"] == 0
    con = sqlite3.connect(server.db_path)
    assert con.execute(
        "SELECT code, reason, participants, responses FROM deletions"
    ).fetchall() == [(code, "control", 3, 3)]
    # the code is gone for everyone: a new connection and an old phone's event are refused
    with pytest.raises(Refused) as refused:
        Phone(server, code, token=phones[0].token, reconnection=False).connect()
    assert refusal_code(refused.value.data) == "unknown_code"
    assert http.get(f"{server.url}/control/{code}/exports", timeout=5).status_code == 404
    assert http.get(f"{server.url}/j/{code}", timeout=5).status_code == 404
    # the other live session goes on
    assert other.respond("kies", "rood")["ok"] is False  # not open there, but it answers
    assert requests.get(f"{server.url}/j/{keep}", timeout=5).status_code == 200
    server.assert_no_tracebacks()


@pytest.mark.server
def test_the_server_purges_by_itself(tmp_path: Path) -> None:
    """The server's background task (every PURGE_INTERVAL seconds, here 1) deletes a live
    session once its retention has run out; its phones hear ``deleted``."""
    from tests.livesrv import Phone, Screen, create_live, running_server, wait_for

    with running_server(tmp_path, env={"DIALOOGTAFEL_PURGE_INTERVAL": "1"}) as server:
        expired = create_live(server, MINI)
        kept = create_live(server, MINI)
        control = Screen(server, expired["code"], "control", expired["control_key"]).connect()
        control.control("goto", {"activity": "kies"})
        phones = [Phone(server, expired["code"]).connect() for _ in range(4)]
        for phone in phones:
            assert phone.respond("kies", "groen")["ok"] is True
        Phone(server, kept["code"]).connect()
        assert count_rows(server)["responses"] == 4
        backdate(
            server.db_path,
            expired["code"],
            created=now() - timedelta(days=95),
            ended=now() - timedelta(days=91),
        )
        wait_for(lambda: count_rows(server)["participants"] == 1, what="the purge")
        for phone in phones:
            phone.wait(lambda p=phone: ("deleted", {"code": expired["code"]}) in p.events)
        con = sqlite3.connect(server.db_path)
        assert con.execute(
            "SELECT code, reason, participants, responses FROM deletions"
        ).fetchall() == [(expired["code"], "retention", 4, 4)]
        assert count_rows(server)["responses"] == 0
        assert requests.get(f"{server.url}/j/{kept['code']}", timeout=5).status_code == 200
        server.assert_no_tracebacks()


def test_the_control_list_shows_dates_and_deletions(app, client) -> None:
    """/control/ shows each live session's deletion date and, once deleted, its record (the
    code, programme, who deleted it and the counts; nothing a participant typed)."""
    with app.app_context():
        kept = live.start(load_programme(MINI), "mini.yaml").code
        gone = live.start(load_programme(MINI), "mini.yaml").code
        fill(gone, 2)
        live.delete(gone, "control", confirm=gone)
        token = store.create_sign_in_token()
    assert client.get(f"/login?token={token}").status_code == 302
    html = client.get("/control/").get_data(as_text=True)
    expected = (now() + timedelta(days=90)).strftime("%Y-%m-%d")
    row = html[html.index(f"{kept[:3]} {kept[3:]}") :]
    assert f">{expected}</time>" in row[: row.index("</tr>")]
    section = html[html.index("Verwijderde live sessies") :]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", section[: section.index("</table>")])
    assert cells[0] == f"{gone[:3]} {gone[3:]}"
    assert cells[1] == "mini"
    assert cells[4:] == ["begeleider", "2", "4", "0"]
