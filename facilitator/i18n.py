"""UI language: Flask-Babel catalogs (nl, en). Dutch by default; ``?lang=`` switches and is
remembered in a cookie; otherwise the browser's language decides. The projector, the control
screen, the table screens and the printable cards are drawn in the live session's language
instead (``use_language``).

The catalogs are kept as .po files; they are compiled to .mo here when a .po is newer, so a fresh
checkout needs no extra build step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, g, request
from flask_babel import Babel, get_locale, refresh

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANG_COOKIE = "lang"


def compile_catalogs(folder: Path = TRANSLATIONS) -> None:
    """Write messages.mo beside every messages.po that is newer than it."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in folder.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as f:
            write_mo(f, catalog)
        tmp.replace(mo)


def use_language(lang: str) -> None:
    """Draw this request's page in ``lang`` whatever the browser asks: the projector, the
    control screen, the table screens and the printable cards (tables, personal codes) follow
    the live session's language (``LiveState.lang``)."""
    g.page_language = lang
    refresh()


def select_language() -> str:
    languages = ["nl", "en"]
    fixed = g.get("page_language")
    if fixed:
        return str(fixed)
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in languages:
        return remembered
    return request.accept_languages.best_match(languages) or "nl"


def init_app(app: Flask, babel: Babel) -> None:
    compile_catalogs()
    babel.init_app(
        app, locale_selector=select_language, default_translation_directories=str(TRANSLATIONS)
    )

    @app.after_request
    def remember_language(resp: Any) -> Any:
        asked = request.args.get("lang")
        if asked in ("nl", "en"):
            resp.set_cookie(
                LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
            )
        return resp

    @app.context_processor
    def language_context() -> dict[str, Any]:
        lang = str(get_locale() or "nl")
        if g.get("page_language"):  # the live session's language: no switch on the page
            return {"lang": lang, "other_lang": None, "other_lang_url": None}
        other = "en" if lang == "nl" else "nl"
        args = dict(request.args)
        args["lang"] = other
        from urllib.parse import urlencode

        return {
            "lang": lang,
            "other_lang": other,
            "other_lang_url": f"{request.path}?{urlencode(args)}",
        }
