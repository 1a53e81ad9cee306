"""What every export format shares: the formats and their media types, the input rows
(``SessionData``), one activity's result (``ActivityResult``), errors, and how texts, numbers,
dates and ZIP entries are written. Pure core (standard library and Babel only).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..programme import Activity
from ..snapshot import OPEN, LiveState

SCHEMA_VERSION = 1
#: formats a single live session (or a pool of them) can be exported to
FORMATS = ("csv", "xlsx", "json", "html", "pdf", "zip", "codebook")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "codebook": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
EXTENSIONS = {
    "csv": "csv",
    "codebook": "csv",
    "xlsx": "xlsx",
    "json": "json",
    "html": "html",
    "pdf": "pdf",
    "zip": "zip",
}
#: the breakdown dimension of a pooled export: which live session a participant was in
LIVE = "live"
#: free texts listed per activity in the report (a room of thousands would fill hundreds of
#: pages); the data files have every one
REPORT_MAX_TEXTS = 250

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "templates"
REPORT_CSS = ROOT / "static" / "css" / "report.css"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


class ExportError(ValueError):
    """Sessions that cannot be exported together (different programmes), or a bad request."""


# ------------------------------------------------------------------------------- input rows


@dataclass(frozen=True)
class SessionData:
    """Everything exported about one live session, as plain values.

    ``participants``: rows with ``id``, ``joined_at``, ``table``, in join order.
    ``responses``: rows with ``participant_id``, ``activity_id``, ``value``, ``status``,
    ``submitted_at``, ``changed_at`` (datetimes, or ISO 8601 strings ending in Z), ``changes``,
    in the order first submitted.
    ``questions``: rows with ``id``, ``activity_id``, ``participant_id``, ``text``, ``status``,
    ``votes``, ``pinned``, ``answered``, ``created_at``, oldest first.
    ``log``: dicts ``{"at", "action", "activity", "detail"}``, oldest first.
    ``times``: activity id -> row with ``opened_at``, ``closed_at``.
    Datetimes are naive UTC (as stored).
    """

    live: LiveState
    participants: Sequence[Any]
    responses: Sequence[Any]
    questions: Sequence[Any] = ()
    log: Sequence[dict[str, Any]] = ()
    times: dict[str, Any] = field(default_factory=dict)


def is_interim(live: LiveState) -> bool:
    """A live session is still running (its exports are interim) while it has not ended and an
    activity is open for answers."""
    if live.ended_at is not None:
        return False
    return any(
        st.status == OPEN
        for aid, st in live.statuses.items()
        if (a := live.programme.activity(aid)) is not None and a.answerable
    )


# -------------------------------------------------------------------------------- formatting


#: what a spreadsheet reads as the start of a formula (``neutralise``)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would read as a formula (it begins with ``=``, ``+``, ``-``,
    ``@``, tab or carriage return) gets a leading apostrophe; anything else is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def iso(dt: datetime | str | None) -> str | None:
    """A naive UTC datetime as ISO 8601 with ``Z``, to the second (a str is taken to be one
    already: ``store.export_responses`` formats its hundreds of thousands itself)."""
    if dt is None or isinstance(dt, str):
        return dt
    return dt.isoformat(timespec="seconds") + "Z"


def pick(text: Any, lang: str) -> str:
    """A programme text object in ``lang`` (falling back to any language), or a plain str."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return str(
        text.get(lang)
        or text.get("en")
        or text.get("nl")
        or next((v for v in text.values() if v), "")
    )


def number(value: float | int | None, lang: str, digits: int = 1) -> str:
    """A number as the screens write it: at most ``digits`` decimals, decimal comma in Dutch."""
    if value is None:
        return "\u2014"
    text = f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", ",") if lang != "en" else text


def pct(value: float | int | None, lang: str) -> str:
    if value is None:
        return "\u2014"
    return number(float(value), lang) + ("\u00a0%" if lang != "en" else "%")


def activity_text(activity: Activity) -> Any:
    """What an activity asks: its prompt, else its title."""
    return activity.prompt or activity.title


class Translator:
    """The report's own strings, in the programme's language, from the app's catalogs (the
    report is written in the programme's language whatever the facilitator's screen shows)."""

    def __init__(self, lang: str, folder: Path = TRANSLATIONS):
        from babel.support import NullTranslations, Translations

        self.lang = lang
        loaded = Translations.load(str(folder), [lang], domain="messages")
        self.translations: NullTranslations = loaded

    def gettext(self, message: str, **variables: Any) -> str:
        """Newstyle gettext, as in the templates: always %-formatted (a literal % is %%)."""
        return str(self.translations.gettext(message)) % variables


@dataclass
class ActivityResult:
    """One activity's result over the exported sessions, as the projector showed it."""

    activity: Activity
    respondents: int
    #: the projector's result (approved texts only); None for info
    result: dict[str, Any] | None
    #: the control screen's result (every text, with its status)
    control: dict[str, Any] | None
    #: dimension id -> list of groups as ``aggregate.breakdown`` gives them (projector view)
    breakdowns: dict[str, list[dict[str, Any]]]
    #: pending / open / closed (pooled: "open" if open anywhere, else closed if closed anywhere)
    status: str


def fast_deflate(info: zipfile.ZipInfo) -> None:
    """Deflate this entry at level 1: tens or hundreds of MB of text, several times faster
    than the default level for a somewhat larger file."""
    for attr in ("compress_level", "_compresslevel"):  # Python 3.13+, 3.11 and 3.12
        if hasattr(info, attr):
            setattr(info, attr, 1)


def zip_time(dt: datetime) -> tuple[int, int, int, int, int, int]:
    """A ZIP entry's date_time for ``dt`` (ZIP cannot go before 1980)."""
    d = dt if dt.year >= 1980 else datetime(1980, 1, 1)
    return (d.year, d.month, d.day, d.hour, d.minute, d.second)


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot carry."""
    return _ILLEGAL_XML.sub("\ufffd", text) if _ILLEGAL_XML.search(text) else text
