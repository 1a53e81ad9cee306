"""Exports after the session: tidy CSV, codebook, XLSX, JSON and a printable HTML report.

Pure core: no web, database or socket package. ``facilitator/exports.py`` gathers plain rows
from the database (``store.export_*``) into a ``SessionData`` per live session; ``Export`` takes
one (or several live sessions of the same programme: a *pooled* export) and writes each format
into a binary stream, so a ZIP of every format streams one format after the other and memory
does not grow with the number of formats. docs/export.md documents the formats.

Numbers are computed with the projector's own tallies (``aggregate.new_tally``, ``breakdown``),
so every count, percentage, mean and median is the one the projector showed, by construction.
Free texts: the report and the result blocks show what the projector shows (approved texts
only); the tidy rows (CSV, XLSX "Responses", JSON "responses") keep every text for the owner
with its moderation status. Breakdowns by segment or table suppress groups smaller than the
programme's privacy threshold in every format; the tidy rows keep the data.

A live session that still has an activity open for answers (and was not ended) is exported as
*interim*: every format says so.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import shutil
import tempfile
import textwrap
import zipfile
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from .aggregate import (
    APPROVED,
    BREAKDOWN_KINDS,
    CONTROL,
    NO_GROUP,
    PENDING,
    PROJECTOR,
    QuestionBoard,
    ScaleTally,
    Tally,
    TextTally,
    WordCloudTally,
    breakdown,
    new_tally,
)
from .programme import Activity, Programme
from .snapshot import OPEN, TABLE, LiveState, dimensions, groups
from .stopwords import STOP_WORDS

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
EXTENSIONS = {"csv": "csv", "codebook": "csv", "xlsx": "xlsx", "json": "json", "html": "html",
              "pdf": "pdf", "zip": "zip"}
#: the breakdown dimension of a pooled export: which live session a participant was in
LIVE = "live"
#: free texts listed per activity in the report (a room of thousands would fill hundreds of
#: pages); the data files have every one
REPORT_MAX_TEXTS = 250

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
REPORT_CSS = ROOT / "static" / "css" / "report.css"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


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
    return any(st.status == OPEN for aid, st in live.statuses.items()
               if (a := live.programme.activity(aid)) is not None and a.answerable)


# -------------------------------------------------------------------------------- formatting


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would read as a formula (it begins with ``=``, ``+``, ``-``,
    ``@``, tab or carriage return) gets a leading apostrophe; anything else is returned as is."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value



def programme_snapshot(programme: Programme) -> dict[str, Any]:
    """The programme as the session ran it, for the JSON export; the logo is named (file, type,
    SHA-256) but its bytes are left out: an analyst does not need 100 KB of base64."""
    data = programme.to_dict()
    branding = data.get("branding")
    if isinstance(branding, dict) and branding.get("logo_data"):
        data["branding"] = {k: v for k, v in branding.items() if k != "logo_data"}
    return data


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
    return str(text.get(lang) or text.get("en") or text.get("nl")
               or next((v for v in text.values() if v), ""))


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


# --------------------------------------------------------------------------------- the data


#: columns of the tidy responses (CSV, XLSX "Responses"); segment columns follow "table"
HEAD_COLUMNS = ("live_code", "programme_id", "programme_version", "activity_id", "kind",
                "section_id", "participant", "table")
ANSWER_COLUMNS = ("item", "option", "rank", "rating", "value", "text", "status", "votes",
                  "submitted_at", "changed_at", "changes")

COLUMN_DOCS = {
    "live_code": "Join code of the live session (one run of the programme).",
    "programme_id": "Id of the programme (the workshop definition).",
    "programme_version": "Version of the programme as it was when the live session started.",
    "activity_id": "Id of the activity (see the entries 'activity' below).",
    "kind": "Kind of activity: single_choice, multi_choice, scale, open_text, word_cloud, "
            "ranking, matrix or qna.",
    "section_id": "Id of the section of the programme the activity belongs to.",
    "participant": "Pseudonym of the participant: P0001 is the first phone that joined this "
                   "live session, P0002 the second, ... Stable within one live session, not "
                   "linkable across live sessions. Never a token.",
    "table": "Dialogue table the participant sat at (1..n); empty when none was given.",
    "segment": "The participant's answer to the profile question {id} (an option id, see "
               "below); empty when not given.",
    "item": "matrix: the item that was rated.",
    "option": "single_choice: the chosen option; multi_choice: one chosen option (one row per "
              "chosen option); ranking: the option that got the rank.",
    "rank": "ranking: the rank given to the option (1 = first).",
    "rating": "matrix: the rating given to the item.",
    "value": "scale: the position chosen.",
    "text": "Free text: the open_text answer, the 'why' of a scale, one word of a word_cloud "
            "(one row per word, as stored: case-folded), or a qna question. A text that begins "
            "with = + - @ or a tab gets a leading apostrophe in CSV and XLSX (formula "
            "injection); the JSON export has the texts unchanged.",
    "status": "Moderation of the text: approved (shown on the projector), pending (never "
              "approved: not shown), hidden (hidden by the facilitator). word_cloud: "
              "stop_word for a stop word (stored, not counted in the cloud).",
    "votes": "qna: upvotes of the question.",
    "submitted_at": "When the answer was first submitted (qna: asked), UTC, ISO 8601.",
    "changed_at": "When the answer was last changed, UTC, ISO 8601.",
    "changes": "How often the participant changed this answer while answering was open.",
}


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


@dataclass
class _Prepared:
    pseudonyms: list[dict[int, str]]
    segments: list[dict[int, dict[str, Any]]]
    by_activity: list[dict[str, list[Any]]]
    questions: list[dict[str, list[Any]]]


def pseudonym_width(count: int) -> int:
    return max(4, len(str(count)))


class Export:
    """The exports of one live session, or several of the same programme (pooled).

    ``sessions``: the live sessions' data; ``exported_at``: naive UTC.
    ``lang``: the language of the report (default: the programme's).
    ``notes``: put presenter notes in the report.
    ``max_texts``: the report lists at most this many free texts (or questions) per activity,
    and says how many more there are (0: all of them). The data files always have all.
    """

    def __init__(self, sessions: Sequence[SessionData], exported_at: datetime, *,
                 lang: str | None = None, notes: bool = False,
                 max_texts: int = REPORT_MAX_TEXTS):
        if not sessions:
            raise ExportError("nothing to export: no live session given")
        problems = poolable([s.live.programme for s in sessions])
        if problems:
            raise ExportError("; ".join(problems))
        codes = [s.live.code for s in sessions]
        if len(set(codes)) != len(codes):
            raise ExportError("a live session is given twice")
        self.sessions = list(sessions)
        self.programme: Programme = sessions[0].live.programme
        self.pooled = len(sessions) > 1
        self.exported_at = exported_at
        self.interim = any(is_interim(s.live) for s in sessions)
        self.lang = lang if lang in self.programme.languages else self.programme.default_language
        self.notes = notes
        self.max_texts = max_texts
        self.threshold = self.programme.privacy_threshold
        self.profile_ids = [a.id for a in self.programme.profile_activities]
        self.participants = sum(len(s.participants) for s in sessions)
        self._prep = self._prepare()
        self._group_maps: dict[tuple[int, str], dict[int, str]] = {}
        self.dimensions = self._dimensions()
        self.results: dict[str, ActivityResult] = {}
        for activity in self.programme.activities:
            if activity.answerable:
                self.results[activity.id] = self._result(activity)

    # -- preparation

    def _prepare(self) -> _Prepared:
        prep = _Prepared([], [], [], [])
        for s in self.sessions:
            width = pseudonym_width(len(s.participants))
            names = {p.id: f"P{i:0{width}d}" for i, p in enumerate(s.participants, start=1)}
            segs: dict[int, dict[str, Any]] = {p.id: {TABLE: p.table} for p in s.participants}
            by_activity: dict[str, list[Any]] = {}
            profile = set(self.profile_ids)
            for r in s.responses:
                by_activity.setdefault(r.activity_id, []).append(r)
                if r.activity_id in profile:
                    segs.setdefault(r.participant_id, {TABLE: None})[r.activity_id] = r.value
            questions: dict[str, list[Any]] = {}
            for q in s.questions:
                questions.setdefault(q.activity_id, []).append(q)
            prep.pseudonyms.append(names)
            prep.segments.append(segs)
            prep.by_activity.append(by_activity)
            prep.questions.append(questions)
        return prep

    def _dimensions(self) -> list[dict[str, Any]]:
        """What results are broken down by: tables (one live session) or live sessions
        (pooled), then each profile question."""
        first = self.sessions[0].live
        if not self.pooled:
            return dimensions(first)
        dims = [{"id": LIVE, "label": {"nl": "Sessie", "en": "Session"}}]
        return dims + [d for d in dimensions(first) if d["id"] != TABLE]

    def groups(self, dimension: str) -> list[tuple[str, Any]]:
        """The groups of a dimension, in display order (as the screens list them)."""
        if dimension == LIVE:
            return [(s.live.code, {lang: s.live.code for lang in self.programme.languages})
                    for s in self.sessions]
        return groups(self.sessions[0].live, dimension)

    def _group_of(self, index: int, participant_id: int, dimension: str) -> str:
        if dimension == LIVE:
            return self.sessions[index].live.code
        value = self._prep.segments[index].get(participant_id, {}).get(dimension)
        return NO_GROUP if value is None else str(value)

    def _group_map(self, index: int, dimension: str) -> dict[int, str]:
        """Participant id -> their group in ``dimension`` (``_group_of`` for every
        participant of session ``index`` at once; absent: ``NO_GROUP``)."""
        key = (index, dimension)
        found = self._group_maps.get(key)
        if found is None:
            segs = self._prep.segments[index]
            found = self._group_maps[key] = {pid: self._group_of(index, pid, dimension)
                                             for pid in segs}
        return found

    def _label(self, key: Hashable) -> str:
        index, pid = key  # type: ignore[misc]
        name = self._prep.pseudonyms[index].get(pid, "?")
        return f"{self.sessions[index].live.code}:{name}" if self.pooled else name

    def _word_moderation(self, activity: Activity) -> tuple[set[str], set[str]]:
        hidden: set[str] = set()
        approved: set[str] = set()
        for s in self.sessions:
            st = s.live.status(activity.id)
            hidden.update(st.hidden_words)
            approved.update(st.approved_words)
        return hidden, approved - hidden

    def _status(self, activity: Activity) -> str:
        states = [s.live.status(activity.id).status for s in self.sessions]
        for state in ("open", "closed"):
            if state in states:
                return state
        return "pending"

    def _tally(self, activity: Activity, before: ScaleTally | None = None) -> Tally:
        if activity.kind == "qna":
            board = QuestionBoard(activity, lambda k: str(k[1]) if not self.pooled
                                  else f"{self.sessions[k[0]].live.code}-{k[1]}")
            for i, _s in enumerate(self.sessions):
                for q in self._prep.questions[i].get(activity.id, ()):
                    board.ask((i, q.id), (i, q.participant_id), q.text, q.status, q.votes,
                              q.pinned, q.answered)
            return board
        tally = new_tally(activity, self._label)
        for i, _s in enumerate(self.sessions):
            for r in self._prep.by_activity[i].get(activity.id, ()):
                key = (i, r.participant_id)
                tally.add(key, r.value)
                if isinstance(tally, ScaleTally | TextTally):
                    tally.set_status(key, r.status)
        if isinstance(tally, WordCloudTally):
            tally.hidden, tally.approved = self._word_moderation(activity)
        if isinstance(tally, ScaleTally) and before is not None:
            tally.before = before
        return tally

    def _result(self, activity: Activity) -> ActivityResult:
        before = None
        if activity.kind == "scale" and activity.compare_with:
            earlier = self.programme.activity(activity.compare_with)
            if earlier is not None:
                b = self._tally(earlier)
                before = b if isinstance(b, ScaleTally) else None
        tally = self._tally(activity, before)
        bds: dict[str, list[dict[str, Any]]] = {}
        if activity.kind in BREAKDOWN_KINDS:
            for dim in self.dimensions:
                if activity.profile and dim["id"] not in (TABLE, LIVE):
                    continue  # quasi-identifiers are never crossed
                bds[dim["id"]] = self._breakdown(activity, dim["id"])
        return ActivityResult(activity, tally.respondents, tally.result(PROJECTOR),
                              tally.result(CONTROL), bds, self._status(activity))

    def _breakdown(self, activity: Activity, dimension: str) -> list[dict[str, Any]]:
        split: dict[str, Tally] = {}
        hidden, approved = self._word_moderation(activity) \
            if activity.kind == "word_cloud" else (set(), set())
        for i, _s in enumerate(self.sessions):
            group_of = self._group_map(i, dimension)
            absent = self._group_of(i, -1, dimension)  # not among the participants
            for r in self._prep.by_activity[i].get(activity.id, ()):
                pid = r.participant_id
                g = group_of.get(pid, absent)
                tally = split.get(g)
                if tally is None:
                    tally = split[g] = new_tally(activity)
                    if isinstance(tally, WordCloudTally):
                        # hidden words stay hidden per group too
                        tally.hidden, tally.approved = hidden, approved
                tally.add((i, pid), r.value)
        rows = breakdown(split, self.groups(dimension), self.threshold, PROJECTOR)
        for row in rows:  # free text never appears per group
            if row["result"] is not None:
                row["result"].pop("whys", None)
        return rows

    # -- naming

    @property
    def codes(self) -> list[str]:
        return [s.live.code for s in self.sessions]

    @property
    def started_at(self) -> datetime:
        return min(s.live.created_at for s in self.sessions)

    def basename(self) -> str:
        """``<programme>_<code>_<date>`` (pooled: ``<programme>_pooled-<n>_<date>``), and
        ``_interim`` while a session is still running."""
        date = self.started_at.strftime("%Y-%m-%d")
        which = f"pooled-{len(self.sessions)}" if self.pooled else self.sessions[0].live.code
        return f"{self.programme.id}_{which}_{date}" + ("_interim" if self.interim else "")

    def filename(self, fmt: str) -> str:
        if fmt == "codebook":
            return f"{self.basename()}_codebook.csv"
        return f"{self.basename()}.{EXTENSIONS[fmt]}"

    # ------------------------------------------------------------------------ tidy rows

    @property
    def columns(self) -> list[str]:
        return list(HEAD_COLUMNS) + [f"segment_{pid}" for pid in self.profile_ids] \
            + list(ANSWER_COLUMNS)

    @property
    def text_column(self) -> int:
        return self.columns.index("text")

    def tidy_rows(self) -> Iterator[tuple[Any, ...]]:
        """One row per response (per chosen option, ranked option, rated item or word; per
        question for Q&A), activities in programme order, responses in the order first
        submitted. Every response is here, whatever its moderation status."""
        p = self.programme
        n_seg = len(self.profile_ids)
        for i, s in enumerate(self.sessions):
            names = self._prep.pseudonyms[i]
            segs = self._prep.segments[i]
            people: dict[int, tuple[Any, ...]] = {}
            for pid, name in names.items():
                seg = segs.get(pid, {})
                people[pid] = (name, seg.get(TABLE)) + tuple(seg.get(x) for x in self.profile_ids)
            unknown = ("?", None) + (None,) * n_seg
            live_head = (s.live.code, p.id, p.version)
            for activity in p.activities:
                if not activity.answerable:
                    continue
                head = live_head + (activity.id, activity.kind, activity.section_id)
                if activity.kind == "qna":
                    for q in self._prep.questions[i].get(activity.id, ()):
                        at = iso(q.created_at)
                        yield (head + people.get(q.participant_id, unknown)
                               + (None, None, None, None, None, q.text, q.status, q.votes,
                                  at, at, 0))
                    continue
                hidden, approved = self._word_moderation(activity) \
                    if activity.kind == "word_cloud" else (set(), set())
                kind = activity.kind
                for r in self._prep.by_activity[i].get(activity.id, ()):
                    row = head + people.get(r.participant_id, unknown)
                    tail = (iso(r.submitted_at), iso(r.changed_at), r.changes)
                    v = r.value
                    if kind == "single_choice":
                        yield row + (None, v, None, None, None, None, None, None) + tail
                    elif kind == "multi_choice":
                        for oid in v:
                            yield row + (None, oid, None, None, None, None, None, None) + tail
                    elif kind == "scale":
                        why = v.get("why")
                        yield row + (None, None, None, None, v["position"], why,
                                     r.status if why else None, None) + tail
                    elif kind == "open_text":
                        yield row + (None, None, None, None, None, v, r.status, None) + tail
                    elif kind == "word_cloud":
                        for w in v:
                            if w in STOP_WORDS:
                                status = "stop_word"
                            elif w in hidden:
                                status = "hidden"
                            elif not activity.moderated or w in approved:
                                status = APPROVED
                            else:
                                status = PENDING
                            yield row + (None, None, None, None, None, w, status, None) + tail
                    elif kind == "ranking":
                        for rank, oid in enumerate(v, start=1):
                            yield row + (None, oid, rank, None, None, None, None, None) + tail
                    elif kind == "matrix":
                        for item in activity.items:  # programme order
                            if item.id in v:
                                yield row + (item.id, None, None, v[item.id], None, None, None,
                                             None) + tail

    # ------------------------------------------------------------------------------ CSV

    def tidy_batches(self, size: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
        """``tidy_rows`` in lists of ``size``."""
        batch: list[tuple[Any, ...]] = []
        append = batch.append
        for row in self.tidy_rows():
            append(row)
            if len(batch) >= size:
                yield batch
                batch = []
                append = batch.append
        if batch:
            yield batch

    def write_csv(self, out: IO[bytes], delimiter: str = ",",
                  also: tuple[IO[bytes], str] | None = None) -> None:
        """The tidy responses: UTF-8 with BOM, ``delimiter`` "," or ";" (Flemish Excel).
        ``also``: (stream, delimiter) written in the same pass (the ZIP has both variants)."""
        sink = CsvSink(self, [(out, delimiter)] + ([also] if also else []))
        for batch in self.tidy_batches():
            sink.rows(batch)

    def codebook_rows(self) -> Iterator[list[Any]]:
        """The codebook: every column, every activity with its texts in each language, every
        option, item, rating and scale end with its labels."""
        langs = list(self.programme.languages)
        yield ["entry", "activity_id", "id", "kind", "section_id"] \
            + [f"text_{lang}" for lang in langs] + ["description"]
        blank = [""] * len(langs)
        for col in self.columns:
            if col.startswith("segment_"):
                pid = col[len("segment_"):]
                doc = COLUMN_DOCS["segment"].format(id=pid)
                yield ["column", pid, col, "", ""] + blank + [doc]
            else:
                yield ["column", "", col, "", ""] + blank + [COLUMN_DOCS[col]]
        for activity in self.programme.activities:
            texts = [pick(activity_text(activity), lang) for lang in langs]
            extra = []
            if activity.profile:
                extra.append("profile question (segment_" + activity.id + ")")
            if activity.kind == "multi_choice" and activity.max_choices:
                extra.append(f"at most {activity.max_choices} choices")
            if activity.kind == "scale" and activity.scale:
                sc = activity.scale
                extra.append(f"positions {sc.min}..{sc.max} step {sc.step}")
                if activity.compare_with:
                    extra.append(f"compared with {activity.compare_with} (before/after)")
            if activity.moderated:
                extra.append("moderated")
            if activity.optional:
                extra.append("optional")
            if activity.reference is not None:
                ref = activity.reference
                extra.append(f"reference: {pick(ref.source_name, 'en')}"
                             + (f", n={ref.n}" if ref.n else "")
                             + (f", {ref.year}" if ref.year else "") + f" ({ref.unit})")
            yield ["activity", activity.id, activity.id, activity.kind, activity.section_id] \
                + [neutralise(t) for t in texts] + ["; ".join(extra)]
            for entry, options in (("option", activity.options), ("item", activity.items),
                                   ("rating", activity.ratings)):
                for o in options:
                    desc = ""
                    if entry == "rating":
                        desc = f"polarity {o.polarity or 'neutral'}"
                    if activity.reference is not None and entry == "option":
                        v = activity.reference.values.get(o.id)
                        desc = f"reference {v}" if v is not None else "reference: not given"
                    yield [entry, activity.id, o.id, "", ""] \
                        + [neutralise(pick(o.label, lang)) for lang in langs] + [desc]
            if activity.kind == "scale" and activity.scale:
                sc = activity.scale
                for pos, label in ((sc.min, sc.left_label), (sc.max, sc.right_label)):
                    yield ["scale_end", activity.id, str(pos), "", ""] \
                        + [neutralise(pick(label, lang)) for lang in langs] + [""]

    def write_codebook(self, out: IO[bytes], delimiter: str = ",") -> None:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        try:
            w = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
            w.writerows(self.codebook_rows())
        finally:
            text.flush()
            text.detach()

    # ----------------------------------------------------------------------------- JSON

    def _live_json(self, s: SessionData) -> dict[str, Any]:
        live = s.live
        return {
            "code": live.code,
            "programme_id": self.programme.id,
            "programme_version": live.programme.version,
            "created_at": iso(live.created_at),
            "ended_at": iso(live.ended_at),
            "interim": is_interim(live),
            "tables": live.tables,
            "participant_count": len(s.participants),
            "activities": {
                a.id: {"status": live.status(a.id).status,
                       "results_visible": live.status(a.id).results_visible,
                       "opened_at": iso(getattr(s.times.get(a.id), "opened_at", None)),
                       "closed_at": iso(getattr(s.times.get(a.id), "closed_at", None)),
                       "resets": live.status(a.id).resets,
                       "hidden_words": list(live.status(a.id).hidden_words),
                       "approved_words": list(live.status(a.id).approved_words)}
                for a in live.programme.activities if a.answerable},
        }

    def results_json(self) -> dict[str, Any]:
        out = {}
        for aid, r in self.results.items():
            out[aid] = {
                "kind": r.activity.kind,
                "respondents": r.respondents,
                "status": r.status,
                "result": r.result,
                "breakdowns": {dim: {"threshold": self.threshold, "groups": rows}
                               for dim, rows in r.breakdowns.items()},
            }
        return out

    def write_json(self, out: IO[bytes]) -> None:
        """The whole export as one JSON document (``docs/export.md``), written piecewise so
        the responses are never one big string."""
        text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
        dump = json.dumps
        try:
            head = {
                "schema_version": SCHEMA_VERSION,
                "type": "pooled" if self.pooled else "live_session",
                "exported_at": iso(self.exported_at),
                "interim": self.interim,
                "privacy_threshold": self.threshold,
                "programme": programme_snapshot(self.programme),
                "results": self.results_json(),
                "dimensions": self.dimensions,
            }
            text.write(dump(head, ensure_ascii=False)[:-1])
            text.write(', "sessions": [')
            for i, s in enumerate(self.sessions):
                if i:
                    text.write(", ")
                names = self._prep.pseudonyms[i]
                segs = self._prep.segments[i]
                live = self._live_json(s)
                text.write(dump(live, ensure_ascii=False)[:-1])
                text.write(', "participants": [')
                text.write(", ".join(dump({
                    "participant": names[p.id], "joined_at": iso(p.joined_at),
                    "table": p.table,
                    "segments": {x: segs.get(p.id, {}).get(x) for x in self.profile_ids},
                }, ensure_ascii=False) for p in s.participants))
                text.write('], "responses": [')
                responses = s.responses
                for start in range(0, len(responses), 5000):
                    chunk = [{"participant": names.get(r.participant_id, "?"),
                              "activity": r.activity_id, "value": r.value, "status": r.status,
                              "submitted_at": iso(r.submitted_at),
                              "changed_at": iso(r.changed_at), "changes": r.changes}
                             for r in responses[start:start + 5000]]
                    text.write(("" if start == 0 else ", ") + dump(chunk, ensure_ascii=False)[1:-1])
                text.write('], "questions": [')
                text.write(", ".join(dump({
                    "id": q.id, "activity": q.activity_id,
                    "participant": names.get(q.participant_id, "?"), "text": q.text,
                    "status": q.status, "votes": q.votes, "pinned": q.pinned,
                    "answered": q.answered, "created_at": iso(q.created_at),
                }, ensure_ascii=False) for q in s.questions))
                text.write('], "log": ')
                text.write(dump([{"at": iso(e["at"]) if isinstance(e["at"], datetime)
                                  else e["at"], "action": e["action"],
                                  "activity": e["activity"], "detail": e["detail"]}
                                 for e in s.log], ensure_ascii=False, default=str))
                text.write("}")
            text.write("]}\n")
        finally:
            text.flush()
            text.detach()

    # ----------------------------------------------------------------------------- XLSX

    def write_xlsx(self, out: IO[bytes]) -> None:
        from .export_xlsx import write_xlsx

        write_xlsx(self, out)

    # --------------------------------------------------------------------------- report

    def report_html(self) -> str:
        from .export_report import render_report

        return render_report(self)

    def write_html(self, out: IO[bytes]) -> None:
        out.write(self.report_html().encode("utf-8"))

    # ------------------------------------------------------------------------------ ZIP

    def write_zip(self, out: IO[bytes], pdf: Callable[[str], Any] | None = None,
                  pdf_missing: str = "") -> tuple[list[str], str]:
        """Every format in one ZIP, one after the other (each streamed into its entry).

        ``pdf(html)`` starts printing the report and returns a job with ``wait()`` (the PDF's
        path) and ``close()``; the other files are written while it prints. Without it, or
        when it fails, the ZIP's README says why there is no PDF. Returns (the names written,
        that reason or "")."""
        base = self.basename()
        names: list[str] = []
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            def entry(name: str, stored: bool = False, fast: bool = False) -> IO[bytes]:
                info = zipfile.ZipInfo(f"{base}/{name}", _zip_time(self.exported_at))
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                if fast:
                    fast_deflate(info)
                info.external_attr = 0o644 << 16
                names.append(info.filename)
                return zf.open(info, "w")

            report = self.report_html()
            job, pdf_note = None, ""
            if pdf is not None:
                try:
                    job = pdf(report)
                except Exception as exc:  # the data matter more than the PDF: keep going
                    pdf_note = f"The PDF report could not be made: {exc}"
            else:
                pdf_note = pdf_missing or "The PDF report was not made (no PDF engine)."
            try:
                with entry("report.html") as f:
                    f.write(report.encode("utf-8"))
                del report
                # one pass over the tidy rows feeds both CSV files and the workbook's
                # "Responses" sheet; the semicolon CSV and the workbook wait in temporary
                # files for their turn in the ZIP (one entry is written at a time)
                from .export_xlsx import XlsxStream

                with tempfile.SpooledTemporaryFile(8 << 20) as semicolon, \
                        tempfile.TemporaryFile() as workbook:
                    book = XlsxStream(self, workbook)
                    with entry("responses.csv", fast=True) as f:
                        sink = CsvSink(self, [(f, ","), (semicolon, ";")])
                        for batch in self.tidy_batches():
                            sink.rows(batch)
                            book.rows(batch)
                    book.close()
                    semicolon.seek(0)
                    with entry("responses_semicolon.csv", fast=True) as f:
                        shutil.copyfileobj(semicolon, f, 1 << 20)
                    with entry("codebook.csv") as f:
                        self.write_codebook(f)
                    workbook.seek(0)
                    with entry(f"{base}.xlsx", stored=True) as f:
                        shutil.copyfileobj(workbook, f, 1 << 20)
                with entry(f"{base}.json", fast=True) as f:
                    self.write_json(f)
                if job is not None:
                    try:
                        printed = job.wait()
                    except Exception as exc:
                        pdf_note = f"The PDF report could not be made: {exc}"
                    else:
                        with entry("report.pdf", stored=True) as f, open(printed, "rb") as pf:
                            shutil.copyfileobj(pf, f, 1 << 20)
            finally:
                if job is not None:
                    job.close()
            with entry("README.txt") as f:
                f.write(self.readme(names, pdf_note).encode("utf-8"))
        return names, pdf_note

    def readme(self, names: list[str], pdf_note: str = "") -> str:
        p = self.programme
        lines = [
            f"Dialoogtafel export of {pick(p.title, self.lang)}",
            f"programme {p.id} version {p.version}; live session(s) {', '.join(self.codes)}",
            f"exported {iso(self.exported_at)} (UTC); schema_version {SCHEMA_VERSION}",
            "",
        ]
        if self.interim:
            lines += ["INTERIM: a live session was still running (an activity was open for "
                      "answers) when this was exported. Numbers may still change.", ""]
        lines += [
            "Files:",
            "  report.html, report.pdf       the printable report (what the projector showed)",
            "  responses.csv                 tidy responses, one row per answer (UTF-8, comma)",
            "  responses_semicolon.csv       the same with ';' for Excel in Flemish/Dutch "
            "settings",
            "  codebook.csv                  every column, activity, option and label",
            "  *.xlsx                        summary, one sheet per activity, responses, "
            "codebook",
            "  *.json                        everything, machine-readable (docs/export.md)",
            "",
            f"Breakdowns by segment or table hide groups of fewer than {self.threshold} "
            "respondents. The tidy responses keep every answer: share them with care.",
        ]
        if pdf_note:
            lines += ["", pdf_note]
        return "\n".join(lines) + "\n"


class _Lines(list):  # type: ignore[type-arg]
    """What a ``csv.writer`` writes: one string per row, kept in a list."""

    write = list.append


class CsvSink:
    """The tidy responses as CSV into one or two streams (a "," and/or a ";" variant), fed in
    batches of tidy rows (``Export.tidy_batches``).

    Each row is formatted once, with ",". A line whose fields hold no "," and no ";" reads
    the same with ";" for every ",": quoting depends on the delimiter only through those
    characters, the other reasons to quote (a quote, a line break) are the same for both. So
    the ";" variant is the "," lines with the commas replaced, except for rows with such a
    character in their text (or the programme's version, the only other free text), which
    the ";" writer formats itself."""

    def __init__(self, exp: Export, targets: Sequence[tuple[IO[bytes], str]]):
        if any(d not in (",", ";") for _o, d in targets):
            raise ExportError("the CSV delimiter must be ',' or ';'")
        self.outs = {d: [o for o, d2 in targets if d2 == d] for d in (",", ";")}
        self.t = exp.text_column
        self.version = exp.columns.index("programme_version")
        self._comma_lines = _Lines()
        self._comma = csv.writer(self._comma_lines, delimiter=",", lineterminator="\r\n")
        self._semi_lines = _Lines()
        self._semi = csv.writer(self._semi_lines, delimiter=";", lineterminator="\r\n")
        self._clean_versions: dict[str, bool] = {}
        for stream, _d in targets:
            stream.write(b"\xef\xbb\xbf")  # the BOM
        self.rows([tuple(exp.columns)], neutralise=False)

    def rows(self, batch: list[tuple[Any, ...]], neutralise: bool = True) -> None:
        t, v = self.t, self.version
        dirty: list[int] = []
        if neutralise:
            batch = list(batch)
            clean_versions = self._clean_versions
            for i, row in enumerate(batch):
                txt = row[t]
                if txt is not None:
                    if txt.startswith(_FORMULA_START):
                        row = batch[i] = row[:t] + ("'" + txt,) + row[t + 1:]
                        txt = row[t]
                    if "," in txt or ";" in txt:
                        dirty.append(i)
                        continue
                version = row[v]
                ok = clean_versions.get(version)
                if ok is None:
                    ok = clean_versions[version] = not ("," in version or ";" in version)
                if not ok:
                    dirty.append(i)
        lines = self._comma_lines
        lines.clear()
        self._comma.writerows(batch)
        if self.outs[","]:
            data = "".join(lines).encode("utf-8")
            for out in self.outs[","]:
                out.write(data)
        if not self.outs[";"]:
            return
        if not dirty:
            semi = "".join(lines).replace(",", ";")
        else:
            pieces: list[str] = []
            start = 0
            for i in dirty + [len(batch)]:
                if i > start:
                    pieces.append("".join(lines[start:i]).replace(",", ";"))
                if i < len(batch):
                    self._semi_lines.clear()
                    self._semi.writerow(batch[i])
                    pieces.append(self._semi_lines[0])
                start = i + 1
            semi = "".join(pieces)
        data = semi.encode("utf-8")
        for out in self.outs[";"]:
            out.write(data)


def fast_deflate(info: zipfile.ZipInfo) -> None:
    """Deflate this entry at level 1: tens or hundreds of MB of text, several times faster
    than the default level for a somewhat larger file."""
    for attr in ("compress_level", "_compresslevel"):  # Python 3.13+, 3.11 and 3.12
        if hasattr(info, attr):
            setattr(info, attr, 1)


def _zip_time(dt: datetime) -> tuple[int, int, int, int, int, int]:
    d = dt if dt.year >= 1980 else datetime(1980, 1, 1)
    return (d.year, d.month, d.day, d.hour, d.minute, d.second)


def poolable(programmes: Sequence[Programme]) -> list[str]:
    """Why these live sessions' programmes cannot be exported together (empty: they can).
    The same programme id, and every activity of the first with the same kind and the same
    option, item, rating and scale positions in the others."""
    problems: list[str] = []
    first = programmes[0]
    for other in programmes[1:]:
        if other.id != first.id:
            problems.append(f"different programmes: {first.id} and {other.id}")
            continue
        mine = [a.id for a in first.activities]
        theirs = [a.id for a in other.activities]
        if mine != theirs:
            problems.append(f"{first.id} versions {first.version} and {other.version} have "
                            "different activities")
            continue
        for a in first.activities:
            b = other.activity(a.id)
            assert b is not None
            if (a.kind, a.option_ids, [i.id for i in a.items], [r.id for r in a.ratings],
                a.scale.positions if a.scale else None, a.profile) != (
                    b.kind, b.option_ids, [i.id for i in b.items], [r.id for r in b.ratings],
                    b.scale.positions if b.scale else None, b.profile):
                problems.append(f"activity {a.id} differs between versions {first.version} "
                                f"and {other.version}")
    return problems


# ---------------------------------------------------------------------------- SVG charts
# Okabe-Ito colours (safe for colour-blind readers); every series also has its own pattern so
# that a black-and-white print tells them apart, and every value is written beside its bar.

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
PATTERNS = ("solid", "hatch", "dots", "cross", "lines", "open")
FONT = "font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\""
_CHAR_W = 6.4  # average width of a character at 11 px, for wrapping labels


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _wrap(text: str, width: int, max_lines: int = 3) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, width - 1)].rstrip() + "\u2026"
    return lines


class Fills:
    """The series fills of one chart: a plain colour, or white with the series' pattern drawn
    as vector marks (diagonal, crossed or horizontal lines, dots on a 6-unit grid aligned to
    the chart, as a ``userSpaceOnUse`` pattern would be), cut to the shape by arithmetic.

    No SVG ``<pattern>``: headless Chromium prints every pattern fill very expensively (in
    the 5,000 x 40 benchmark's report the 66 patterned bars doubled the PDF's size, to 8 MB,
    and took about 2 of its 5 s to print); these marks are a few plain paths."""

    STEP = 6.0
    #: pattern -> (mark stroke width, the line families: "/" x+y = 6k, "\\" x-y = 6k,
    #: "-" y = 6k + 3)
    LINES = {"hatch": (2.0, ("/",)), "cross": (1.2, ("/", "\\")), "lines": (2.0, ("-",))}
    DOT = 1.6

    def __init__(self, chart_id: str):
        self.chart_id = chart_id

    def rect(self, x: float, y: float, w: float, h: float, colour: str, pattern: str,
             stroke: str | None = None, stroke_width: float = 1.0) -> str:
        """A rectangle in the series' fill, outlined in ``stroke`` (default: its colour)."""
        edge = stroke or colour
        solid = pattern == "solid"
        out = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
               f'fill="{colour if solid else "#fff"}" stroke="{edge}" '
               f'stroke-width="{stroke_width:g}"/>')
        if solid:
            return out
        marks = self.marks(x, y, w, h, pattern)
        if not marks:
            return out
        if pattern == "dots":
            return out + f'<path d="{marks}" fill="{colour}"/>'
        width = self.LINES[pattern][0]
        return out + f'<path d="{marks}" fill="none" stroke="{colour}" stroke-width="{width:g}"/>'

    def marks(self, x: float, y: float, w: float, h: float, pattern: str) -> str:
        """The path data of a pattern's marks inside the rectangle (inset by 1, so that a
        line's end stays within the outline)."""
        step = self.STEP
        x0, y0, x1, y1 = x + 1, y + 1, x + w - 1, y + h - 1
        if x1 <= x0 or y1 <= y0:
            return ""
        parts: list[str] = []
        if pattern == "dots":
            r = self.DOT
            cx = math.ceil((x0 + r - 3) / step) * step + 3
            while cx + r <= x1:
                cy = math.ceil((y0 + r - 3) / step) * step + 3
                while cy + r <= y1:
                    parts.append(f"M{cx - r:.1f},{cy:.1f}a{r:g},{r:g} 0 1,0 {2 * r:g},0"
                                 f"a{r:g},{r:g} 0 1,0 {-2 * r:g},0")
                    cy += step
                cx += step
            return "".join(parts)
        for family in self.LINES.get(pattern, (0.0, ()))[1]:
            if family == "-":
                cy = math.ceil((y0 - 3) / step) * step + 3
                while cy <= y1:
                    parts.append(f"M{x0:.1f},{cy:.1f}H{x1:.1f}")
                    cy += step
            elif family == "/":  # x + y = c, from lower left to upper right
                c = math.ceil((x0 + y0) / step) * step
                while c <= x1 + y1:
                    xa, xb = max(x0, c - y1), min(x1, c - y0)
                    if xb > xa:
                        parts.append(f"M{xa:.1f},{c - xa:.1f}L{xb:.1f},{c - xb:.1f}")
                    c += step
            else:  # x - y = c
                c = math.ceil((x0 - y1) / step) * step
                while c <= x1 - y0:
                    xa, xb = max(x0, c + y0), min(x1, c + y1)
                    if xb > xa:
                        parts.append(f"M{xa:.1f},{xa - c:.1f}L{xb:.1f},{xb - c:.1f}")
                    c += step
        return "".join(parts)

    def render(self) -> str:
        return ""


def svg_bars(chart_id: str, rows: Sequence[dict[str, Any]], *, title: str, maximum: float,
             series: Sequence[tuple[str, str, str]], width: int = 680) -> str:
    """Horizontal bars: one group per row (``label`` and per series a ``values[i]`` with its
    ``texts[i]``); ``series``: (name, colour, pattern). A legend when there are several."""
    fills = Fills(chart_id)
    label_w, value_w = 240, 96
    bar_w = width - label_w - value_w - 12
    wrap = int(label_w / _CHAR_W)
    bar_h = 16 if len(series) == 1 else 13
    parts: list[str] = []
    y = 6
    if len(series) > 1:
        x = label_w
        for name, colour, pattern in series:
            parts.append(fills.rect(x, y, 14, 11, colour, pattern)
                         + f'<text x="{x + 19}" y="{y + 10}">{_esc(name)}</text>')
            x += 24 + int(len(name) * _CHAR_W) + 18
        y += 22
    scale = bar_w / maximum if maximum > 0 else 0
    for row in rows:
        lines = _wrap(str(row["label"]), wrap)
        block = max(len(lines) * 13, len(series) * (bar_h + 3)) + 8
        ty = y + 11
        parts.append("".join(f'<text x="{label_w - 8}" y="{ty + 13 * k}" text-anchor="end">'
                             f"{_esc(line)}</text>" for k, line in enumerate(lines)))
        by = y + 1
        for k, (_name, colour, pattern) in enumerate(series):
            v = row["values"][k]
            txt = row["texts"][k]
            if v is not None:
                w = max(0.0, float(v) * scale)
                parts.append(fills.rect(label_w, by, w, bar_h, colour, pattern))
                parts.append(f'<text x="{label_w + w + 5:.1f}" y="{by + bar_h - 4}">'
                             f"{_esc(txt)}</text>")
            else:
                parts.append(f'<text x="{label_w + 5}" y="{by + bar_h - 4}" fill="#555">'
                             f"{_esc(txt)}</text>")
            by += bar_h + 3
        y += block
    parts.insert(0, f'<line x1="{label_w}" y1="{28 if len(series) > 1 else 4}" x2="{label_w}" '
                    f'y2="{y}" stroke="#333" stroke-width="1"/>')
    return _svg(chart_id, width, y + 6, title, fills, parts)


def svg_columns(chart_id: str, columns: Sequence[tuple[str, Sequence[float | None]]], *,
                title: str, series: Sequence[tuple[str, str, str]],
                markers: Sequence[tuple[str, float]] = (), ends: tuple[str, str] = ("", ""),
                width: int = 680) -> str:
    """Vertical columns (a histogram): ``columns`` = (x label, counts per series); ``markers``
    (name, x position as a fractional column index) draw a dashed line (mean, median)."""
    fills = Fills(chart_id)
    left, right = 34, 10
    legend_h = 22 if len(series) > 1 else 0
    top = legend_h + 14 * len(markers) + 12  # marker labels sit in a band above the plot
    plot_h = 150
    n = max(1, len(columns))
    slot = (width - left - right) / n
    peak = max([v or 0 for _x, vs in columns for v in vs] + [1])
    parts: list[str] = []
    if len(series) > 1:
        x = left
        for name, colour, pattern in series:
            parts.append(fills.rect(x, 6, 14, 11, colour, pattern)
                         + f'<text x="{x + 19}" y="16">{_esc(name)}</text>')
            x += 24 + int(len(name) * _CHAR_W) + 18
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" '
                 'stroke="#333"/>')
    every = max(1, round(n / 20))
    inner = slot * 0.8 / len(series)
    for i, (xl, values) in enumerate(columns):
        x0 = left + i * slot + slot * 0.1
        for k, (_name, colour, pattern) in enumerate(series):
            v = values[k] or 0
            h = plot_h * v / peak
            parts.append(fills.rect(x0 + k * inner, base - h, inner - 1, h, colour, pattern))
            if n <= 21:
                parts.append(f'<text x="{x0 + k * inner + inner / 2:.1f}" '
                             f'y="{base - h - 3:.1f}" text-anchor="middle" font-size="10">'
                             f"{int(v)}</text>")
        if i % every == 0:
            parts.append(f'<text x="{left + i * slot + slot / 2:.1f}" y="{base + 14}" '
                         f'text-anchor="middle">{_esc(xl)}</text>')
    for k, (name, pos) in enumerate(markers):
        mx = left + (pos + 0.5) * slot
        ly = legend_h + 12 + 14 * k
        dash = "5,3" if k else "2,2"
        anchor = "end" if mx > width * 0.7 else "start"
        tx = mx - 3 if anchor == "end" else mx + 3
        parts.append(f'<line x1="{mx:.1f}" y1="{ly - 9}" x2="{mx:.1f}" y2="{base}" '
                     f'stroke="#000" stroke-width="1.5" stroke-dasharray="{dash}"/>'
                     f'<text x="{tx:.1f}" y="{ly}" font-size="10" text-anchor="{anchor}">'
                     f"{_esc(name)}</text>")
    y = base + 30
    if any(ends):
        parts.append(f'<text x="{left}" y="{y - 2}" fill="#333">{_esc(ends[0])}</text>'
                     f'<text x="{width - right}" y="{y - 2}" text-anchor="end" fill="#333">'
                     f"{_esc(ends[1])}</text>")
        y += 8
    return _svg(chart_id, width, y, title, fills, parts)


def svg_stacked(chart_id: str, rows: Sequence[tuple[str, Sequence[tuple[float, str]]]], *,
                title: str, series: Sequence[tuple[str, str, str]], width: int = 680) -> str:
    """100 % stacked bars: per row (label, [(percent, text) per series])."""
    fills = Fills(chart_id)
    label_w = 200
    bar_w = width - label_w - 12
    wrap = int(label_w / _CHAR_W)
    parts: list[str] = []
    x, y = 8, 6
    for name, colour, pattern in series:
        item_w = 24 + int(len(name) * _CHAR_W) + 16
        if x + item_w > width:
            x, y = 8, y + 18
        parts.append(fills.rect(x, y, 14, 11, colour, pattern)
                     + f'<text x="{x + 19}" y="{y + 10}">{_esc(name)}</text>')
        x += item_w
    y += 24
    for label, values in rows:
        lines = _wrap(label, wrap)
        block = max(len(lines) * 13, 22) + 8
        parts.append("".join(f'<text x="{label_w - 8}" y="{y + 12 + 13 * k}" '
                             f'text-anchor="end">{_esc(line)}</text>'
                             for k, line in enumerate(lines)))
        x0 = float(label_w)
        for k, (value, text) in enumerate(values):
            _name, colour, pattern = series[k]
            w = bar_w * (value or 0) / 100
            if w <= 0:
                continue
            parts.append(fills.rect(x0, y + 1, w, 20, colour, pattern, "#333", 0.6))
            if w > 34:
                dark = pattern == "solid" and colour in ("#0072B2", "#000000", "#009E73",
                                                         "#D55E00", "#CC79A7")
                halo = "" if dark else ' stroke="#fff" stroke-width="2.5" paint-order="stroke"'
                ink = "#fff" if dark else "#000"
                parts.append(f'<text x="{x0 + w / 2:.1f}" y="{y + 15}" text-anchor="middle" '
                             f'font-size="10" fill="{ink}"{halo}>{_esc(text)}</text>')
            x0 += w
        y += block
    return _svg(chart_id, width, y + 4, title, fills, parts)


def svg_dots(chart_id: str, rows: Sequence[tuple[str, float | None, str]], *, title: str,
             lo: float, hi: float, ends: tuple[str, str] = ("", ""), width: int = 680) -> str:
    """A dot plot on an axis lo..hi (mean ranks): per row (label, value, text)."""
    fills = Fills(chart_id)
    label_w, value_w = 240, 90
    axis_w = width - label_w - value_w - 20
    wrap = int(label_w / _CHAR_W)
    parts: list[str] = []
    y = 26
    span = (hi - lo) or 1

    def xpos(v: float) -> float:
        return label_w + 10 + axis_w * (v - lo) / span

    for tick in range(int(lo), int(hi) + 1):
        parts.append(f'<text x="{xpos(tick):.1f}" y="14" text-anchor="middle">{tick}</text>')
    start = y
    for label, value, text in rows:
        lines = _wrap(label, wrap)
        block = max(len(lines) * 13, 18) + 8
        parts.append("".join(f'<text x="{label_w - 8}" y="{y + 12 + 13 * k}" '
                             f'text-anchor="end">{_esc(line)}</text>'
                             for k, line in enumerate(lines)))
        parts.append(f'<line x1="{xpos(lo):.1f}" y1="{y + 8}" x2="{xpos(hi):.1f}" '
                     f'y2="{y + 8}" stroke="#bbb" stroke-dasharray="2,3"/>')
        if value is not None:
            parts.append(f'<circle cx="{xpos(value):.1f}" cy="{y + 8}" r="6" fill="{PALETTE[0]}" '
                         'stroke="#000"/>')
        parts.append(f'<text x="{width - value_w}" y="{y + 12}">{_esc(text)}</text>')
        y += block
    for tick in range(int(lo), int(hi) + 1):
        parts.insert(0, f'<line x1="{xpos(tick):.1f}" y1="18" x2="{xpos(tick):.1f}" '
                        f'y2="{y}" stroke="#e3e3e3"/>')
    if any(ends):
        parts.append(f'<text x="{xpos(lo):.1f}" y="{y + 12}" fill="#333">{_esc(ends[0])}</text>'
                     f'<text x="{xpos(hi):.1f}" y="{y + 12}" text-anchor="end" fill="#333">'
                     f"{_esc(ends[1])}</text>")
        y += 16
    del start
    return _svg(chart_id, width, y + 4, title, fills, parts)


def _svg(chart_id: str, width: int, height: float, title: str, fills: Fills,
         parts: Iterable[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" id="{chart_id}" '
            f'viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" '
            f'role="img" aria-labelledby="{chart_id}-t" {FONT} font-size="11">'
            f'<title id="{chart_id}-t">{_esc(title)}</title>{fills.render()}'
            f'{"".join(parts)}</svg>')


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot carry."""
    return _ILLEGAL_XML.sub("\ufffd", text) if _ILLEGAL_XML.search(text) else text
