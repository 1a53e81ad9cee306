"""Refusals: ``LiveError``, and reading the fields every request shares (the activity, the
client id, a table number), each refused with the protocol's error code and a message that names
the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import kinds
from ..kinds.base import Kind
from ..programme import Activity
from ..snapshot import LiveState

MAX_CLIENT_ID = 64


class LiveError(Exception):
    """A refused request: ``code`` from docs/protocol.md, ``message`` in English."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")

    def to_ack(self) -> dict[str, Any]:
        return {"ok": False, "error": {"code": self.code, "message": self.message}}


def client_id(payload: dict[str, Any]) -> str:
    """The request's ``client_id`` (one per user action; a retry sends it again)."""
    value = payload.get("client_id")
    if not isinstance(value, str) or not 8 <= len(value) <= MAX_CLIENT_ID:
        raise LiveError(
            "bad_payload", f"field 'client_id' must be a string of 8 to {MAX_CLIENT_ID} characters"
        )
    return value


def reused(cid: str) -> LiveError:
    """A client id this participant already used for another activity or value: refused, so
    that an answer is never acknowledged while nothing was stored."""
    return LiveError(
        "client_id_reused",
        f"client_id '{cid}' was already used for another activity or value; "
        "send a new client_id for each answer",
    )


def activity_of(
    live: LiveState, payload: dict[str, Any], needs: Callable[[Kind], bool] | None = None
) -> Activity:
    """The activity the payload names; with ``needs``, one whose kind has that capability
    (``lambda k: k.questions``), else ``not_answerable`` (a kind that takes no answers) or
    ``bad_payload``, naming the kinds that would do."""
    activity_id = payload.get("activity")
    if not isinstance(activity_id, str) or not activity_id:
        raise LiveError("bad_payload", "field 'activity' must be an activity id (string)")
    activity = live.programme.activity(activity_id)
    if activity is None:
        raise LiveError("unknown_activity", f"no activity '{activity_id[:64]}' in this programme")
    if needs is not None:
        kind = kinds.of(activity)
        if not needs(kind):
            fitting = [name for name in kinds.names() if needs(kinds.get(name))]  # type: ignore[arg-type]
            raise LiveError(
                "bad_payload" if kind.answerable else "not_answerable",
                f"activity '{activity.id}' is a {activity.kind}, this needs {' or '.join(fitting)}",
            )
    return activity


def table_number(live: LiveState, raw: Any) -> int | None:
    """A table number given by a QR code or a phone, checked against the live session's."""
    if raw is None or raw == "":
        return None
    try:
        n = int(raw)
    except (TypeError, ValueError, OverflowError):
        raise LiveError("bad_payload", "the table must be a number") from None
    if isinstance(raw, bool) or not 1 <= n <= live.tables:
        raise LiveError(
            "bad_payload", f"there is no table {str(raw)[:8]} (tables: {live.tables or 'none'})"
        )
    return n
