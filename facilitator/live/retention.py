"""Deleting live sessions: by the facilitator (typed confirmation), and by the server once a
live session's retention has run out (``settings.retention_days`` of its programme, default 90
days after its end). A deletion removes every answer, question, vote, participant and log line
of the live session; what stays is one record without personal data (``store.deletions``)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from .. import store
from ..broadcast import deleted_to_rooms
from ..bus import bus
from ..snapshot import LiveState
from .cache import cache
from .checks import LiveError
from .lookup import get, unknown

log = logging.getLogger(__name__)

#: who deleted a live session, as the record says
REASONS = ("control", "retention", "command")


def delete(code: str, reason: str, confirm: Any = ...) -> store.DeletionRow:
    """Delete a live session and everything in it. ``confirm`` (when given) must be its join
    code, typed by the person deleting it (spaces, dashes and case do not matter)."""
    live = get(code)
    if confirm is not ... and (
        not isinstance(confirm, str) or store.normalise_code(confirm[:40]) != live.code
    ):
        raise LiveError(
            "bad_confirmation", f"type the join code {live.code} to delete this live session"
        )
    deleted = store.delete_live(live.code, reason)
    if deleted is None:  # another process or request deleted it meanwhile
        raise unknown(live.code)
    gone(live.code, live.id)
    bus.publish({"t": "deleted", "code": live.code, "live": live.id})
    log.info(
        "live session %s deleted (%s): %d participants, %d answers, %d questions",
        deleted.code,
        reason,
        deleted.participants,
        deleted.responses,
        deleted.questions,
    )
    return deleted


def gone(code: str, live_id: int, tell: bool = True) -> None:
    """Forget a deleted live session in this process and (``tell``) tell its screens, on
    every process (the emit goes through the message queue)."""
    with store.write_lock:
        cache().forget_live(live_id, code)
    if tell:
        deleted_to_rooms(code)


def vanished(code: str) -> bool:
    """Whether the live session is gone from the database (deleted by another process, whose
    word has not reached this one yet: its cached state was used). Forgets it here if so.
    False when the database cannot tell (it is not answering: the caller's failure stands)."""
    code = store.normalise_code(code)
    try:
        if store.get_live(code) is not None:
            return False
    except Exception:
        return False
    c = cache()
    with c.lock:
        cached = c.lives.get(code)
    gone(code, cached.id if cached else -1, tell=False)
    return True


def purge(now: datetime | None = None) -> list[store.DeletionRow]:
    """Delete every live session whose retention has run out (the server's background task
    and ``flask --app app purge``)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    out = []
    for code in store.expired(now):
        try:
            out.append(delete(code, "retention"))
        except LiveError:
            continue  # deleted meanwhile by another process
    return out


def delete_after(live: LiveState) -> datetime:
    """When the server deletes this live session."""
    return store.delete_after(live.created_at, live.ended_at, live.retention_days)


def deletions(limit: int = 100) -> list[store.DeletionRow]:
    """The newest records of deleted live sessions (the control's list)."""
    return store.deletions(limit)


def start_purging(app: Any) -> None:
    """The server's background task: purge now (shortly after the start) and then every
    ``PURGE_INTERVAL`` seconds (0: never; then run ``flask --app app purge`` from cron)."""
    from ..extensions import socketio

    interval = float(app.config.get("PURGE_INTERVAL") or 0)
    if interval <= 0 or _purging:
        return
    _purging.append(app)

    def run() -> None:
        delay = min(interval, 5.0)
        while True:
            socketio.sleep(delay)
            delay = interval
            with app.app_context():
                try:
                    purge()
                except Exception:  # the next round tries again
                    log.exception("purging expired live sessions failed")

    socketio.start_background_task(run)


#: the app whose purge task runs (one per process)
_purging: list[Any] = []
