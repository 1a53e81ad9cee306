"""Facilitator access: sign-in links and the rights a browser holds (use cases for the views, the
entry point and the command line; views never use ``store`` themselves).

- **Sign-in links** are one-time, expire after ``SIGN_IN_MINUTES`` (default 15), and only the
  newest works: making a link (the server at start, ``flask --app app login-link``) deletes every
  earlier one, so a link in an old terminal log or scrollback opens nothing.
- **Browser grants**: signing in, or opening a control or projector link, gives the browser a
  grant held in the database; its session cookie carries only the grant's random token (stored
  hashed). Logging out deletes the grant, so a saved copy of the cookie no longer opens the
  control screen, a projector or an export.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from . import store
from .models import utcnow

DEFAULT_SIGN_IN_MINUTES = 15.0


def sign_in_minutes() -> float:
    return float(current_app.config.get("SIGN_IN_MINUTES", DEFAULT_SIGN_IN_MINUTES))


def new_sign_in_link(base_url: str) -> str:
    """A fresh sign-in link (every earlier one stops working)."""
    return f"{base_url.rstrip('/')}/login?token={store.create_sign_in_token()}"


def sign_in(token: str) -> bool:
    """Use a sign-in token: True once, for the newest link and within its lifetime."""
    not_before = utcnow() - timedelta(minutes=sign_in_minutes())
    return store.use_sign_in_token(token, not_before)


def open_grant(facilitator: bool) -> str:
    """A new grant for this browser; its token goes into the session cookie."""
    return store.create_browser_grant(facilitator)


def grant_of(token: object) -> bool | None:
    """None when ``token`` names no live grant (never made, or revoked at logout); else whether
    the grant is a signed-in facilitator's."""
    return store.browser_grant(token) if isinstance(token, str) else None


def revoke(token: object) -> None:
    """Logout: the grant stops working everywhere, including in saved copies of the cookie."""
    if isinstance(token, str) and token:
        store.revoke_browser_grant(token)
