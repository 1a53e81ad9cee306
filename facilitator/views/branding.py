"""A programme's branding on the screens: its logo, its accent colour and the projector's theme.

The accent is decoration as it is (``--accent``: a band, borders) and text only in a version
that keeps WCAG AA contrast on each theme's background (``--accent-text``, colour.readable):
a light accent on a white projector, or a dark one on a black projector, is darkened or
lightened for text rather than used as it is.
"""

from __future__ import annotations

from flask import request, url_for

from ..colour import readable
from ..programme import PHONE_LOGO_MAX_BYTES, THEMES, Branding

#: the page background of each projector theme (static/css/projector.css) and of the phone
BACKGROUNDS = {"light": "#ffffff", "dark": "#121212"}


def brand_css(branding: Branding | None) -> str:
    """Custom properties for the accent colour ('' without one): set on ``.brand``, with the
    text version per theme."""
    if branding is None or not branding.accent:
        return ""
    accent = branding.accent
    css = [f".brand{{--accent:{accent}}}"]
    for theme, background in BACKGROUNDS.items():
        css.append(f".brand.theme-{theme}{{--accent-text:{readable(accent, background)}}}")
    return "".join(css)


def projector_theme(branding: Branding | None) -> str:
    """``?theme=dark|light`` on the projector link, else the programme's default, else light."""
    asked = request.args.get("theme")
    if asked in THEMES:
        return asked
    return branding.theme if branding is not None else "light"


def logo_url(code: str, branding: Branding | None, phone: bool = False) -> str | None:
    """The logo's address (its version in the query, so it may be cached), or None: no logo,
    or too big for a phone."""
    if branding is None or not branding.logo_data:
        return None
    if phone and branding.logo_size > PHONE_LOGO_MAX_BYTES:
        return None
    return url_for("projector.logo", code=code, v=(branding.logo_sha256 or "")[:12])
