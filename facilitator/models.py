"""Database tables (SQLAlchemy 2.0 typed models). ``store.py`` reads and writes them; their
schema changes only through the migrations in ``migrations/`` (``migrate.py``; a new one:
``flask --app app db revision -m "..."``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, Any: JSON}


class LiveSession(Base):
    """One run of a programme. Its programme is snapshotted in ``programme``."""

    __tablename__ = "live_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    programme_id: Mapped[str] = mapped_column(String(64))
    programme_version: Mapped[str] = mapped_column(String(64))
    programme_file: Mapped[str] = mapped_column(String(255), default="")
    programme: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    current_activity: Mapped[str | None] = mapped_column(String(64), default=None)
    #: grows with every change of what the screens show; clients drop older snapshots
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: the control and projector links' keys are derived from this and the app's secret key
    #: (store.link_key), never stored: a copy of the database opens no screen
    key_nonce: Mapped[str] = mapped_column(String(32))
    join_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the countdown of the current activity (a time in seconds since the epoch), if any
    timer_activity: Mapped[str | None] = mapped_column(String(64), default=None)
    timer_ends_at: Mapped[float | None] = mapped_column(Float, default=None)
    timer_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    timer_auto_close: Mapped[bool] = mapped_column(Boolean, default=True)
    #: dialogue tables in the room (0: none)
    tables: Mapped[int] = mapped_column(Integer, default=0)
    #: what results are broken down by on control and projector: "table", a profile
    #: activity id, or nothing; and the two groups of a side-by-side comparison
    breakdown_by: Mapped[str | None] = mapped_column(String(64), default=None)
    breakdown_compare: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    #: days after its end (its start, if never ended) that the server deletes it: the
    #: programme's settings.retention_days when it started
    retention_days: Mapped[int] = mapped_column(Integer, default=90, server_default="90")
    #: who may join: "open" (anyone with the code), "table_code" (only through a table
    #: card's QR code) or "personal_codes" (one printed one-time code per participant)
    join_mode: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    #: personal codes printed so far (numbers 1..this; the codes are derived, not stored)
    personal_codes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: the language of projector, control and report (one of the programme's languages);
    #: None: the programme's default language
    language: Mapped[str | None] = mapped_column(String(8), default=None)


class ActivityState(Base):
    """Whether an activity is open for answers and whether its results are on the projector."""

    __tablename__ = "activity_states"
    __table_args__ = (UniqueConstraint("live_id", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    live_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|open|closed
    results_visible: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    #: word clouds: words the facilitator hid, and (when moderated) words approved for display
    hidden_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    approved_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    resets: Mapped[int] = mapped_column(Integer, default=0)


class Participant(Base):
    """One phone in a live session. Only a hash of its token is stored."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    live_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: the dialogue table (1..tables) from the table's QR code or the participant's choice
    table: Mapped[int | None] = mapped_column(Integer, default=None)


class Response(Base):
    """A participant's answer to an activity: one per participant and activity."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("live_id", "activity_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    live_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    activity_id: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Any] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changes: Mapped[int] = mapped_column(Integer, default=0)
    #: moderation of free text in it: pending, approved or hidden
    status: Mapped[str] = mapped_column(String(16), default="approved")


class Submission(Base):
    """Client ids already taken: a retried submit with the same id is acknowledged, not counted."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("participant_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    activity_id: Mapped[str] = mapped_column(String(64))
    #: sha256 of the value sent with it (canonical JSON; a question's text), so that a retry is
    #: told from a reuse of the id for another value; "" in rows from before this column
    value_hash: Mapped[str] = mapped_column(String(64), default="")
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Question(Base):
    """A Q&A question; a participant may ask several."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    live_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(2000))
    client_id: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="approved")
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    votes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class QuestionVote(Base):
    """One upvote per participant and question."""

    __tablename__ = "question_votes"
    __table_args__ = (UniqueConstraint("question_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))


class LogEntry(Base):
    """What the facilitators did that changes data: resets, moderation, locks, timers."""

    __tablename__ = "log_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    live_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    activity_id: Mapped[str | None] = mapped_column(String(64), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class BrowserGrant(Base):
    """A browser's rights beyond joining (signed in as facilitator, or control and projector
    links opened), held server-side: the session cookie names its grant by a random token,
    stored here hashed. Logging out deletes the row, so a saved copy of the cookie opens
    nothing any more (facilitator/access.py)."""

    __tablename__ = "browser_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    facilitator: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SignInToken(Base):
    """One-time facilitator sign-in tokens (printed in the terminal at start); hashed. Only the
    newest is kept: making one deletes the others."""

    __tablename__ = "sign_in_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: the dialogue table (1..tables) from the table's QR code or the participant's choice
    table: Mapped[int | None] = mapped_column(Integer, default=None)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class Deletion(Base):
    """A deleted live session, recorded without personal data: which one, when and why it was
    deleted, and how much went with it. Its own rows are gone; this stays."""

    __tablename__ = "deletions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12))
    programme_id: Mapped[str] = mapped_column(String(64))
    programme_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: "retention" (the server, after retention_days), "control" (from the control screen),
    #: "command" (flask --app app live delete / purge)
    reason: Mapped[str] = mapped_column(String(16))
    participants: Mapped[int] = mapped_column(Integer, default=0)
    responses: Mapped[int] = mapped_column(Integer, default=0)
    questions: Mapped[int] = mapped_column(Integer, default=0)


class JoinCodeUse(Base):
    """A personal code that was used to join (each joins one participant, once)."""

    __tablename__ = "join_code_uses"
    __table_args__ = (UniqueConstraint("live_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    live_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    used_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
