"""Stylesheets inlined into a page (the phone's: one request less before it can be drawn).

The phone page carries its CSS in a ``<style>`` element instead of two ``<link>``s: on a slow
network every request costs a round trip before the first paint (about 2 s on Chromium's
"3G" preset, formerly "Slow 3G"), and the page is small enough that its styles fit beside it
(about 10 KB compressed). The Content Security Policy allows that one element by its hash
(``views.inline_style``), never ``'unsafe-inline'``.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from flask import current_app

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACE = re.compile(r"\s+")
_AROUND = re.compile(r"\s*([{};,>])\s*")
_cache: dict[tuple[str, ...], tuple[tuple[int, ...], str]] = {}
_lock = threading.Lock()


def minify(css: str) -> str:
    """Comments and layout whitespace out; nothing else changes (our own CSS has no strings
    or urls where that would matter)."""
    css = _COMMENT.sub("", css)
    css = _SPACE.sub(" ", css)
    css = _AROUND.sub(r"\1", css)
    return css.replace(";}", "}").strip()


def stylesheet(*names: str) -> str:
    """The minified text of ``static/css/<name>`` files, in order (re-read when one changes)."""
    folder = Path(current_app.static_folder or "static") / "css"
    paths = [folder / name for name in names]
    stamp = tuple(p.stat().st_mtime_ns for p in paths)
    with _lock:
        hit = _cache.get(names)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    text = "\n".join(minify(p.read_text(encoding="utf-8")) for p in paths)
    with _lock:
        _cache[names] = (stamp, text)
    return text
