"""The export's data: one activity result per activity, the tidy rows (CSV, XLSX "Responses"),
the codebook and the JSON document. Pure core: no web, database or socket package.

``service.py`` gathers plain rows from the database (``store.export_*``) into a ``SessionData``
per live session; ``ExportData`` takes one (or several live sessions of the same programme: a
*pooled* export), prepares it once, and writes the data formats into binary streams.
``xlsx.py``, ``report.py`` and ``bundle.py`` (the ZIP) write the other formats from it;
``formats.Export`` is the one object that writes them all. docs/export.md documents the
formats.

Numbers are computed with the projector's own tallies (``aggregate.new_tally``, ``breakdown``),
so every count, percentage, mean and median is the one the projector showed, by construction.
Free texts: the report and the result blocks show what the projector shows (approved texts
only); the tidy rows (CSV, XLSX "Responses", JSON "responses") keep every text for the owner
with its moderation status. Breakdowns by segment or table suppress groups smaller than the
programme's privacy threshold in every format; the tidy rows keep the data.

A live session that still has an activity open for answers (and was not ended) is exported as
*interim*: every format says so. What differs between activity kinds (the answer cells of a
tidy row, codebook notes) is asked of the kind (``kinds.of(activity)``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any, cast

from .. import kinds
from ..aggregate import (
    CONTROL,
    NO_GROUP,
    PROJECTOR,
    QuestionBoard,
    Tally,
    breakdown,
    new_tally,
)
from ..kinds.exporting import WordMarks
from ..programme import Activity, Programme
from ..snapshot import TABLE, dimensions, groups
from .common import (
    EXTENSIONS,
    FORMULA_START,
    LIVE,
    REPORT_MAX_TEXTS,
    SCHEMA_VERSION,
    ActivityResult,
    ExportError,
    SessionData,
    activity_text,
    is_interim,
    iso,
    neutralise,
    pick,
)

# --------------------------------------------------------------------------------- the data


#: columns of the tidy responses (CSV, XLSX "Responses"); segment columns follow "table"
HEAD_COLUMNS = (
    "live_code",
    "programme_id",
    "programme_version",
    "activity_id",
    "kind",
    "section_id",
    "participant",
    "table",
)
ANSWER_COLUMNS = (
    "item",
    "option",
    "rank",
    "rating",
    "value",
    "text",
    "status",
    "votes",
    "submitted_at",
    "changed_at",
    "changes",
)

#: what each column holds, for the codebook ("kind": see ``column_doc``)
COLUMN_DOCS = {
    "live_code": "Join code of the live session (one run of the programme).",
    "programme_id": "Id of the programme (the workshop definition).",
    "programme_version": "Version of the programme as it was when the live session started.",
    "activity_id": "Id of the activity (see the entries 'activity' below).",
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


def programme_snapshot(programme: Programme) -> dict[str, Any]:
    """The programme as the session ran it, for the JSON export; the logo is named (file, type,
    SHA-256) but its bytes are left out: an analyst does not need 100 KB of base64."""
    data = programme.to_dict()
    branding = data.get("branding")
    if isinstance(branding, dict) and branding.get("logo_data"):
        data["branding"] = {k: v for k, v in branding.items() if k != "logo_data"}
    return data


def column_doc(column: str) -> str:
    """The codebook's description of a tidy column; "kind" lists the registry's kinds that take
    answers."""
    if column == "kind":
        names = [n for n in kinds.names() if (k := kinds.get(n)) is not None and k.answerable]
        return f"Kind of activity: {', '.join(names[:-1])} or {names[-1]}."
    return COLUMN_DOCS[column]


@dataclass
class _Prepared:
    pseudonyms: list[dict[int, str]]
    segments: list[dict[int, dict[str, Any]]]
    by_activity: list[dict[str, list[Any]]]
    questions: list[dict[str, list[Any]]]


def pseudonym_width(count: int) -> int:
    return max(4, len(str(count)))


class ExportData:
    """The exports of one live session, or several of the same programme (pooled), prepared
    once: the activity results and the data formats (tidy rows, CSV, codebook, JSON).

    ``sessions``: the live sessions' data; ``exported_at``: naive UTC.
    ``lang``: the language of the report (default: the programme's).
    ``notes``: put presenter notes in the report.
    ``max_texts``: the report lists at most this many free texts (or questions) per activity,
    and says how many more there are (0: all of them). The data files always have all.
    """

    def __init__(
        self,
        sessions: Sequence[SessionData],
        exported_at: datetime,
        *,
        lang: str | None = None,
        notes: bool = False,
        max_texts: int = REPORT_MAX_TEXTS,
    ):
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
        # asked for, else the live session's language (the facilitator's choice, else the
        # programme's default)
        self.lang = lang if lang in self.programme.languages else sessions[0].live.lang
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
            return [
                (s.live.code, {lang: s.live.code for lang in self.programme.languages})
                for s in self.sessions
            ]
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
            found = self._group_maps[key] = {
                pid: self._group_of(index, pid, dimension) for pid in segs
            }
        return found

    def _label(self, key: Hashable) -> str:
        index, pid = cast(tuple[int, int], key)
        name = self._prep.pseudonyms[index].get(pid, "?")
        return f"{self.sessions[index].live.code}:{name}" if self.pooled else name

    def word_marks(self, activity: Activity) -> WordMarks:
        """The words of ``activity`` hidden or approved in any of the exported live sessions
        (empty for kinds without word moderation)."""
        if kinds.of(activity).moderates != "words":
            return WordMarks()
        hidden: set[str] = set()
        approved: set[str] = set()
        for s in self.sessions:
            st = s.live.status(activity.id)
            hidden.update(st.hidden_words)
            approved.update(st.approved_words)
        return WordMarks(frozenset(hidden), frozenset(approved - hidden))

    def _status(self, activity: Activity) -> str:
        states = [s.live.status(activity.id).status for s in self.sessions]
        for state in ("open", "closed"):
            if state in states:
                return state
        return "pending"

    def _tally(self, activity: Activity, before: Tally | None = None) -> Tally:
        if kinds.of(activity).questions:

            def question_id(key: Hashable) -> str:
                index, qid = cast(tuple[int, int], key)
                return str(qid) if not self.pooled else f"{self.sessions[index].live.code}-{qid}"

            board = new_tally(activity, question_id)
            assert isinstance(board, QuestionBoard)
            for i, _s in enumerate(self.sessions):
                for q in self._prep.questions[i].get(activity.id, ()):
                    board.ask(
                        (i, q.id),
                        (i, q.participant_id),
                        q.text,
                        q.status,
                        q.votes,
                        q.pinned,
                        q.answered,
                    )
            return board
        tally = pool_tally(
            activity,
            [self._prep.by_activity[i].get(activity.id, ()) for i in range(len(self.sessions))],
            self.word_marks(activity),
            self._label,
        )
        if before is not None:
            tally.compare(before)
        return tally

    def _result(self, activity: Activity) -> ActivityResult:
        before = None
        if activity.compare_with:  # a scale compared with an earlier one
            earlier = self.programme.activity(activity.compare_with)
            if earlier is not None:
                before = self._tally(earlier)
        tally = self._tally(activity, before)
        bds: dict[str, list[dict[str, Any]]] = {}
        if kinds.of(activity).breakdown:
            for dim in self.dimensions:
                if activity.profile and dim["id"] not in (TABLE, LIVE):
                    continue  # quasi-identifiers are never crossed
                bds[dim["id"]] = self._breakdown(activity, dim["id"])
        return ActivityResult(
            activity,
            tally.respondents,
            tally.result(PROJECTOR),
            tally.result(CONTROL),
            bds,
            self._status(activity),
        )

    def _breakdown(self, activity: Activity, dimension: str) -> list[dict[str, Any]]:
        split: dict[str, Tally] = {}
        marks = self.word_marks(activity)
        for i, _s in enumerate(self.sessions):
            group_of = self._group_map(i, dimension)
            absent = self._group_of(i, -1, dimension)  # not among the participants
            for r in self._prep.by_activity[i].get(activity.id, ()):
                pid = r.participant_id
                g = group_of.get(pid, absent)
                tally = split.get(g)
                if tally is None:
                    tally = split[g] = new_tally(activity)
                    # a word cloud's hidden words stay hidden per group too
                    tally.mark_words(marks.hidden, marks.approved)
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
        return (
            list(HEAD_COLUMNS)
            + [f"segment_{pid}" for pid in self.profile_ids]
            + list(ANSWER_COLUMNS)
        )

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
                kind = kinds.of(activity)
                if kind.questions:
                    for q in self._prep.questions[i].get(activity.id, ()):
                        at = iso(q.created_at)
                        yield (
                            head
                            + people.get(q.participant_id, unknown)
                            + (None, None, None, None, None, q.text, q.status, q.votes, at, at, 0)
                        )
                    continue
                marks = self.word_marks(activity)
                cells_of = kind.tidy_cells
                for r in self._prep.by_activity[i].get(activity.id, ()):
                    row = head + people.get(r.participant_id, unknown)
                    tail = (iso(r.submitted_at), iso(r.changed_at), r.changes)
                    for cells in cells_of(activity, r.value, r.status, marks):
                        yield row + cells + tail

    def tidy_count(self) -> int:
        """How many rows ``tidy_rows`` yields, without building them."""
        n = 0
        for i, _s in enumerate(self.sessions):
            by_activity = self._prep.by_activity[i]
            for a in self.programme.activities:
                if not a.answerable:
                    continue
                kind = kinds.of(a)
                if kind.questions:
                    n += len(self._prep.questions[i].get(a.id, ()))
                    continue
                count = kind.tidy_count
                n += sum(count(a, r.value) for r in by_activity.get(a.id, ()))
        return n

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

    def write_csv(
        self, out: IO[bytes], delimiter: str = ",", also: tuple[IO[bytes], str] | None = None
    ) -> None:
        """The tidy responses: UTF-8 with BOM, ``delimiter`` "," or ";" (Flemish Excel).
        ``also``: (stream, delimiter) written in the same pass (the ZIP has both variants)."""
        sink = CsvSink(self, [(out, delimiter)] + ([also] if also else []))
        for batch in self.tidy_batches():
            sink.rows(batch)

    def codebook_rows(self) -> Iterator[list[Any]]:
        """The codebook: every column, every activity with its texts in each language, every
        option, item, rating and scale end with its labels."""
        langs = list(self.programme.languages)
        yield (
            ["entry", "activity_id", "id", "kind", "section_id"]
            + [f"text_{lang}" for lang in langs]
            + ["description"]
        )
        blank = [""] * len(langs)
        for col in self.columns:
            if col.startswith("segment_"):
                pid = col[len("segment_") :]
                doc = COLUMN_DOCS["segment"].format(id=pid)
                yield ["column", pid, col, "", ""] + blank + [doc]
            else:
                yield ["column", "", col, "", ""] + blank + [column_doc(col)]
        for activity in self.programme.activities:
            texts = [pick(activity_text(activity), lang) for lang in langs]
            extra = []
            if activity.profile:
                extra.append("profile question (segment_" + activity.id + ")")
            kind = kinds.of(activity)
            extra += kind.codebook_notes(activity)
            if activity.moderated:
                extra.append("moderated")
            elif kind.moderates and activity.moderation == "after":
                extra.append("moderated after showing (word filter)")
            if activity.optional:
                extra.append("optional")
            if activity.reference is not None:
                ref = activity.reference
                extra.append(
                    f"reference: {pick(ref.source_name, 'en')}"
                    + (f", n={ref.n}" if ref.n else "")
                    + (f", {ref.year}" if ref.year else "")
                    + f" ({ref.unit})"
                )
            yield (
                ["activity", activity.id, activity.id, activity.kind, activity.section_id]
                + [neutralise(t) for t in texts]
                + ["; ".join(extra)]
            )
            for entry, options in (
                ("option", activity.options),
                ("item", activity.items),
                ("rating", activity.ratings),
            ):
                for o in options:
                    desc = ""
                    if entry == "rating":
                        desc = f"polarity {o.polarity or 'neutral'}"
                    if activity.reference is not None and entry == "option":
                        v = activity.reference.values.get(o.id)
                        desc = f"reference {v}" if v is not None else "reference: not given"
                    yield (
                        [entry, activity.id, o.id, "", ""]
                        + [neutralise(pick(o.label, lang)) for lang in langs]
                        + [desc]
                    )
            for entry, eid, label, desc in kind.codebook_entries(activity):
                yield (
                    [entry, activity.id, eid, "", ""]
                    + [neutralise(pick(label, lang)) for lang in langs]
                    + [desc]
                )

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
                a.id: {
                    "status": live.status(a.id).status,
                    "results_visible": live.status(a.id).results_visible,
                    "opened_at": iso(getattr(s.times.get(a.id), "opened_at", None)),
                    "closed_at": iso(getattr(s.times.get(a.id), "closed_at", None)),
                    "resets": live.status(a.id).resets,
                    "hidden_words": list(live.status(a.id).hidden_words),
                    "approved_words": list(live.status(a.id).approved_words),
                }
                for a in live.programme.activities
                if a.answerable
            },
        }

    def results_json(self) -> dict[str, Any]:
        out = {}
        for aid, r in self.results.items():
            out[aid] = {
                "kind": r.activity.kind,
                "respondents": r.respondents,
                "status": r.status,
                "result": r.result,
                "breakdowns": {
                    dim: {"threshold": self.threshold, "groups": rows}
                    for dim, rows in r.breakdowns.items()
                },
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
                text.write(
                    ", ".join(
                        dump(
                            {
                                "participant": names[p.id],
                                "joined_at": iso(p.joined_at),
                                "table": p.table,
                                "segments": {
                                    x: segs.get(p.id, {}).get(x) for x in self.profile_ids
                                },
                            },
                            ensure_ascii=False,
                        )
                        for p in s.participants
                    )
                )
                text.write('], "responses": [')
                responses = s.responses
                for start in range(0, len(responses), 5000):
                    chunk = [
                        {
                            "participant": names.get(r.participant_id, "?"),
                            "activity": r.activity_id,
                            "value": r.value,
                            "status": r.status,
                            "submitted_at": iso(r.submitted_at),
                            "changed_at": iso(r.changed_at),
                            "changes": r.changes,
                        }
                        for r in responses[start : start + 5000]
                    ]
                    text.write(("" if start == 0 else ", ") + dump(chunk, ensure_ascii=False)[1:-1])
                text.write('], "questions": [')
                text.write(
                    ", ".join(
                        dump(
                            {
                                "id": q.id,
                                "activity": q.activity_id,
                                "participant": names.get(q.participant_id, "?"),
                                "text": q.text,
                                "status": q.status,
                                "votes": q.votes,
                                "pinned": q.pinned,
                                "answered": q.answered,
                                "created_at": iso(q.created_at),
                            },
                            ensure_ascii=False,
                        )
                        for q in s.questions
                    )
                )
                text.write('], "log": ')
                text.write(
                    dump(
                        [
                            {
                                "at": iso(e["at"]) if isinstance(e["at"], datetime) else e["at"],
                                "action": e["action"],
                                "activity": e["activity"],
                                "detail": e["detail"],
                            }
                            for e in s.log
                        ],
                        ensure_ascii=False,
                        default=str,
                    )
                )
                text.write("}")
            text.write("]}\n")
        finally:
            text.flush()
            text.detach()


class _Lines(list):  # type: ignore[type-arg]
    """What a ``csv.writer`` writes: one string per row, kept in a list."""

    write = list.append


class CsvSink:
    """The tidy responses as CSV into one or two streams (a "," and/or a ";" variant), fed in
    batches of tidy rows (``ExportData.tidy_batches``).

    Each row is formatted once, with ",". A line whose fields hold no "," and no ";" reads
    the same with ";" for every ",": quoting depends on the delimiter only through those
    characters, the other reasons to quote (a quote, a line break) are the same for both. So
    the ";" variant is the "," lines with the commas replaced, except for rows with such a
    character in their text (or the programme's version, the only other free text), which
    the ";" writer formats itself."""

    def __init__(self, exp: ExportData, targets: Sequence[tuple[IO[bytes], str]]):
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
                    if txt.startswith(FORMULA_START):
                        row = batch[i] = row[:t] + ("'" + txt,) + row[t + 1 :]
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


def pool_tally(
    activity: Activity,
    sessions: Sequence[Sequence[Any]],
    marks: WordMarks | None = None,
    label: Any = str,
) -> Tally:
    """One activity's result over the responses of several live sessions (``sessions``: per
    session its stored responses of the activity, with ``participant_id``, ``value`` and
    ``status``): the pooled export's result, and the control screen's comparison of the room
    with earlier rooms (live/pooled.py). Keys are (session index, participant id); ``marks``:
    the word cloud's hidden and approved words."""
    tally = new_tally(activity, label)
    for i, rows in enumerate(sessions):
        for r in rows:
            key = (i, r.participant_id)
            tally.add(key, r.value)
            tally.set_status(key, r.status)
    if marks is not None:
        tally.mark_words(marks.hidden, marks.approved)
    return tally


def same_activity(a: Activity, b: Activity) -> bool:
    """Whether two versions of an activity can be pooled: the same kind, the same option,
    item, rating and scale positions, both profile questions or neither."""
    return (
        a.kind,
        a.option_ids,
        [i.id for i in a.items],
        [r.id for r in a.ratings],
        a.scale.positions if a.scale else None,
        a.profile,
    ) == (
        b.kind,
        b.option_ids,
        [i.id for i in b.items],
        [r.id for r in b.ratings],
        b.scale.positions if b.scale else None,
        b.profile,
    )


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
            problems.append(
                f"{first.id} versions {first.version} and {other.version} have different activities"
            )
            continue
        for a in first.activities:
            b = other.activity(a.id)
            assert b is not None
            if not same_activity(a, b):
                problems.append(
                    f"activity {a.id} differs between versions {first.version} and {other.version}"
                )
    return problems
