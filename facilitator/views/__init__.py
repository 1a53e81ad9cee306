"""HTTP views, one blueprint per screen, plus the helpers they share."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from flask import (
    abort,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    request,
    session,
)
from flask_babel import gettext as _
from markupsafe import Markup

from .. import access
from ..live import find, participant_for, unknown, vanished
from ..ratelimit import Buckets
from ..ratelimit import limiter as app_limiter
from ..snapshot import LiveState


def csrf_token() -> str:
    """The synchroniser token for this browser's forms (created on first use)."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(24)
    return token


def check_csrf() -> None:
    """Refuse a state-changing request without the right token, or sent cross-site."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)
    sent = request.form.get("csrf_token", "")
    if not sent or not key_matches(sent, [session.get("csrf", "")]):
        abort(400, description=_("This form has expired. Reload the page and try again."))


def error_page(status: int, message: str) -> tuple[str, int]:
    return render_template("errors/error.html", status=status, message=message), status


def rate_limited(kind: str, key: str | None = None) -> bool:
    """True when ``key`` (default: this client address) has used up its ``kind`` budget
    ("join", "login", "form"; see ``ratelimit``)."""
    return not limiter(kind).allow(key if key is not None else request.remote_addr or "unknown")


# ------------------------------------------------------------------ access to a live session


#: the session cookie's key of this browser's grant (facilitator/access.py)
GRANT = "g"


def browser_grant() -> bool | None:
    """This browser's grant (once per request): None when it has none or it was revoked
    (logout), else whether it is a signed-in facilitator's."""
    if "browser_grant" not in g:
        g.browser_grant = access.grant_of(session.get(GRANT))
    found: bool | None = g.browser_grant
    return found


def is_facilitator() -> bool:
    """A signed-in facilitator, with a grant that was not revoked by logging out."""
    return bool(session.get("facilitator")) and browser_grant() is True


def granted(role: str, code: str) -> bool:
    """Whether this browser's session cookie may open the ``role`` screen ("control" or
    "projector") of a live session: a signed-in facilitator, or a link of it opened before
    (a control link opens the projector too), while its grant is alive."""
    if browser_grant() is None:
        return False
    if is_facilitator() or code in session.get("control", []):
        return True
    return role == "projector" and code in session.get("projector", [])


def sign_in_browser() -> None:
    """A new identity gets a new session, with a facilitator's grant."""
    access.revoke(session.get(GRANT))
    session.clear()
    session[GRANT] = access.open_grant(facilitator=True)
    session["facilitator"] = True
    session.permanent = True
    g.pop("browser_grant", None)


def sign_out_browser() -> None:
    """Logout: the grant is deleted server-side, the cookie emptied."""
    access.revoke(session.get(GRANT))
    session.clear()
    g.pop("browser_grant", None)


def role_keys(live: LiveState, role: str) -> list[str]:
    """The link keys that open the ``role`` screen (the control key opens both)."""
    if role == "control":
        return [live.control_key]
    return [live.control_key, live.projector_key]


def no_such_live(code: str) -> Any:
    return error_page(404, _("There is no session with code %(code)s.", code=code[:12]))


def session_vanished(error: Any) -> Any:
    """The app's handler of a 500: a request about a live session (a ``code`` in its URL) that
    failed because another server process deleted that session a moment ago (scale-out: this
    process's cache still held it, and the database refused the join or the answer) gets the
    same 404 as any unknown code. Any other failure stays a 500."""
    code = (request.view_args or {}).get("code")
    if not isinstance(code, str) or getattr(error, "original_exception", None) is None:
        return error
    if not vanished(code):  # nor when the database cannot tell
        return error
    if request.path.startswith("/api/"):
        return jsonify(unknown(code).to_ack()), 404
    return no_such_live(code)


def get_live(
    code: str,
    role: str | None = None,
    *,
    key: str | None = None,
    missing: Callable[[str], Any] = no_such_live,
) -> LiveState:
    """The live session with this join code, or abort: ``missing(code)`` (default a 404 page)
    when there is none; with ``role`` ("control" or "projector"), 403 unless this browser may
    open that screen. ``key``: a link's key, checked instead of the cookie (403 when wrong;
    when right, the browser is granted the screen from now on)."""
    live = find(code)
    if live is None:
        abort(make_response(missing(code)))
    if role is None:
        return live
    if key is not None:
        if not key_matches(key, role_keys(live, role)):
            message = (
                _("This control link is not valid.")
                if role == "control"
                else _("This projector link is not valid.")
            )
            abort(make_response(error_page(403, message)))
        grant(role, live.code)
    elif not granted(role, live.code):
        message = (
            _("Open the control link of this session, or sign in.")
            if role == "control"
            else _("Open the projector link of this session.")
        )
        abort(make_response(error_page(403, message)))
    return live


def participant_id(live: LiveState) -> int | None:
    """This browser's participant in the live session (its cookie's token), if it joined."""
    return participant_for(live, dict(session.get("p", {})).get(live.code))


def limiter(kind: str) -> Buckets:
    """The app's budget for ``kind`` (see ``ratelimit``)."""
    return app_limiter(current_app, kind)


def too_many(message: str) -> tuple[str, int, dict[str, str]]:
    html = render_template("errors/error.html", status=429, message=message)
    return html, 429, {"Retry-After": "30"}


def grant(kind: str, code: str) -> None:
    """Remember in this browser's session cookie that it opened a ``kind`` ("control" or
    "projector") link of the live session (the 20 newest are kept)."""
    if browser_grant() is None:  # none yet, or revoked: start a new one, without old codes
        for stale in ("control", "projector", "facilitator"):
            session.pop(stale, None)
        session[GRANT] = access.open_grant(facilitator=False)
        g.browser_grant = False
    codes = list(session.get(kind, []))
    if code not in codes:
        session[kind] = (codes + [code])[-20:]
        session.permanent = True


def key_matches(given: str, keys: Iterable[str]) -> bool:
    """Constant-time comparison with each key (as bytes: ``compare_digest`` refuses non-ASCII
    text, and a link or form may carry any)."""
    raw = given.encode("utf-8", "surrogatepass")
    return any(hmac.compare_digest(raw, k.encode("utf-8")) for k in keys)


def inline_style(css: str) -> Markup:
    """``<style>css</style>`` for a template, allowed by this response's Content Security
    Policy through its SHA-256 hash (never 'unsafe-inline'). ``css`` is the app's own text (a
    stylesheet, or custom properties built from validated values), never anything a visitor
    typed."""
    css = str(css)
    if "</" in css:
        raise ValueError("an inline style may not contain '</'")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    hashes = g.setdefault("csp_style_hashes", [])
    if f"sha256-{digest}" not in hashes:
        hashes.append(f"sha256-{digest}")
    return Markup(f"<style>{css}</style>")
