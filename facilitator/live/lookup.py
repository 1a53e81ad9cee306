"""Finding a live session by its join code (cached per process), starting one, its links."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import current_app, has_app_context, has_request_context, request

from .. import store
from ..programme import Programme
from ..snapshot import Links, LiveState
from .cache import cache
from .checks import LiveError

LiveSummary = store.LiveSummary


def normalise_code(raw: str) -> str:
    """What a person typed (any case, spaces, dashes), as a join code to look up."""
    return store.normalise_code(raw)


def summaries() -> list[LiveSummary]:
    """Every live session, newest first, with its participant count (the control's list)."""
    return store.list_lives()


def find(code: str) -> LiveState | None:
    """The live session with that join code, from the cache or the database."""
    code = store.normalise_code(code)
    c = cache()
    with c.lock:
        live = c.lives.get(code)
    if live is None:
        live = store.get_live(code)
        if live is not None:
            with c.lock:
                live = c.lives.setdefault(live.code, live)
    return live


def get(code: str) -> LiveState:
    """Like ``find``, refusing an unknown code (``unknown``)."""
    live = find(code)
    if live is None:
        raise unknown(code)
    return live


def unknown(code: str) -> LiveError:
    """The error of a join code with no live session (``unknown_code``)."""
    return LiveError("unknown_code", f"no live session with code '{code[:12]}'")


def remember(live: LiveState) -> LiveState:
    """Cache a newer state of a live session (an older one never replaces a newer)."""
    c = cache()
    with c.lock:
        old = c.lives.get(live.code)
        if old is None or old.version <= live.version:
            c.lives[live.code] = live
    return live


def forget(code: str) -> None:
    c = cache()
    with c.lock:
        c.lives.pop(code, None)


def links(live: LiveState) -> Links:
    """The live session's addresses, on the public URL when one is configured."""
    base = (current_app.config.get("PUBLIC_URL") if has_app_context() else "") or (
        request.host_url if has_request_context() else "http://localhost:5000/"
    )
    base = base.rstrip("/")
    return Links(
        participant_url=f"{base}/j/{live.code}",
        projector_url=f"{base}/projector/{live.code}?key={live.projector_key}",
        control_url=f"{base}/control/{live.code}?key={live.control_key}",
        qr_url=f"/projector/{live.code}/qr.svg",
    )


def screen_key(live: LiveState, table: int) -> str:
    """The key of a table's screen (``/table/<code>/<n>``): opens that table's screen only,
    derived from the app's secret and the live session's projector key (nothing stored)."""
    message = f"table:{live.code}:{int(table)}:{live.projector_key}".encode()
    return hmac.new(cache().secret.encode(), message, hashlib.sha256).hexdigest()[:24]


def start(
    programme: Programme, programme_file: str = "", tables: int | None = None, join: Any = None
) -> LiveState:
    """A new live session of a validated programme (``tables``: default the programme's;
    ``join``: who may join, ``access.check_mode``; default anyone with the code)."""
    from .access import check_mode

    mode = check_mode(join, programme.tables if tables is None else tables)
    return remember(store.create_live(programme, programme_file, tables, mode))
