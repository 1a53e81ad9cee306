"""Exports of live sessions: gather the rows from the database, hand them to the pure modules
of this package, write the format asked for. Used by the command line
(``flask --app app live export``) and the control screen's downloads. Not pure: it reads the
database (``store``) and the app's settings.

Generation here is synchronous, in the calling process: the command line runs it in its own
process; the control screen's downloads run it in a child process (``job.py``), so that the
server keeps serving while a big export is made (docs/performance.md has the times).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, Any

from flask import current_app

from . import store
from .export.common import FORMATS, REPORT_MAX_TEXTS, ExportError, SessionData
from .export.formats import Export
from .export.pdf import INSTALL_HINT, PdfJob, PdfUnavailable, find_chromium, html_to_pdf


class UnknownSession(LookupError):
    """No live session with that code."""


def session_data(code: str) -> SessionData:
    """Everything about one live session, read fresh from the database."""
    state = store.get_live(code)
    if state is None:
        raise UnknownSession(f"no live session with code {store.normalise_code(code)[:12]}")
    return SessionData(
        live=state,
        participants=store.export_participants(state.id),
        responses=store.export_responses(state.id),
        questions=store.export_questions(state.id),
        log=store.export_log(state.id),
        times=store.export_activity_times(state.id),
    )


def build(
    codes: Sequence[str],
    *,
    lang: str | None = None,
    notes: bool = False,
    all_texts: bool = False,
    exported_at: datetime | None = None,
) -> Export:
    """The export of one live session, or of several of the same programme (pooled).
    ``all_texts``: list every approved free text in the report (default: the first
    ``REPORT_MAX_TEXTS`` per activity)."""
    if not codes:
        raise ExportError("give at least one live session code")
    sessions = [session_data(code) for code in codes]
    when = exported_at or datetime.now(UTC).replace(tzinfo=None)
    return Export(
        sessions, when, lang=lang, notes=notes, max_texts=0 if all_texts else REPORT_MAX_TEXTS
    )


def chromium_setting() -> str | None:
    try:
        return current_app.config.get("CHROMIUM") or None
    except RuntimeError:  # outside an app context
        return None


def pdf_available() -> bool:
    return find_chromium(chromium_setting()) is not None


def render_pdf(html: str, out: IO[bytes]) -> None:
    html_to_pdf(html, out, chromium=chromium_setting())


def start_pdf(html: str) -> PdfJob:
    return PdfJob(html, chromium_setting())


def write(exp: Export, fmt: str, out: IO[bytes], *, delimiter: str = ",") -> dict[str, Any]:
    """Write one format into ``out``; returns what happened (``{"files": [...]}`` for a ZIP,
    ``{"warning": ...}`` when the ZIP has no PDF)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    if fmt == "csv":
        exp.write_csv(out, delimiter)
    elif fmt == "codebook":
        exp.write_codebook(out, delimiter)
    elif fmt == "xlsx":
        exp.write_xlsx(out)
    elif fmt == "json":
        exp.write_json(out)
    elif fmt == "html":
        exp.write_html(out)
    elif fmt == "pdf":
        if not pdf_available():
            raise PdfUnavailable(INSTALL_HINT)
        render_pdf(exp.report_html(), out)
    elif fmt == "zip":
        renderer = start_pdf if pdf_available() else None
        names, note = exp.write_zip(out, renderer, INSTALL_HINT)
        info: dict[str, Any] = {"files": names}
        if note:
            info["warning"] = "the ZIP has no PDF report: " + note
        return info
    return {}
