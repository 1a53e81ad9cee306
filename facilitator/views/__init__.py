"""HTTP views, one blueprint per screen, plus the helpers they share."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from flask import abort, current_app, g, render_template, request, session
from flask_babel import gettext as _
from markupsafe import Markup


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


def rate_limited(kind: str) -> bool:
    """True when this client address has used up its ``kind`` budget ("join" or "login")."""
    buckets = current_app.extensions[f"dialoogtafel.{kind}_limit"]
    return not buckets.allow(request.remote_addr or "unknown")


def too_many(message: str) -> tuple[str, int, dict[str, str]]:
    html = render_template("errors/error.html", status=429, message=message)
    return html, 429, {"Retry-After": "30"}


def grant(kind: str, code: str) -> None:
    """Remember in this browser's session cookie that it opened a ``kind`` ("control" or
    "projector") link of the live session (the 20 newest are kept)."""
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
