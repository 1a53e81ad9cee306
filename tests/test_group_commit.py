"""Group commit (issue 16): answers that arrive together share one transaction, and each ack
comes only after the commit that holds its answer. In-process (threading mode): the test holds
the writer lock so that the answers queue up behind a first one, exactly as they do behind a
running commit on the real server (tests/test_burst.py is the burst against the real server)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from facilitator import create_app, live, store
from facilitator.extensions import db
from facilitator.models import Response, Submission
from facilitator.programme import load_programme
from tests.conftest import MINI
from tests.inprocess import app_config
from tests.livesrv import wait_for


def six_phones(
    app: Any, mini_live: Any, values: list[str]
) -> tuple[Callable[[int], None], list[int], dict[int, Any]]:
    """The single choice open and six participants: ``answer(k)`` has participant k answer
    ``values[k % len(values)]`` (acked into ``acks[k]``); ``commits`` counts the commits made
    from now on."""
    with app.app_context():
        live.goto(mini_live, "kies")
        pids = [store.create_participant(mini_live.id)[0] for _ in range(6)]
    commits: list[int] = []
    event.listen(db.engine, "commit", lambda _conn: commits.append(1))
    acks: dict[int, Any] = {}

    def answer(k: int) -> None:
        with app.app_context():
            value = values[k % len(values)]
            payload = {"activity": "kies", "value": value, "client_id": f"c-{k:06d}"}
            acks[k] = live.respond(mini_live, pids[k], payload)

    return answer, commits, acks


def test_answers_waiting_together_share_one_commit_and_are_acked_after_it(app, mini_live) -> None:
    answer, commits, acks = six_phones(app, mini_live, ["rood", "groen", "blauw"])

    group = None
    with store.write_lock:  # a commit is running: the first answer leads, the others queue
        threads = [threading.Thread(target=answer, args=(0,))]
        threads[0].start()
        with app.app_context():
            group = wait_for(lambda: live.cache().group, what="the group commit")
        wait_for(lambda: group.leading and not group.pending, what="the leader took its batch")
        for k in range(1, 6):
            threads.append(threading.Thread(target=answer, args=(k,)))
            threads[-1].start()
        wait_for(lambda: len(group.pending) == 5, what="five answers waiting")
        assert acks == {} and commits == []  # nothing acknowledged before its commit
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads)
    # the first answer alone, then the five that waited for it in one transaction
    assert len(commits) == 2 and (group.batches, group.answers) == (2, 6)
    assert sorted(acks) == list(range(6))
    assert all(a["ok"] is True and a["duplicate"] is False for a in acks.values())
    with app.app_context():
        with db.reader() as s:
            assert s.scalar(select(func.count()).select_from(Response)) == 6
            assert s.scalar(select(func.count()).select_from(Submission)) == 6
        result = live.result(live.get(mini_live.code), "kies")[0]
    assert result is not None and result["respondents"] == 6
    assert {o["id"]: o["count"] for o in result["options"]} == {"rood": 2, "groen": 2, "blauw": 2}


def test_a_retry_and_a_change_in_the_same_batch_count_once(app, mini_live) -> None:
    """The same client id twice and then a change, all in one transaction (behind another
    phone's answer, whose commit they wait for): stored as one answer with one change, acked as
    answer, duplicate, change."""
    with app.app_context():
        live.goto(mini_live, "kies")
        other, pid = (store.create_participant(mini_live.id)[0] for _ in range(2))
    commits: list[int] = []
    event.listen(db.engine, "commit", lambda _conn: commits.append(1))
    acks: dict[int, Any] = {}
    sends = [(other, "groen", "other-01"), (pid, "rood", "first-01"), (pid, "rood", "first-01")]
    sends.append((pid, "blauw", "change-1"))

    def answer(k: int) -> None:
        with app.app_context():
            who, value, cid = sends[k]
            payload = {"activity": "kies", "value": value, "client_id": cid}
            acks[k] = live.respond(mini_live, who, payload)

    with store.write_lock:
        threads = []
        for k in range(4):
            threads.append(threading.Thread(target=answer, args=(k,)))
            threads[-1].start()
            with app.app_context():
                group = wait_for(lambda: live.cache().group, what="the group commit")
            # the first leads and took itself; the others wait in the order sent
            wait_for(lambda g=group, k=k: g.leading and len(g.pending) == k, what=f"answer {k}")
    for t in threads:
        t.join(10)
    assert len(commits) == 2 and (group.batches, group.answers) == (2, 4)
    assert [(acks[k]["value"], acks[k]["duplicate"]) for k in range(1, 4)] == [
        ("rood", False),
        ("rood", True),
        ("blauw", False),
    ]
    with app.app_context():
        with db.reader() as s:
            rows = s.execute(
                select(Response.value, Response.changes).where(Response.participant_id == pid)
            ).all()
        assert [tuple(r) for r in rows] == [("blauw", 1)]
        result = live.result(live.get(mini_live.code), "kies")[0]
    assert result is not None and result["respondents"] == 2
    assert {o["id"]: o["count"] for o in result["options"]} == {"rood": 0, "groen": 1, "blauw": 1}


def test_joins_waiting_together_share_one_commit_and_each_gets_its_own_token(
    app, mini_live
) -> None:
    """A connect storm: joins that queue behind a running commit are made in one transaction,
    each with its own participant id and token, in the order they came, and each token finds
    its participant."""
    commits: list[int] = []
    event.listen(db.engine, "commit", lambda _conn: commits.append(1))
    made: dict[int, tuple[int, str]] = {}

    def join(k: int) -> None:
        with app.app_context():
            _live, pid, token = live.join(mini_live.code)
            made[k] = (pid, token)

    with store.write_lock:
        threads = [threading.Thread(target=join, args=(0,))]
        threads[0].start()
        with app.app_context():
            group = wait_for(lambda: live.cache().joins, what="the joins' group commit")
        wait_for(lambda: group.leading and not group.pending, what="the leader took its batch")
        for k in range(1, 8):
            threads.append(threading.Thread(target=join, args=(k,)))
            threads[-1].start()
            wait_for(lambda k=k: len(group.pending) == k, what=f"join {k} waiting")
        assert made == {} and commits == []  # nobody has a token before its commit
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads)
    assert len(commits) == 2 and (group.batches, group.answers) == (2, 8)
    pids = [made[k][0] for k in range(8)]
    assert pids == sorted(pids) and len(set(pids)) == 8  # in the order they came
    assert len({token for _pid, token in made.values()}) == 8
    with app.app_context():
        current = live.get(mini_live.code)
        for pid, token in made.values():
            assert live.participant_for(current, token) == pid
            assert store.find_participant(mini_live.id, token) == pid
        assert live.counts(current)["participants"] == 8


@pytest.fixture(params=["sqlite", "postgresql"])
def either_app(request: Any, tmp_path: Path) -> Iterator[Any]:
    """The test app on SQLite (the default) and on PostgreSQL (the scale-out mode's database):
    the statements of the answers' hot path are built for each (``store._statement``)."""
    with ExitStack() as stack:
        config = app_config(tmp_path)
        if request.param == "postgresql":
            from tests.scaleout import postgres_database

            config["DATABASE_URL"] = stack.enter_context(postgres_database())
        app = create_app(config)
        yield app
        live.reset_caches()
        assert db.engine is not None
        db.engine.dispose()


def test_a_batch_of_independent_answers_does_what_one_by_one_would(either_app) -> None:
    """A batch whose answers concern different responses and client ids: a retry, a reused
    client id, a change and new answers in it each get what they would get one by one, and the
    rows say so. On PostgreSQL the batch is stored with a few statements for all of it
    (store._save_many); on SQLite each answer's few statements run on the driver's cursor."""
    from facilitator.store import Answer, Saved

    app = either_app
    with app.app_context():
        mini_live = live.start(load_programme(MINI), MINI.name)
        live.goto(mini_live, "kies")
        pids = [store.create_participant(mini_live.id)[0] for _ in range(5)]
        lid = mini_live.id
        with store.write_lock:
            for k in range(3):  # committed before, one by one
                [saved] = store.save_responses(
                    [Answer(lid, "kies", pids[k], f"first-{k}0", "rood")]
                )
                assert saved == Saved("new", "rood")
        statements: list[str] = []
        event.listen(
            db.engine, "before_cursor_execute", lambda *a: statements.append(a[2].split()[0])
        )
        batch = [
            Answer(lid, "kies", pids[0], "first-00", "rood"),  # a retry: duplicate
            Answer(lid, "kies", pids[1], "first-10", "groen"),  # its client id reused
            Answer(lid, "kies", pids[2], "change-2", "blauw"),  # a change
            Answer(lid, "kies", pids[3], "first-30", "groen"),  # new
            Answer(lid, "kies", pids[4], "first-40", "blauw"),  # new
        ]
        with store.write_lock:
            outcomes = store.save_responses(batch)
        assert outcomes == [
            Saved("duplicate", "rood"),
            Saved("reused", None),
            Saved("changed", "blauw", "rood", 1),
            Saved("new", "groen"),
            Saved("new", "blauw"),
        ]
        if db.engine.dialect.name == "sqlite":
            # SQLite's driver ran them (store._DriverStatements), SQLAlchemy none
            assert statements == []
        else:
            # the client ids taken, the current responses, two "seen", the change, the new ones
            assert statements == ["INSERT", "SELECT", "SELECT", "SELECT", "UPDATE", "INSERT"]
        with db.reader() as s:
            rows = s.execute(
                select(Response.participant_id, Response.value, Response.changes).order_by(
                    Response.participant_id
                )
            ).all()
            assert [tuple(r) for r in rows] == [
                (pids[0], "rood", 0),
                (pids[1], "rood", 0),
                (pids[2], "blauw", 1),
                (pids[3], "groen", 0),
                (pids[4], "blauw", 0),
            ]
            assert s.scalar(select(func.count()).select_from(Submission)) == 6


def stream_of_answers(app: Any, mini_live: Any, gap: float) -> tuple[list[int], Any]:
    """One answer, then five more from threads started ``gap`` seconds apart, each acked once:
    the commits made for them and the answers' group commit."""
    answer, commits, acks = six_phones(app, mini_live, ["rood"])
    answer(0)  # after a pause: committed at once, alone
    assert len(commits) == 1 and acks[0]["ok"] is True
    threads = []
    for k in range(1, 6):
        threads.append(threading.Thread(target=answer, args=(k,)))
        threads[-1].start()
        time.sleep(gap)
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads)
    assert sorted(acks) == list(range(6)) and all(a["duplicate"] is False for a in acks.values())
    with app.app_context():
        return commits, live.cache().group


def test_answers_that_keep_coming_share_a_paced_commit(app, mini_live, monkeypatch) -> None:
    """The answers' commits are paced (the setting ``ANSWERS_PACE``): answers that keep coming,
    each arriving after the previous one's commit would already be done, wait for the next
    batch's turn and share it; an answer after a pause is committed at once. The pace is set to
    0.5 s here so that the five answers sent 20 ms apart surely fall inside it."""
    monkeypatch.setitem(app.config, "ANSWERS_PACE", 0.5)
    commits, group = stream_of_answers(app, mini_live, 0.02)
    # one by one they would have taken five commits
    assert len(commits) == 2 and (group.batches, group.answers) == (2, 6)
    with app.app_context():
        result = live.result(live.get(mini_live.code), "kies")[0]
    assert result is not None and result["respondents"] == 6


def test_after_a_large_batch_the_next_one_is_not_paced(app, mini_live, monkeypatch) -> None:
    """Pacing is for answers that come one by one: a batch of ``PACED_UNDER`` or more means the
    answers are batching by themselves, and the next batch goes at once. With the threshold at
    one answer every batch counts as large: five answers 100 ms apart after a first one, under a
    pace of 1 s, are five more commits (paced, they would share one)."""
    from facilitator.live import answers

    monkeypatch.setitem(app.config, "ANSWERS_PACE", 1.0)
    monkeypatch.setattr(answers.GroupCommit, "PACED_UNDER", 1)
    commits, group = stream_of_answers(app, mini_live, 0.1)
    assert len(commits) == 6 and (group.batches, group.answers) == (6, 6)


VALUES = [
    "rood",
    ["partnerschap", "armoede"],
    {"text": "Één brugfiguur per school", "table": 3},
    {"x": 0.25, "y": -1, "note": None},
    7,
]


@pytest.mark.parametrize("value", VALUES)
def test_sqlite_s_driver_stores_what_sqlalchemy_would(app, mini_live, value) -> None:
    """On SQLite the answers' statements run on the driver's cursor (store._DriverStatements).
    The same answer stored that way and through SQLAlchemy (store._Statements) gives the same
    stored text (JSON, times), and a change and a retry read it back alike."""
    with app.app_context():
        pids = [store.create_participant(mini_live.id)[0] for _ in range(2)]
        assert db.engine is not None
        by: dict[type, Any] = {}
        for pid, runner in zip(pids, (store._DriverStatements, store._Statements), strict=True):
            with db.engine.begin() as conn:
                q = runner(conn)
                by[runner] = [
                    store._save(q, mini_live.id, "kies", pid, "c-1", value, "approved"),
                    store._save(q, mini_live.id, "kies", pid, "c-1", value, "approved"),
                    store._save(q, mini_live.id, "kies", pid, "c-2", [value], "pending"),
                ]
        assert (
            by[store._DriverStatements]
            == by[store._Statements]
            == [
                store.Saved("new", value),
                store.Saved("duplicate", value),
                store.Saved("changed", [value], value, 1),
            ]
        )
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT participant_id, value, typeof(submitted_at), length(submitted_at),"
                " changes, status FROM responses ORDER BY participant_id"
            ).all()
            taken = conn.exec_driver_sql(
                "SELECT participant_id, client_id, value_hash, length(received_at)"
                " FROM submissions ORDER BY participant_id, client_id"
            ).all()
    stored = [tuple(r[1:]) for r in rows]
    assert stored[0] == stored[1] and stored[0][1:] == ("text", 26, 1, "pending")
    assert [r[0] for r in rows] == pids
    assert [tuple(r[1:]) for r in taken[:2]] == [tuple(r[1:]) for r in taken[2:]]
    assert [r[3] for r in taken] == [26, 26, 26, 26]


def test_sqlite_s_driver_raises_sqlalchemy_s_errors(app, mini_live) -> None:
    """An error on the driver's cursor is raised as SQLAlchemy's own exception class (what
    _write retries and save_responses catches), with the statement in it."""
    from sqlalchemy.exc import IntegrityError

    from facilitator.models import utcnow

    with app.app_context():
        pid = store.create_participant(mini_live.id)[0]
        assert db.engine is not None
        row = {
            "live_id": mini_live.id,
            "activity_id": "kies",
            "participant_id": pid,
            "value": "rood",
            "submitted_at": utcnow(),
            "changed_at": utcnow(),
            "changes": 0,
            "status": "approved",
        }
        with db.engine.begin() as conn:
            q = store._DriverStatements(conn)
            assert q.rowcount("insert", row) == 1
            with pytest.raises(
                IntegrityError, match="(?s)UNIQUE constraint failed.*INSERT INTO responses"
            ):
                q.rowcount("insert", row)


def test_a_batch_of_joins_is_stored_as_one_by_one_would(either_app) -> None:
    """``store.create_participants``: on PostgreSQL one INSERT ... RETURNING for the batch, on
    SQLite each row on the driver's cursor; either way the ids come back in the order asked,
    each with a token of its own that finds it, and each row has its table and join time."""
    from facilitator.models import Participant

    app = either_app
    with app.app_context():
        mini_live = live.start(load_programme(MINI), MINI.name)
        before = store.create_participant(mini_live.id)[0]
        statements: list[str] = []
        event.listen(
            db.engine, "before_cursor_execute", lambda *a: statements.append(a[2].split()[0])
        )
        tables = [2, None, 1, 2]
        made = store.create_participants([(mini_live.id, t) for t in tables])
        assert statements == ([] if db.engine.dialect.name == "sqlite" else ["INSERT"])
        pids = [pid for pid, _token in made]
        assert pids == list(range(before + 1, before + 5))
        assert len({token for _pid, token in made}) == 4
        for pid, token in made:
            assert store.find_participant(mini_live.id, token) == pid
        with db.reader() as s:
            rows = s.execute(
                select(
                    Participant.id, Participant.live_id, Participant.table, Participant.created_at
                )
                .where(Participant.id > before)
                .order_by(Participant.id)
            ).all()
        assert [(r[0], r[1], r[2]) for r in rows] == [
            (pid, mini_live.id, t) for pid, t in zip(pids, tables, strict=True)
        ]
        assert len({r[3] for r in rows}) == 1 and rows[0][3] is not None  # one join time


@pytest.mark.parametrize("message_first", [False, True])
def test_a_join_told_by_another_process_is_counted_once(app, mini_live, message_first) -> None:
    """Scale-out: another process commits a participant, then says so on the bus. Whether its
    message comes before or after this process first reads the count from the database (which
    then holds that participant already), the participant is counted once."""
    from facilitator.live.sync import apply_remote

    with app.app_context():
        for _ in range(2):
            live.join(mini_live.code)
        pid = store.create_participant(mini_live.id)[0]  # committed by the other process
        message = {"t": "joined", "live": mini_live.id, "code": mini_live.code, "pid": pid}
        current = live.get(mini_live.code)
        if message_first:
            apply_remote(message)
        assert live.counts(current)["participants"] == 3
        if not message_first:
            apply_remote(message)
        assert live.counts(current)["participants"] == 3
        live.join(mini_live.code)
        assert live.counts(current)["participants"] == 4
