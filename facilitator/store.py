"""Persistence: every query and write of the app. Returns domain values, never ORM rows.

Writes are serialised in-process by ``write_lock`` (green-aware once eventlet has monkey-patched
``threading``): under eventlet, SQLite's C code blocks the whole hub while it waits on a lock, so
the process must never wait on SQLite's own lock. A write transaction never spans an emit, a sleep
or network I/O. Across processes (PostgreSQL, scale-out) the unique constraints keep the data
right.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from types import EllipsisType
from typing import Any, NamedTuple, TypeVar, cast

from sqlalchemy import Table, any_, bindparam, delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from .extensions import db
from .models import (
    ActivityState,
    BrowserGrant,
    Deletion,
    JoinCodeUse,
    LiveSession,
    LogEntry,
    Participant,
    Question,
    QuestionVote,
    Response,
    SignInToken,
    Submission,
    utcnow,
)
from .programme import Programme
from .snapshot import ActivityStatus, Countdown, LiveState

#: Join codes: no look-alikes (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

write_lock = threading.Lock()

#: how long a write waits for another process's lock on the database before it fails
LOCK_WAIT = 15.0
T = TypeVar("T")


def _write(fn: Callable[..., T]) -> Callable[..., T]:
    """Retry a unit of work while another process holds the database's write lock.

    SQLite's own busy wait runs in C and would freeze every connection of an eventlet or gevent
    server while it waits, so its busy timeout is kept tiny (extensions.py) and the waiting
    happens here, with ``time.sleep``, which monkey-patching makes cooperative.
    """

    @wraps(fn)
    def retrying(*args: Any, **kwargs: Any) -> T:
        deadline = time.monotonic() + LOCK_WAIT
        delay = 0.005
        while True:
            try:
                return fn(*args, **kwargs)
            except OperationalError as exc:
                text_ = str(exc).lower()
                if ("locked" not in text_ and "busy" not in text_) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.05)

    return retrying


_programmes: dict[int, Programme] = {}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_code(raw: str) -> str:
    """Uppercase, without spaces or dashes: what a person typed, as a code to look up."""
    return "".join(ch for ch in raw.upper() if ch not in " -_.\t")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# ---------------------------------------------------------------------------- live sessions


def _status(a: ActivityState) -> ActivityStatus:
    return ActivityStatus(
        a.status,
        a.results_visible,
        tuple(a.hidden_words or ()),
        tuple(a.approved_words or ()),
        a.resets or 0,
        tuple(sorted((int(t), int(pid)) for t, pid in (a.holders or {}).items())),
        a.spotlight,
    )


def link_key(nonce: str, role: str) -> str:
    """The key of a live session's control or projector link: an HMAC of its nonce under the
    app's secret key. The database holds only the nonce, so a leaked copy of it (a backup, a
    world-readable file) opens no screen without the secret key as well."""
    assert db.link_secret, "Database.init_app was not called"
    return derive_link_key(db.link_secret, nonce, role)


def derive_link_key(secret: bytes, nonce: str, role: str) -> str:
    """``link_key`` with the secret key given (for tools that read a database file)."""
    mac = hmac.new(secret, f"dialoogtafel-link:{role}:{nonce}".encode(), "sha256")
    return base64.urlsafe_b64encode(mac.digest()[:18]).decode("ascii")


def _state(row: LiveSession, statuses: list[ActivityState]) -> LiveState:
    programme = _programmes.get(row.id)
    if programme is None:
        programme = _programmes[row.id] = Programme.from_dict(row.programme)
    timer = None
    if row.timer_activity and row.timer_ends_at:
        timer = Countdown(
            row.timer_activity, row.timer_ends_at, row.timer_seconds or 0, row.timer_auto_close
        )
    return LiveState(
        id=row.id,
        code=row.code,
        programme=programme,
        version=row.version,
        current=row.current_activity,
        control_key=link_key(row.key_nonce, "control"),
        projector_key=link_key(row.key_nonce, "projector"),
        created_at=row.created_at,
        ended_at=row.ended_at,
        join_locked=row.join_locked,
        programme_file=row.programme_file,
        statuses={s.activity_id: _status(s) for s in statuses},
        timer=timer,
        tables=row.tables or 0,
        breakdown_by=row.breakdown_by,
        breakdown_compare=tuple(row.breakdown_compare) if row.breakdown_compare else None,
        retention_days=row.retention_days,
        join_mode=row.join_mode or "open",
        personal_codes=row.personal_codes or 0,
        language=row.language,
    )


@_write
def create_live(
    programme: Programme,
    programme_file: str = "",
    tables: int | None = None,
    join_mode: str = "open",
) -> LiveState:
    """Start a live session of the programme with a fresh, unused join code (and ``tables``
    dialogue tables; default: the programme's; and who may join: ``join_mode``)."""
    with write_lock:
        for _ in range(20):
            try:
                with db.session() as s:
                    row = LiveSession(
                        code=new_code(),
                        programme_id=programme.id,
                        programme_version=programme.version,
                        programme_file=programme_file,
                        programme=programme.to_dict(),
                        key_nonce=secrets.token_urlsafe(18),
                        tables=programme.tables if tables is None else tables,
                        retention_days=programme.retention_days,
                        join_mode=join_mode,
                    )
                    s.add(row)
                    s.flush()
                    return _state(row, [])
            except IntegrityError:
                continue  # the code was taken: draw another
    raise RuntimeError("could not find a free join code")


def get_live(code: str) -> LiveState | None:
    """The live session with that join code (normalised), or None."""
    with db.reader() as s:
        row = s.scalar(select(LiveSession).where(LiveSession.code == normalise_code(code)))
        if row is None:
            return None
        statuses = list(s.scalars(select(ActivityState).where(ActivityState.live_id == row.id)))
        return _state(row, statuses)


@dataclass(frozen=True)
class LiveSummary:
    code: str
    title: dict[str, str]
    programme_id: str
    created_at: datetime
    ended_at: datetime | None
    participants: int
    control_key: str
    projector_key: str
    #: when the server deletes it (retention_days after its end, or its start)
    delete_after: datetime


def delete_after(created_at: datetime, ended_at: datetime | None, days: int) -> datetime:
    """When the server deletes a live session: ``days`` after its end (its start, if never
    ended)."""
    return (ended_at or created_at) + timedelta(days=days)


def list_lives() -> list[LiveSummary]:
    """All live sessions, newest first, with their participant counts."""
    with db.reader() as s:
        counts = dict(
            s.execute(select(Participant.live_id, func.count()).group_by(Participant.live_id)).all()
        )
        rows = s.scalars(select(LiveSession).order_by(LiveSession.id.desc()))
        return [
            LiveSummary(
                r.code,
                r.programme["title"],
                r.programme_id,
                r.created_at,
                r.ended_at,
                counts.get(r.id, 0),
                link_key(r.key_nonce, "control"),
                link_key(r.key_nonce, "projector"),
                delete_after(r.created_at, r.ended_at, r.retention_days),
            )
            for r in rows
        ]


@_write
def update_live(
    live_id: int,
    *,
    current: str | None | EllipsisType = ...,
    statuses: dict[str, ActivityStatus] | None = None,
    join_locked: bool | None = None,
    timer: Countdown | None | EllipsisType = ...,
    breakdown: tuple[str | None, tuple[str, str] | None] | None = None,
    ended: bool | None = None,
    language: str | None = None,
) -> LiveState:
    """Change what the live session shows; bumps its version. Caller holds ``write_lock``."""
    with db.session() as s:
        row = s.get(LiveSession, live_id, with_for_update=True)
        assert row is not None
        if language is not None:
            row.language = language
        if current is not ...:
            row.current_activity = current
        if join_locked is not None:
            row.join_locked = join_locked
        if ended is not None:
            row.ended_at = utcnow() if ended else None
        if breakdown is not None:
            row.breakdown_by = breakdown[0]
            row.breakdown_compare = list(breakdown[1]) if breakdown[1] else None
        if timer is not ...:
            row.timer_activity = timer.activity if timer else None
            row.timer_ends_at = timer.ends_at if timer else None
            row.timer_seconds = timer.seconds if timer else None
            row.timer_auto_close = timer.auto_close if timer else True
        rows = {
            a.activity_id: a
            for a in s.scalars(select(ActivityState).where(ActivityState.live_id == live_id))
        }
        now = utcnow()
        for activity_id, st in (statuses or {}).items():
            a = rows.get(activity_id)
            if a is None:
                a = rows[activity_id] = ActivityState(live_id=live_id, activity_id=activity_id)
                s.add(a)
            if st.status == "open" and a.status != "open":
                a.opened_at = now
            if st.status == "closed" and a.status != "closed":
                a.closed_at = now
            a.status = st.status
            a.results_visible = st.results_visible
            a.hidden_words = list(st.hidden_words)
            a.approved_words = list(st.approved_words)
            a.resets = st.resets
            a.holders = {str(t): pid for t, pid in st.holders} or None
            a.spotlight = st.spotlight
        row.version += 1
        s.flush()
        return _state(row, list(rows.values()))


def purge_before(cutoff: datetime, reason: str = "command") -> list[str]:
    """Delete every live session created before ``cutoff`` (UTC); returns their codes."""
    with db.reader() as s:
        codes = list(s.scalars(select(LiveSession.code).where(LiveSession.created_at < cutoff)))
    deleted = [code for code in codes if _delete_live(code, reason) is not None]
    _checkpoint()
    return deleted


def expired(now: datetime) -> list[str]:
    """The join codes of the live sessions whose retention has run out at ``now`` (UTC)."""
    with db.reader() as s:
        rows = s.execute(
            select(
                LiveSession.code,
                LiveSession.created_at,
                LiveSession.ended_at,
                LiveSession.retention_days,
            )
        ).all()
    return [
        code for code, created, ended, days in rows if delete_after(created, ended, days) <= now
    ]


@dataclass(frozen=True)
class DeletionRow:
    code: str
    programme_id: str
    programme_version: str
    created_at: datetime
    ended_at: datetime | None
    deleted_at: datetime
    reason: str
    participants: int
    responses: int
    questions: int


def delete_live(code: str, reason: str | None = "command") -> DeletionRow | None:
    """Remove a live session and everything in it, leaving no readable trace in the file, and
    record the deletion without personal data (not for ``reason`` None: the editor's
    throw-away previews). None: there was no such live session."""
    deleted = _delete_live(code, reason)
    if deleted is not None:
        _checkpoint()
    return deleted


def deletions(limit: int = 100) -> list[DeletionRow]:
    """The newest records of deleted live sessions."""
    with db.reader() as s:
        rows = s.scalars(select(Deletion).order_by(Deletion.id.desc()).limit(limit))
        return [_deletion(r) for r in rows]


def _deletion(r: Deletion) -> DeletionRow:
    return DeletionRow(
        r.code,
        r.programme_id,
        r.programme_version,
        r.created_at,
        r.ended_at,
        r.deleted_at,
        r.reason,
        r.participants,
        r.responses,
        r.questions,
    )


@_write
def _checkpoint() -> None:
    """Write the WAL back into the database file and empty it, so that deleted rows do not stay
    readable in the WAL (with secure_delete they are overwritten in the file itself)."""
    assert db.engine is not None
    if db.engine.dialect.name == "sqlite":
        with write_lock, db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@_write
def _delete_live(code: str, reason: str | None) -> DeletionRow | None:
    with write_lock, db.session() as s:
        row = s.scalar(
            select(LiveSession)
            .where(LiveSession.code == normalise_code(code))
            .with_for_update()  # PostgreSQL: a second process deleting it waits, then finds none
        )
        if row is None:
            return None
        pids = select(Participant.id).where(Participant.live_id == row.id)
        qids = select(Question.id).where(Question.live_id == row.id)

        def count(table: Any, *where: Any) -> int:
            return int(s.scalar(select(func.count()).select_from(table).where(*where)) or 0)

        record = Deletion(
            code=row.code,
            programme_id=row.programme_id,
            programme_version=row.programme_version,
            created_at=row.created_at,
            ended_at=row.ended_at,
            deleted_at=utcnow(),
            reason=reason or "",
            participants=count(Participant, Participant.live_id == row.id),
            responses=count(Response, Response.live_id == row.id),
            questions=count(Question, Question.live_id == row.id),
        )
        s.execute(delete(QuestionVote).where(QuestionVote.question_id.in_(qids)))
        s.execute(delete(Question).where(Question.live_id == row.id))
        s.execute(delete(LogEntry).where(LogEntry.live_id == row.id))
        s.execute(delete(JoinCodeUse).where(JoinCodeUse.live_id == row.id))
        s.execute(delete(Submission).where(Submission.participant_id.in_(pids)))
        s.execute(delete(Response).where(Response.live_id == row.id))
        s.execute(delete(Participant).where(Participant.live_id == row.id))
        s.execute(delete(ActivityState).where(ActivityState.live_id == row.id))
        s.delete(row)
        if reason:
            s.add(record)
        s.flush()
        _programmes.pop(row.id, None)
        return _deletion(record)


# ----------------------------------------------------------------------------- participants


class CodeUsed(Exception):
    """That personal code has joined a participant already."""


@_write
def create_participant(
    live_id: int, table: int | None = None, code_number: int | None = None
) -> tuple[int, str]:
    """A new participant: (id, token). Only the token's hash is stored. With ``code_number``
    (a personal code), that code is marked used in the same transaction: ``CodeUsed`` when it
    was (a unique key, so also across processes)."""
    token = secrets.token_urlsafe(16)  # 128 bits
    try:
        with write_lock, db.engine.begin() as conn:  # type: ignore[union-attr]
            row = conn.execute(
                _statement("new_participant"),
                {
                    "live_id": live_id,
                    "token_hash": hash_token(token),
                    "table": table,
                    "created_at": utcnow(),
                },
            )
            key = row.inserted_primary_key
            assert key is not None
            pid = int(key[0])
            if code_number is not None:
                conn.execute(
                    JoinCodeUse.__table__.insert(),  # type: ignore[attr-defined]
                    {
                        "live_id": live_id,
                        "number": code_number,
                        "participant_id": pid,
                        "used_at": utcnow(),
                    },
                )
            return pid, token
    except IntegrityError:
        if code_number is None:
            raise
        raise CodeUsed(code_number) from None


@_write
def create_participants(joining: list[tuple[int, int | None]]) -> list[tuple[int, str]]:
    """New participants, one per (live session id, table), in one transaction: their (id,
    token), in the same order. Only the tokens' hashes are stored."""
    tokens = [secrets.token_urlsafe(16) for _ in joining]  # 128 bits each
    now = utcnow()
    rows = [
        {"live_id": live_id, "token_hash": hash_token(token), "table": table, "created_at": now}
        for (live_id, table), token in zip(joining, tokens, strict=True)
    ]
    with write_lock, db.engine.begin() as conn:  # type: ignore[union-attr]
        q = _statements(conn)
        if isinstance(q, _DriverStatements):  # SQLite: one by one on its cursor, no round trips
            ids = [q.inserted("new_participant", row) for row in rows]
        else:  # one INSERT ... RETURNING for the batch
            ids = list(conn.execute(_statement("new_participants"), rows).scalars())
    return [(int(pid), token) for pid, token in zip(ids, tokens, strict=True)]


@_write
def add_personal_codes(live_id: int, n: int) -> int:
    """Print ``n`` more personal codes: returns how many there are now."""
    with write_lock, db.session() as s:
        row = s.get(LiveSession, live_id, with_for_update=True)
        assert row is not None
        row.personal_codes = (row.personal_codes or 0) + n
        return row.personal_codes


def used_codes(live_id: int) -> set[int]:
    """The numbers of the personal codes that joined someone."""
    with db.reader() as s:
        return set(s.scalars(select(JoinCodeUse.number).where(JoinCodeUse.live_id == live_id)))


def find_participant(live_id: int, token: str) -> int | None:
    """The participant of this live session holding the token, or None."""
    if not token or len(token) > 100:
        return None
    with db.engine.connect() as conn:  # type: ignore[union-attr]
        found = conn.execute(
            _statement("participant"), {"lid": live_id, "hash": hash_token(token)}
        ).scalar()
        return None if found is None else int(found)


@_write
def set_table(participant_id: int, table: int | None) -> None:
    """Put a participant at a dialogue table. Caller holds ``write_lock``."""
    with db.session() as s:
        s.execute(update(Participant).where(Participant.id == participant_id).values(table=table))


def segments(live_id: int, profile_ids: list[str]) -> dict[int, dict[str, Any]]:
    """Every participant's segments: {participant id: {"table": n, <profile id>: option}}."""
    out: dict[int, dict[str, Any]] = {}
    with db.reader() as s:
        for pid, table in s.execute(
            select(Participant.id, Participant.table).where(Participant.live_id == live_id)
        ).all():
            out[pid] = {"table": table}
        if profile_ids:
            for pid, aid, value in s.execute(
                select(Response.participant_id, Response.activity_id, Response.value).where(
                    Response.live_id == live_id, Response.activity_id.in_(profile_ids)
                )
            ).all():
                out.setdefault(pid, {})[aid] = value
    return out


def participant_ids(live_id: int) -> set[int]:
    """The ids of the live session's participants (``live.counts`` keeps them as a set)."""
    with db.reader() as s:
        return set(s.scalars(select(Participant.id).where(Participant.live_id == live_id)))


# -------------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class Saved:
    """What ``save_response`` did: ``kind`` is "new", "changed" or "duplicate"."""

    kind: str
    value: Any
    old: Any = None
    #: how often the participant had changed this answer before (0 for a new one)
    changes: int = 0


@_write
def save_response(
    live_id: int,
    activity_id: str,
    participant_id: int,
    client_id: str,
    value: Any,
    status: str = "approved",
    submitted: Any = ...,
) -> Saved:
    """Store (or replace) a participant's answer and commit. Caller holds ``write_lock``.

    A ``client_id`` already used by this participant for the same activity and value is a
    retry: nothing changes and the stored value is returned as a duplicate. Used for another
    activity or value, it is ``Saved("reused", None)``: nothing changes either, and the caller
    refuses it (an ack that said "duplicate" there would hide a lost answer). ``submitted``:
    the value as the phone sent it (cleaned), when what is stored adds to it (a per-table
    kind stamps its table and time): a retry is recognised by that.
    """
    for attempt in range(2):
        try:
            with db.engine.begin() as conn:  # type: ignore[union-attr]
                return _save(
                    _statements(conn),
                    live_id,
                    activity_id,
                    participant_id,
                    client_id,
                    value,
                    status,
                    submitted,
                )
        except IntegrityError:
            # another process wrote the same response first: read again
            if attempt:
                raise
    raise AssertionError("unreachable")


class Answer(NamedTuple):
    """One answer for ``save_responses``."""

    live_id: int
    activity_id: str
    participant_id: int
    client_id: str
    value: Any
    status: str = "approved"


def save_responses(answers: list[Answer]) -> list[Saved | Exception]:
    """Group commit: store the answers in order in ONE transaction and commit once; what
    ``save_response`` did for each, in the same order. Caller holds ``write_lock``.

    Answers of the same participant and activity (a retry with the same client id, a change)
    follow each other inside the transaction exactly as they would one commit after the other.
    Nothing is visible to anyone before the commit, and a failure rolls all of them back
    (``_write`` retries the whole batch while another process holds the database). If another
    process wrote one of the same responses first (a unique key, with PostgreSQL), the batch is
    rolled back and its answers are stored one by one, each with its own outcome: what it did,
    or the exception that stopped it (the others are stored all the same)."""
    try:
        return list(_save_batch(answers))
    except IntegrityError:
        out: list[Saved | Exception] = []
        for a in answers:
            try:
                out.append(save_response(*a))
            except Exception as exc:  # noqa: BLE001 - this answer's own failure, reported to it
                out.append(exc)
        return out


@_write
def _save_batch(answers: list[Answer]) -> list[Saved]:
    with db.engine.begin() as conn:  # type: ignore[union-attr]
        q = _statements(conn)
        # on SQLite's own cursor a statement costs little: one answer after the other
        if not isinstance(q, _DriverStatements) and len(answers) > 1 and _independent(answers):
            return _save_many(conn, answers)
        return [_save(q, *a) for a in answers]


def _independent(answers: list[Answer]) -> bool:
    """Whether no two answers concern the same response or client id: then the order inside
    the batch cannot change what any of them does."""
    responses = {(a.participant_id, a.activity_id) for a in answers}
    client_ids = {(a.participant_id, a.client_id) for a in answers}
    return len(responses) == len(client_ids) == len(answers)


def _save_many(conn: Any, answers: list[Answer]) -> list[Saved]:
    """``_save`` for each of independent answers, with a few statements for the whole batch
    (a burst's batches are hundreds of new answers, and each statement cost more Python than
    SQLite): the client ids taken in one INSERT … RETURNING, the current responses in one
    SELECT, the new responses in one INSERT; a retry, a reused client id or a change is then
    handled as ``_save`` does it."""
    digests = [value_hash(a.value) for a in answers]
    taken_rows = conn.execute(
        _statement("take_many"),
        [
            {"pid": a.participant_id, "cid": a.client_id, "aid": a.activity_id, "vh": d}
            for a, d in zip(answers, digests, strict=True)
        ],
    )
    taken = {(row.participant_id, row.client_id) for row in taken_rows}
    current: dict[tuple[int, int, str], Any] = {}
    for live_id in {a.live_id for a in answers}:
        mine = [a for a in answers if a.live_id == live_id]
        rows = conn.execute(
            _statement("current_many"),
            {
                "lid": live_id,
                "pids": sorted({a.participant_id for a in mine}),
                "aids": sorted({a.activity_id for a in mine}),
            },
        )
        for row in rows:
            current[(live_id, row.participant_id, row.activity_id)] = row
    out: list[Saved] = []
    new_rows: list[dict[str, Any]] = []
    now = utcnow()
    for a, digest in zip(answers, digests, strict=True):
        ids = {"pid": a.participant_id, "cid": a.client_id, "aid": a.activity_id}
        stored = current.get((a.live_id, a.participant_id, a.activity_id))
        if (a.participant_id, a.client_id) not in taken:  # a retry, or a reuse
            seen = conn.execute(_statement("seen"), ids).first()
            if not _same_use(seen, a.activity_id, digest, stored):
                out.append(Saved("reused", None))
            else:
                out.append(Saved("duplicate", stored.value if stored is not None else None))
        elif stored is None:
            new_rows.append(
                {
                    "live_id": a.live_id,
                    "activity_id": a.activity_id,
                    "participant_id": a.participant_id,
                    "value": a.value,
                    "submitted_at": now,
                    "changed_at": now,
                    "changes": 0,
                    "status": a.status,
                }
            )
            out.append(Saved("new", a.value))
        else:
            conn.execute(
                _statement("update"),
                {
                    "rid": stored.id,
                    "value": a.value,
                    "changed_at": now,
                    "changes": stored.changes + 1,
                    "status": a.status,
                },
            )
            out.append(Saved("changed", a.value, stored.value, stored.changes + 1))
    if new_rows:
        conn.execute(_statement("insert"), new_rows)
    return out


def _save(
    q: _Statements,
    live_id: int,
    activity_id: str,
    participant_id: int,
    client_id: str,
    value: Any,
    status: str,
    submitted: Any = ...,
) -> Saved:
    """One answer inside the caller's transaction (``submitted``: see ``save_response``)."""
    digest = value_hash(value if submitted is ... else submitted)
    ids = {"pid": participant_id, "cid": client_id, "aid": activity_id, "lid": live_id}
    taken = q.rowcount("take", {**ids, "vh": digest})
    current = q.first("current", ids)
    if taken == 0:  # this client id was used before: a retry, or a reuse
        seen = q.first("seen", ids)
        if not _same_use(seen, activity_id, digest, current):
            return Saved("reused", None)
        return Saved("duplicate", current.value if current is not None else None)
    now = utcnow()
    if current is None:
        q.rowcount(
            "insert",
            {
                "live_id": live_id,
                "activity_id": activity_id,
                "participant_id": participant_id,
                "value": value,
                "submitted_at": now,
                "changed_at": now,
                "changes": 0,
                "status": status,
            },
        )
        return Saved("new", value)
    q.rowcount(
        "update",
        {
            "rid": current.id,
            "value": value,
            "changed_at": now,
            "changes": current.changes + 1,
            "status": status,
        },
    )
    return Saved("changed", value, current.value, current.changes + 1)


class _Statements:
    """Runs the hot path's statements (``_statement``) inside a transaction: through
    SQLAlchemy's Connection, for any database."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def rowcount(self, name: str, params: dict[str, Any]) -> int:
        return int(self.conn.execute(_statement(name), params).rowcount)

    def first(self, name: str, params: dict[str, Any]) -> Any:
        return self.conn.execute(_statement(name), params).first()

    def inserted(self, name: str, params: dict[str, Any]) -> int:
        """Run an INSERT of one row: the new row's id."""
        return int(self.conn.execute(_statement(name), params).inserted_primary_key[0])


class _DriverStatements(_Statements):
    """The same statements on SQLite's own cursor (sqlite3), for the answers' hot path.

    Each is compiled by SQLAlchemy once (its SQL, the order of its parameters, the types'
    conversions of values and results: JSON, dates) and then run without SQLAlchemy's
    execution machinery, which per statement cost several times SQLite's own work (in a
    burst of 5,000 answers, storing them was a quarter of the server's CPU, three quarters of
    it in SQLAlchemy: docs/performance.md). Same SQL, same stored text, same transaction (the
    Connection's; SQLAlchemy commits or rolls it back); SQLite's errors are raised as
    SQLAlchemy's (``IntegrityError``, ``OperationalError``), as the callers expect."""

    def __init__(self, conn: Any) -> None:
        super().__init__(conn)
        self.cursor = conn.connection.driver_connection.cursor()

    def _run(self, name: str, params: dict[str, Any]) -> _Compiled:
        found = _Compiled.of(self.conn.dialect, name, params)
        args = []
        for k, convert, default in found.params:
            value = params[k] if default is None else default()
            args.append(value if convert is None else convert(value))
        try:
            self.cursor.execute(found.sql, args)
        except self.conn.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                found.sql, args, exc, self.conn.dialect.loaded_dbapi.Error
            ) from exc
        return found

    def rowcount(self, name: str, params: dict[str, Any]) -> int:
        self._run(name, params)
        return int(self.cursor.rowcount)

    def inserted(self, name: str, params: dict[str, Any]) -> int:
        self._run(name, params)
        return int(self.cursor.lastrowid)

    def first(self, name: str, params: dict[str, Any]) -> Any:
        found = self._run(name, params)
        row = self.cursor.fetchone()
        self.cursor.fetchall()  # the statement is done with
        if row is None:
            return None
        assert found.row is not None
        return found.row._make(
            v if convert is None else convert(v)
            for v, convert in zip(row, found.results, strict=True)
        )


def _statements(conn: Any) -> _Statements:
    """How the hot path's statements run on this connection: on SQLite, on its driver's
    cursor (``_DriverStatements``)."""
    return _DriverStatements(conn) if conn.dialect.name == "sqlite" else _Statements(conn)


class _Compiled(NamedTuple):
    """One of ``_statement``'s statements compiled for a dialect and a set of parameter
    names: its SQL, its parameters in order with their conversions, and for a SELECT its
    row's fields and their conversions."""

    sql: str
    #: each parameter: its name, its conversion, and where it is not given, its column's
    #: default (an INSERT's ``received_at``, say)
    params: tuple[tuple[str, Callable[[Any], Any] | None, Callable[[], Any] | None], ...]
    row: Any
    results: tuple[Callable[[Any], Any] | None, ...]

    @classmethod
    def of(cls, dialect: Any, name: str, params: dict[str, Any]) -> _Compiled:
        key = (dialect.name, name, frozenset(params))
        found = _compiled.get(key)
        if found is None:
            found = _compiled[key] = cls._compile(dialect, name, sorted(params))
        return found

    @classmethod
    def _compile(cls, dialect: Any, name: str, keys: list[str]) -> _Compiled:
        stmt = _statement(name)
        compiled = stmt.compile(dialect=dialect, column_keys=keys)
        assert compiled.positiontup is not None, "a positional paramstyle (SQLite's qmark)"
        params = tuple(
            (
                k,
                _impl(compiled.binds[k].type, dialect).bind_processor(dialect),
                _default(stmt, k, keys),
            )
            for k in compiled.positiontup
        )
        if not stmt.is_select:
            return cls(compiled.string, params, None, ())
        columns = list(stmt.selected_columns)
        return cls(
            compiled.string,
            params,
            namedtuple("Row", [c.key for c in columns]),  # type: ignore[misc]
            tuple(_impl(c.type, dialect).result_processor(dialect, None) for c in columns),
        )


def _impl(type_: Any, dialect: Any) -> Any:
    """The dialect's own form of a column type, whose conversions SQLAlchemy applies (SQLite's
    JSON reads back a bare number as SQLite stored it, its DATETIME writes its own text)."""
    return type_.dialect_impl(dialect)


def _default(stmt: Any, name: str, given: list[str]) -> Callable[[], Any] | None:
    """The default of the column that an INSERT's parameter ``name`` fills when the caller
    does not give it, as SQLAlchemy would fill it (a constant, or a function such as
    ``utcnow``)."""
    if name in given or not stmt.is_insert:
        return None
    default = stmt.table.c[name].default
    assert default is not None, f"{name} is neither given nor has a default"
    if default.is_callable:
        return lambda: default.arg(None)
    return lambda: default.arg


#: (dialect, statement, its parameters' names): the statement compiled (``_Compiled``)
_compiled: dict[tuple[str, str, frozenset[str]], _Compiled] = {}


_prepared: dict[tuple[str, str], Any] = {}


def _statement(name: str) -> Any:
    """A statement of the hot paths (an answer, a phone's join and connect), built once per
    database dialect. Building a statement and its cache key costs more than running it on
    SQLite: for an answer, about two thirds of save_response before (docs/performance.md)."""
    assert db.engine is not None
    key = (db.engine.dialect.name, name)
    found = _prepared.get(key)
    if found is None:
        found = _prepared[key] = _BUILD[name]()
    return found


def _build_statements() -> dict[str, Callable[[], Any]]:
    # declarative classes' __table__ is typed as a FromClause; these are Tables
    r, sub, p = (cast(Table, m.__table__) for m in (Response, Submission, Participant))
    q, v = cast(Table, Question.__table__), cast(Table, QuestionVote.__table__)
    return {
        # answers (save_response)
        "take": lambda: _insert_ignore(sub).values(
            participant_id=bindparam("pid"),
            client_id=bindparam("cid"),
            activity_id=bindparam("aid"),
            value_hash=bindparam("vh"),
        ),
        "current": lambda: select(r.c.id, r.c.value, r.c.changes).where(
            r.c.live_id == bindparam("lid"),
            r.c.activity_id == bindparam("aid"),
            r.c.participant_id == bindparam("pid"),
        ),
        # a batch of independent answers (_save_many)
        "take_many": lambda: (
            _insert_ignore(sub)
            .values(
                participant_id=bindparam("pid"),
                client_id=bindparam("cid"),
                activity_id=bindparam("aid"),
                value_hash=bindparam("vh"),
            )
            .returning(sub.c.participant_id, sub.c.client_id)
        ),
        "current_many": lambda: select(
            r.c.id, r.c.participant_id, r.c.activity_id, r.c.value, r.c.changes
        ).where(
            r.c.live_id == bindparam("lid"),
            _in_list(r.c.participant_id, "pids"),
            _in_list(r.c.activity_id, "aids"),
        ),
        "seen": lambda: select(sub.c.activity_id, sub.c.value_hash).where(
            sub.c.participant_id == bindparam("pid"), sub.c.client_id == bindparam("cid")
        ),
        "insert": lambda: r.insert(),  # values by column name at execution
        "update": lambda: r.update().where(r.c.id == bindparam("rid")),
        # a phone joins and connects
        "new_participant": lambda: p.insert(),
        "new_participants": lambda: p.insert().returning(p.c.id, sort_by_parameter_order=True),
        "participant": lambda: select(p.c.id).where(
            p.c.live_id == bindparam("lid"), p.c.token_hash == bindparam("hash")
        ),
        "own_answers": lambda: select(r.c.activity_id, r.c.value).where(
            r.c.participant_id == bindparam("pid")
        ),
        "own_table": lambda: select(p.c.table).where(p.c.id == bindparam("pid")),
        "own_questions": lambda: (
            select(q.c.id, q.c.activity_id, q.c.text, q.c.status)
            .where(q.c.participant_id == bindparam("pid"))
            .order_by(q.c.id)
        ),
        "own_votes": lambda: (
            select(q.c.id, q.c.activity_id)
            .join(v, v.c.question_id == q.c.id)
            .where(v.c.participant_id == bindparam("pid"))
        ),
    }


def _insert_ignore(table: Any) -> Any:
    """INSERT that does nothing when a unique key is already taken (SQLite and PostgreSQL)."""
    assert db.engine is not None
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


def _in_list(column: Any, name: str) -> Any:
    """``column`` is one of the values of a list bound as ``name``. On PostgreSQL (the only
    database ``_save_many`` runs on: SQLite's answers go through ``_DriverStatements``) one SQL
    text for a list of any length, an array (``= ANY``): an expanding IN is rendered anew at
    every execution for the length at hand (docs/performance.md)."""
    assert db.engine is not None
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


_BUILD = _build_statements()


def value_hash(value: Any) -> str:
    """The fingerprint of a submitted value: sha256 of its canonical JSON."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _same_use(seen: Any, activity_id: str, digest: str, current: Any) -> bool:
    """Whether a client id seen before (row ``activity_id, value_hash``) was used for this
    activity and value. Rows from before the fingerprint compare with the stored answer."""
    if seen is None or seen.activity_id != activity_id:
        return False
    if seen.value_hash:
        return bool(seen.value_hash == digest)
    return current is None or value_hash(current.value) == digest


def submission_use(participant_id: int, client_id: str, value: Any) -> str:
    """What a client id is to this participant, for an answer ``value`` to an activity:
    "new" (never used), or the activity it was used for when used with this value, or
    "reused" (used for another value)."""
    digest = value_hash(value)
    with db.reader() as s:
        seen = s.execute(
            select(Submission.activity_id, Submission.value_hash).where(
                Submission.participant_id == participant_id, Submission.client_id == client_id
            )
        ).first()
        if seen is None:
            return "new"
        current = s.execute(
            select(Response.value).where(
                Response.participant_id == participant_id,
                Response.activity_id == seen.activity_id,
            )
        ).first()
    return seen.activity_id if _same_use(seen, seen.activity_id, digest, current) else "reused"


def answers_of(participant_id: int) -> dict[str, Any]:
    """A participant's stored answers: {activity_id: value}."""
    with db.reader() as s:
        return dict(
            s.execute(
                select(Response.activity_id, Response.value).where(
                    Response.participant_id == participant_id
                )
            ).all()
        )


def responses_for(live_id: int, activity_id: str) -> list[tuple[int, Any, str, int]]:
    """(participant_id, value, status, changes) of an activity's responses, in the order first
    submitted. One query, so that a recount and its change counts (scale-out, LiveCache.tally) come
    from the same snapshot: with two, an answer committed between them was neither counted nor
    applied later."""
    with db.reader() as s:
        return [
            (pid, value, status, changes)
            for pid, value, status, changes in s.execute(
                select(Response.participant_id, Response.value, Response.status, Response.changes)
                .where(Response.live_id == live_id, Response.activity_id == activity_id)
                .order_by(Response.submitted_at, Response.id)
            ).all()
        ]


def set_response_status(live_id: int, activity_id: str, participant_id: int, status: str) -> bool:
    """Moderate a response's free text. Caller holds ``write_lock``."""
    with db.session() as s:
        done = s.execute(
            update(Response)
            .where(
                Response.live_id == live_id,
                Response.activity_id == activity_id,
                Response.participant_id == participant_id,
            )
            .values(status=status)
        )
        return bool(cast(CursorResult[Any], done).rowcount)


@_write
def approve_responses(live_id: int, activity_id: str, participant_ids: list[int]) -> int:
    """Approve the pending free text of these participants' responses at once; returns how
    many changed. Caller holds ``write_lock``."""
    if not participant_ids:
        return 0
    with db.session() as s:
        done = s.execute(
            update(Response)
            .where(
                Response.live_id == live_id,
                Response.activity_id == activity_id,
                Response.participant_id.in_(participant_ids),
                Response.status == "pending",
            )
            .values(status="approved")
        )
        return int(cast(CursorResult[Any], done).rowcount)


@_write
def reset_activity(live_id: int, activity_id: str) -> int:
    """Delete every response (and Q&A question) of an activity; returns how many went.
    Client ids stay taken, so an old retry is not counted again. Caller holds ``write_lock``."""
    with db.session() as s:
        qids = select(Question.id).where(
            Question.live_id == live_id, Question.activity_id == activity_id
        )
        s.execute(delete(QuestionVote).where(QuestionVote.question_id.in_(qids)))
        questions = s.execute(
            delete(Question).where(Question.live_id == live_id, Question.activity_id == activity_id)
        )
        responses = s.execute(
            delete(Response).where(Response.live_id == live_id, Response.activity_id == activity_id)
        )
        # a DML statement's result is a CursorResult (Session.execute is typed as Result)
        return int(cast(CursorResult[Any], responses).rowcount or 0) + int(
            cast(CursorResult[Any], questions).rowcount or 0
        )


# ---------------------------------------------------------------------------------- Q&A


@dataclass(frozen=True)
class QuestionRow:
    id: int
    participant_id: int
    text: str
    status: str
    votes: int
    pinned: bool
    answered: bool


def _question(q: Question) -> QuestionRow:
    return QuestionRow(q.id, q.participant_id, q.text, q.status, q.votes, q.pinned, q.answered)


class LimitReached(Exception):
    """A participant has as many questions (or pending ones) in the activity as allowed."""

    def __init__(self, what: str, limit: int):
        self.what, self.limit = what, limit
        super().__init__(f"{what}: at most {limit}")


@_write
def add_question(
    live_id: int,
    activity_id: str,
    participant_id: int,
    client_id: str,
    text: str,
    status: str,
    limits: tuple[int, int] | None = None,
) -> tuple[bool, QuestionRow | None]:
    """Store a question: (new?, question). A client id already used returns (False, the
    question it made). ``limits``: (questions, pending) the participant may have in the
    activity; a new question beyond them raises ``LimitReached`` (a retry of a stored one is
    still answered). Caller holds ``write_lock``."""
    with db.session() as s:
        seen = s.scalar(
            select(Submission).where(
                Submission.participant_id == participant_id, Submission.client_id == client_id
            )
        )
        if seen is not None:
            q = s.scalar(
                select(Question).where(
                    Question.participant_id == participant_id, Question.client_id == client_id
                )
            )
            return False, _question(q) if q is not None else None
        if limits is not None:
            mine = (
                Question.live_id == live_id,
                Question.activity_id == activity_id,
                Question.participant_id == participant_id,
            )
            asked = s.scalar(select(func.count()).select_from(Question).where(*mine)) or 0
            if asked >= limits[0]:
                raise LimitReached("questions", limits[0])
            if status == "pending":
                waiting = (
                    s.scalar(
                        select(func.count())
                        .select_from(Question)
                        .where(*mine, Question.status == "pending")
                    )
                    or 0
                )
                if waiting >= limits[1]:
                    raise LimitReached("pending", limits[1])
        s.add(
            Submission(
                participant_id=participant_id,
                client_id=client_id,
                activity_id=activity_id,
                value_hash=value_hash(text),
            )
        )
        q = Question(
            live_id=live_id,
            activity_id=activity_id,
            participant_id=participant_id,
            text=text,
            status=status,
            client_id=client_id,
        )
        s.add(q)
        s.flush()
        return True, _question(q)


def questions_for(live_id: int, activity_id: str) -> list[QuestionRow]:
    """The activity's questions, oldest first."""
    with db.reader() as s:
        return [
            _question(q)
            for q in s.scalars(
                select(Question)
                .where(Question.live_id == live_id, Question.activity_id == activity_id)
                .order_by(Question.id)
            )
        ]


def get_question(live_id: int, question_id: int) -> tuple[str, QuestionRow] | None:
    """(activity id, question) or None."""
    with db.reader() as s:
        q = s.get(Question, question_id)
        if q is None or q.live_id != live_id:
            return None
        return q.activity_id, _question(q)


@_write
def vote(question_id: int, participant_id: int, up: bool) -> tuple[bool, int]:
    """Add or take back a participant's vote: (changed?, votes now). The unique constraint
    keeps it to one vote. Caller holds ``write_lock``."""
    with db.session() as s:
        existing = s.scalar(
            select(QuestionVote).where(
                QuestionVote.question_id == question_id,
                QuestionVote.participant_id == participant_id,
            )
        )
        q = s.get(Question, question_id)
        assert q is not None
        if up and existing is None:
            s.add(QuestionVote(question_id=question_id, participant_id=participant_id))
            q.votes += 1
            return True, q.votes
        if not up and existing is not None:
            s.delete(existing)
            q.votes -= 1
            return True, q.votes
        return False, q.votes


@_write
def mark_question(question_id: int, **marks: Any) -> None:
    """Set status / pinned / answered of a question. Caller holds ``write_lock``."""
    with db.session() as s:
        s.execute(update(Question).where(Question.id == question_id).values(**marks))


@_write
def approve_questions(question_ids: list[int]) -> None:
    """Approve several questions at once. Caller holds ``write_lock``."""
    if question_ids:
        with db.session() as s:
            s.execute(
                update(Question).where(Question.id.in_(question_ids)).values(status="approved")
            )


def participant_view(
    participant_id: int, with_questions: bool
) -> tuple[dict[str, Any], dict[str, dict[str, list[Any]]], int | None]:
    """What a phone's snapshot needs of its own, in one session: (answers, Q&A, table)."""
    ids = {"pid": participant_id}
    with db.engine.connect() as conn:  # type: ignore[union-attr]
        answers = {aid: value for aid, value in conn.execute(_statement("own_answers"), ids)}
        table = conn.execute(_statement("own_table"), ids).scalar()
        asked = _asked_by(conn, participant_id) if with_questions else {}
    return answers, asked, table


def _asked_by(conn: Any, participant_id: int) -> dict[str, dict[str, list[Any]]]:
    """A participant's own questions and votes, per Q&A activity."""
    out: dict[str, dict[str, list[Any]]] = {}
    ids = {"pid": participant_id}
    for qid, aid, text_, status in conn.execute(_statement("own_questions"), ids):
        out.setdefault(aid, {"asked": [], "voted": []})["asked"].append(
            {"id": str(qid), "text": text_, "status": status}
        )
    for qid, aid in conn.execute(_statement("own_votes"), ids):
        out.setdefault(aid, {"asked": [], "voted": []})["voted"].append(str(qid))
    return out


# ---------------------------------------------------------------------------------- log


@_write
def log(
    live_id: int, action: str, activity_id: str | None = None, detail: dict[str, Any] | None = None
) -> None:
    """Record a facilitator action. Caller holds ``write_lock``."""
    with db.session() as s:
        s.add(
            LogEntry(live_id=live_id, action=action, activity_id=activity_id, detail=detail or {})
        )


def log_entries(live_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """The newest entries of a live session's log, newest first."""
    with db.reader() as s:
        return [
            {
                "at": e.at.isoformat() + "Z",
                "action": e.action,
                "activity": e.activity_id,
                "detail": e.detail,
            }
            for e in s.scalars(
                select(LogEntry)
                .where(LogEntry.live_id == live_id)
                .order_by(LogEntry.id.desc())
                .limit(limit)
            )
        ]


# ------------------------------------------------------------------------ facilitator sign-in


@_write
def create_sign_in_token() -> str:
    """A new sign-in token; every earlier one stops working (only the newest is valid)."""
    token = secrets.token_urlsafe(24)
    with write_lock, db.session() as s:
        s.execute(delete(SignInToken))
        s.add(SignInToken(token_hash=hash_token(token)))
    return token


@_write
def use_sign_in_token(token: str, not_before: datetime) -> bool:
    """True once for a valid token made at or after ``not_before``; it cannot be used again."""
    if not token or len(token) > 100:
        return False
    with write_lock, db.session() as s:
        row = s.scalar(select(SignInToken).where(SignInToken.token_hash == hash_token(token)))
        if row is None or row.used_at is not None or row.created_at < not_before:
            return False
        row.used_at = utcnow()
        return True


@_write
def create_browser_grant(facilitator: bool) -> str:
    """A new browser grant (facilitator/access.py); returns its token for the cookie."""
    token = secrets.token_urlsafe(24)
    with write_lock, db.session() as s:
        s.add(BrowserGrant(token_hash=hash_token(token), facilitator=facilitator))
    return token


def browser_grant(token: str) -> bool | None:
    """None when no grant has this token (never made, or revoked); else whether it is a signed-in
    facilitator's."""
    if not token or len(token) > 100:
        return None
    with db.reader() as s:
        found: bool | None = s.scalar(
            select(BrowserGrant.facilitator).where(BrowserGrant.token_hash == hash_token(token))
        )
        return found


@_write
def revoke_browser_grant(token: str) -> None:
    with write_lock, db.session() as s:
        s.execute(delete(BrowserGrant).where(BrowserGrant.token_hash == hash_token(token)))


# ---- export
# Plain rows for facilitator/export_service.py (after the session: CSV, XLSX, JSON, report).
# Never a token or its hash: participants are identified by their database id only, which the
# export turns into a pseudonym. Named tuples, not ORM rows: a big room has hundreds of thousands.


class ExportParticipant(NamedTuple):
    id: int
    joined_at: datetime
    table: int | None


class ExportResponse(NamedTuple):
    participant_id: int
    activity_id: str
    value: Any
    status: str
    #: UTC, ISO 8601 to the second: "2026-03-05T13:30:00Z"
    submitted_at: str
    changed_at: str
    changes: int


class ExportQuestion(NamedTuple):
    id: int
    activity_id: str
    participant_id: int
    text: str
    status: str
    votes: int
    pinned: bool
    answered: bool
    created_at: datetime


class ExportActivityTimes(NamedTuple):
    opened_at: datetime | None
    closed_at: datetime | None


def export_participants(live_id: int) -> list[ExportParticipant]:
    """Every participant of a live session, in the order they joined."""
    with db.reader() as s:
        return [
            ExportParticipant(pid, joined, table)
            for pid, joined, table in s.execute(
                select(Participant.id, Participant.created_at, Participant.table)
                .where(Participant.live_id == live_id)
                .order_by(Participant.id)
            ).all()
        ]


def export_questions(live_id: int) -> list[ExportQuestion]:
    """Every Q&A question of a live session, oldest first."""
    with db.reader() as s:
        return [
            ExportQuestion(
                q.id,
                q.activity_id,
                q.participant_id,
                q.text,
                q.status,
                q.votes,
                q.pinned,
                q.answered,
                q.created_at,
            )
            for q in s.scalars(
                select(Question).where(Question.live_id == live_id).order_by(Question.id)
            )
        ]


def export_log(live_id: int) -> list[dict[str, Any]]:
    """The whole log of a live session, oldest first."""
    with db.reader() as s:
        return [
            {"at": e.at, "action": e.action, "activity": e.activity_id, "detail": e.detail or {}}
            for e in s.scalars(
                select(LogEntry).where(LogEntry.live_id == live_id).order_by(LogEntry.id)
            )
        ]


def export_activity_times(live_id: int) -> dict[str, ExportActivityTimes]:
    """When each activity was last opened and closed for answers."""
    with db.reader() as s:
        return {
            a.activity_id: ExportActivityTimes(a.opened_at, a.closed_at)
            for a in s.scalars(select(ActivityState).where(ActivityState.live_id == live_id))
        }


def export_responses(live_id: int) -> list[ExportResponse]:
    """Every response of a live session, in the order first submitted (as ``responses_for``,
    so free texts are listed in the order the screens list them).

    The JSON value and the timestamps are read as text and decoded here: SQLAlchemy's own
    result processing for them takes twice as long over 200,000 rows (a driver that decodes
    them itself, as psycopg does, hands over the decoded values, which pass through).
    Timestamps come out as ISO 8601 strings, which is what every export writes. Equal stored
    values (the same option, ranking, matrix or scale answer; text of at most 100 characters)
    are decoded once and the one decoded value is shared by those rows, so callers must treat
    values as read-only (the exports do): a quarter faster and 35 MB less at 5,000 x 40."""
    import json

    from sqlalchemy import String, type_coerce

    loads = json.loads
    decoded: dict[str, Any] = {}

    def stamp(v: Any) -> str:
        if isinstance(v, str) and len(v) >= 19 and v[10] in " T":
            return v[:10] + "T" + v[11:19] + "Z"  # SQLite: "2026-03-05 13:30:00.123456"
        if isinstance(v, str):
            v = datetime.fromisoformat(v)
        return str(v.replace(tzinfo=None).isoformat(timespec="seconds")) + "Z"

    with db.reader() as s:
        rows = s.execute(
            select(
                Response.participant_id,
                Response.activity_id,
                type_coerce(Response.value, String),
                Response.status,
                type_coerce(Response.submitted_at, String),
                type_coerce(Response.changed_at, String),
                Response.changes,
            )
            .where(Response.live_id == live_id)
            .order_by(Response.submitted_at, Response.id)
        ).all()
    out: list[ExportResponse] = []
    append = out.append
    for pid, aid, v, status, sub, chg, changes in rows:
        if isinstance(v, str):
            value = decoded.get(v)
            if value is None:
                value = loads(v)
                if len(v) <= 100:
                    decoded[v] = value
        else:  # a driver that decodes JSON itself (psycopg)
            value = v
        append(ExportResponse(pid, aid, value, status, stamp(sub), stamp(chg), changes))
    return out
