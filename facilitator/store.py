"""Persistence: every query and write of the app. Returns domain values, never ORM rows.

Writes are serialised in-process by ``write_lock`` (green-aware once eventlet has monkey-patched
``threading``): under eventlet, SQLite's C code blocks the whole hub while it waits on a lock, so
the process must never wait on SQLite's own lock. A write transaction never spans an emit, a sleep
or network I/O. Across processes (PostgreSQL, scale-out) the unique constraints keep the data
right.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import (
    ActivityState,
    Base,
    LiveSession,
    Participant,
    Response,
    SignInToken,
    Submission,
    utcnow,
)
from .programme import Programme
from .snapshot import ActivityStatus, LiveState

#: Join codes: no look-alikes (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

write_lock = threading.Lock()

_programmes: dict[int, Programme] = {}


def init_schema() -> None:
    """Create missing tables (a release with migrations will replace this with Alembic)."""
    assert db.engine is not None
    Base.metadata.create_all(db.engine)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_code(raw: str) -> str:
    """Uppercase, without spaces or dashes: what a person typed, as a code to look up."""
    return "".join(ch for ch in raw.upper() if ch not in " -_.\t")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# ---------------------------------------------------------------------------- live sessions


def _state(row: LiveSession, statuses: list[ActivityState]) -> LiveState:
    programme = _programmes.get(row.id)
    if programme is None:
        programme = _programmes[row.id] = Programme.from_dict(row.programme)
    return LiveState(
        id=row.id, code=row.code, programme=programme, version=row.version,
        current=row.current_activity, control_key=row.control_key,
        projector_key=row.projector_key, created_at=row.created_at, ended_at=row.ended_at,
        join_locked=row.join_locked, programme_file=row.programme_file,
        statuses={s.activity_id: ActivityStatus(s.status, s.results_visible) for s in statuses},
    )


def create_live(programme: Programme, programme_file: str = "") -> LiveState:
    """Start a live session of the programme with a fresh, unused join code."""
    with write_lock:
        for _ in range(20):
            try:
                with db.session() as s:
                    row = LiveSession(
                        code=new_code(), programme_id=programme.id,
                        programme_version=programme.version, programme_file=programme_file,
                        programme=programme.to_dict(),
                        control_key=secrets.token_urlsafe(18),
                        projector_key=secrets.token_urlsafe(18),
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


def list_lives() -> list[LiveSummary]:
    """All live sessions, newest first, with their participant counts."""
    with db.reader() as s:
        counts = dict(s.execute(select(Participant.live_id, func.count())
                                .group_by(Participant.live_id)).all())
        rows = s.scalars(select(LiveSession).order_by(LiveSession.id.desc()))
        return [LiveSummary(r.code, r.programme["title"], r.programme_id, r.created_at,
                            r.ended_at, counts.get(r.id, 0), r.control_key, r.projector_key)
                for r in rows]


def update_live(live_id: int, *, current: str | None = ..., # type: ignore[assignment]
                statuses: dict[str, ActivityStatus] | None = None,
                join_locked: bool | None = None) -> LiveState:
    """Change what the live session shows; bumps its version. Caller holds ``write_lock``."""
    with db.session() as s:
        row = s.get(LiveSession, live_id, with_for_update=True)
        assert row is not None
        if current is not ...:
            row.current_activity = current
        if join_locked is not None:
            row.join_locked = join_locked
        rows = {a.activity_id: a for a in
                s.scalars(select(ActivityState).where(ActivityState.live_id == live_id))}
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
        row.version += 1
        s.flush()
        return _state(row, list(rows.values()))


def delete_live(code: str) -> bool:
    """Remove a live session and everything in it."""
    with write_lock, db.session() as s:
        row = s.scalar(select(LiveSession).where(LiveSession.code == normalise_code(code)))
        if row is None:
            return False
        pids = select(Participant.id).where(Participant.live_id == row.id)
        s.execute(delete(Submission).where(Submission.participant_id.in_(pids)))
        s.execute(delete(Response).where(Response.live_id == row.id))
        s.execute(delete(Participant).where(Participant.live_id == row.id))
        s.execute(delete(ActivityState).where(ActivityState.live_id == row.id))
        s.delete(row)
        _programmes.pop(row.id, None)
        return True


# ----------------------------------------------------------------------------- participants


def create_participant(live_id: int) -> tuple[int, str]:
    """A new participant: (id, token). Only the token's hash is stored."""
    token = secrets.token_urlsafe(16)  # 128 bits
    with write_lock, db.session() as s:
        p = Participant(live_id=live_id, token_hash=hash_token(token))
        s.add(p)
        s.flush()
        return p.id, token


def find_participant(live_id: int, token: str) -> int | None:
    """The participant of this live session holding the token, or None."""
    if not token or len(token) > 100:
        return None
    with db.reader() as s:
        return s.scalar(select(Participant.id).where(Participant.live_id == live_id,
                                                     Participant.token_hash == hash_token(token)))


def participant_count(live_id: int) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count()).select_from(Participant)
                        .where(Participant.live_id == live_id)) or 0


# -------------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class Saved:
    """What ``save_response`` did: ``kind`` is "new", "changed" or "duplicate"."""

    kind: str
    value: Any
    old: Any = None


def save_response(live_id: int, activity_id: str, participant_id: int, client_id: str,
                  value: Any) -> Saved:
    """Store (or replace) a participant's answer and commit. Caller holds ``write_lock``.

    A ``client_id`` already used by this participant is a retry: nothing changes and the stored
    value is returned as a duplicate.
    """
    for attempt in range(2):
        try:
            with db.session() as s:
                seen = s.scalar(select(Submission.activity_id).where(
                    Submission.participant_id == participant_id,
                    Submission.client_id == client_id))
                current = s.scalar(select(Response).where(
                    Response.live_id == live_id, Response.activity_id == activity_id,
                    Response.participant_id == participant_id))
                if seen is not None:
                    stored = None
                    if seen == activity_id and current is not None:
                        stored = current.value
                    return Saved("duplicate", stored)
                s.add(Submission(participant_id=participant_id, client_id=client_id,
                                 activity_id=activity_id))
                now = utcnow()
                if current is None:
                    s.add(Response(live_id=live_id, activity_id=activity_id,
                                   participant_id=participant_id, value=value,
                                   submitted_at=now, changed_at=now))
                    return Saved("new", value)
                old = current.value
                current.value = value
                current.changed_at = now
                current.changes += 1
                return Saved("changed", value, old)
        except IntegrityError:
            # another process wrote the same submission or response first: read again
            if attempt:
                raise
    raise AssertionError("unreachable")


def submission_activity(participant_id: int, client_id: str) -> str | None:
    """The activity a client id was used for by this participant, or None."""
    with db.reader() as s:
        return s.scalar(select(Submission.activity_id).where(
            Submission.participant_id == participant_id, Submission.client_id == client_id))


def answers_of(participant_id: int) -> dict[str, Any]:
    """A participant's stored answers: {activity_id: value}."""
    with db.reader() as s:
        return dict(s.execute(select(Response.activity_id, Response.value)
                              .where(Response.participant_id == participant_id)).all())


def responses_for(live_id: int, activity_id: str) -> list[tuple[int, Any]]:
    """(participant_id, value) of an activity's responses, in the order first submitted."""
    with db.reader() as s:
        return [(pid, value) for pid, value in s.execute(
            select(Response.participant_id, Response.value)
            .where(Response.live_id == live_id, Response.activity_id == activity_id)
            .order_by(Response.submitted_at, Response.id)).all()]


# ------------------------------------------------------------------------ facilitator sign-in


def create_sign_in_token() -> str:
    token = secrets.token_urlsafe(24)
    with write_lock, db.session() as s:
        s.add(SignInToken(token_hash=hash_token(token)))
    return token


def use_sign_in_token(token: str) -> bool:
    """True once for a valid token; it cannot be used again."""
    if not token or len(token) > 100:
        return False
    with write_lock, db.session() as s:
        row = s.scalar(select(SignInToken).where(SignInToken.token_hash == hash_token(token)))
        if row is None or row.used_at is not None:
            return False
        row.used_at = utcnow()
        return True
