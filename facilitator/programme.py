"""Programmes: parse and validate a workshop definition (one YAML file in ``sessions/``).

Pure core: standard library and PyYAML only. ``load_programme(path)`` returns a ``Programme`` or
raises ``ProgrammeError`` with *every* problem found, each naming the file, the place (section or
activity id, then the field path), what is wrong and what was expected, because facilitators edit
these files by hand.

A parsed programme round-trips through ``to_dict()`` / ``from_dict()``; a live session stores that
dict as its snapshot, so editing the YAML later never changes a past live session.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from . import kinds
from .kinds.base import (
    DEFAULT_TEXT_LENGTH,
    MAX_OPTIONS,
    MODERATIONS,
    ORIGINS,
    POLARITIES,
    SHOW_RESULTS,
    shown,
)
from .wordfilter import LISTS as WORD_LISTS
from .wordfilter import WordFilter

STATUSES = ("draft", "final")

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

#: branding: the logo's file types (by extension) and its largest size. The logo is kept in the
#: live session's snapshot of the programme (so editing or deleting the file later changes no
#: past session) and every projector loads it; phones show it only when it is small.
LOGO_TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
MAX_LOGO_BYTES = 100 * 1024
#: phones load the logo only up to this size (they are on the room's Wi-Fi, or worse)
PHONE_LOGO_MAX_BYTES = 20 * 1024
THEMES = ("light", "dark")
#: the longest a programme may keep its live sessions' answers (settings.retention_days): ten years
MAX_RETENTION_DAYS = 3650
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: where ``logo: /static/...`` points
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

Text = dict[str, str]


#: the longest a problem's message may be, whatever it quotes
MAX_MESSAGE = 600


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    keep = limit - 40
    return f"{text[: keep - 100]} … ({len(text) - keep:,} characters left out) … {text[-100:]}"


class Problem(str):
    """One problem of a programme file: the message as the programme check prints it
    (``file: where: message``), which is also the value of this string, and its parts for a
    program to act on: ``filename``, ``where`` (the place, as in the message), ``message`` and a
    ``code`` (one of ``PROBLEM_CODES``)."""

    filename: str
    where: str
    message: str
    code: str

    def __new__(cls, filename: str, where: str, message: str, code: str = "invalid") -> Problem:
        self = super().__new__(
            cls, f"{filename}: {where}: {message}" if where else f"{filename}: {message}"
        )
        self.filename, self.where, self.message, self.code = filename, where, message, code
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Problem, (self.filename, self.where, self.message, self.code))


#: what a ``Problem``'s ``code`` says: ``invalid_id`` (not a slug), ``duplicate_id`` (a section,
#: activity or option id given twice), ``logo`` (the branding's logo cannot be used), ``yaml``
#: (not readable as YAML), ``file`` (cannot be read), ``invalid`` (every other problem)
PROBLEM_CODES = ("invalid_id", "duplicate_id", "logo", "yaml", "file", "invalid")


class ProgrammeError(ValueError):
    """A programme file that cannot be used; ``problems`` lists every message (``Problem``
    strings when they come from the validator)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    description: Text | None = None
    placeholder: bool = False
    origin: str | None = None
    polarity: str | None = None


@dataclass(frozen=True)
class Timer:
    seconds: int
    auto_close: bool = True


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    step: int
    slider: bool
    left_label: Text
    right_label: Text
    mid_label: Text | None = None
    placeholder: bool = False

    @property
    def positions(self) -> list[int]:
        """Every value a participant may choose, low to high."""
        return list(range(self.min, self.max + 1, self.step))


@dataclass(frozen=True)
class Why:
    prompt: Text
    max_length: int = DEFAULT_TEXT_LENGTH


@dataclass(frozen=True)
class Reference:
    source: str
    source_name: Text
    values: dict[str, float | None]
    sums_to_100: bool
    unit: str = "percent_reported"
    title: Text | None = None
    n: int | None = None
    year: int | None = None
    notes: Text | None = None


@dataclass(frozen=True)
class Activity:
    id: str
    kind: str
    section_id: str
    title: Text | None = None
    prompt: Text | None = None
    body: Text | None = None
    quotes: tuple[dict[str, Any], ...] = ()
    links: tuple[dict[str, str], ...] = ()
    options: tuple[Option, ...] = ()
    max_choices: int | None = None
    scale: Scale | None = None
    why: Why | None = None
    max_length: int | None = None
    reference: Reference | None = None
    origin: str | None = None
    optional: bool = False
    placeholder: bool = False
    confirm_with: str | None = None
    notes: dict[str, str] | None = None
    show_results: str | None = None
    # word_cloud
    max_words: int | None = None
    # matrix
    items: tuple[Option, ...] = ()
    ratings: tuple[Option, ...] = ()
    # scale: before/after
    compare_with: str | None = None
    # free text: ``before`` (entries wait for the facilitator's approval before they are
    # shown), ``after`` (shown at once unless the word filter holds them back; the facilitator
    # can hide them) or ``none``
    moderation: str = "none"
    #: with moderation ``after``: the programme's word filter
    word_filter: WordFilter | None = None
    #: answering stays open when the facilitator moves on to another activity
    keep_open: bool = False
    presenter_notes: Text | None = None
    timer: Timer | None = None
    #: a profile question: the answer becomes the participant's segment (single_choice only)
    profile: bool = False
    #: a profile question's short name where results are broken down by it ("Province")
    segment_label: Text | None = None
    #: the fields of a kind that has no attribute of its own here (a kind added later keeps
    #: its settings in this plain, JSON-able mapping: ``kinds/<kind>.py`` reads them)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def answerable(self) -> bool:
        return kinds.of(self).answerable

    @property
    def moderated(self) -> bool:
        """Entries wait for the facilitator's approval (moderation ``before``)."""
        return self.moderation == "before"

    @cached_property
    def option_ids(self) -> tuple[str, ...]:
        """The options' ids in order (kept: every answer to a choice is checked against it)."""
        return tuple(o.id for o in self.options)


@dataclass(frozen=True)
class Branding:
    """How the screens look for this programme (``branding`` in the file)."""

    #: accent colour "#rrggbb" (lower case); screens use it where it keeps its contrast
    accent: str | None = None
    #: the projector's theme unless its link says otherwise (``?theme=``)
    theme: str = "light"
    #: the logo as the file names it (``hogent.svg``, ``/static/img/x.png``)
    logo: str | None = None
    logo_type: str | None = None
    #: the logo's bytes (base64), read when the programme was loaded
    logo_data: str | None = None
    logo_sha256: str | None = None

    @property
    def logo_bytes(self) -> bytes:
        return base64.b64decode(self.logo_data) if self.logo_data else b""

    @property
    def logo_size(self) -> int:
        if not self.logo_data:
            return 0
        return len(self.logo_data) * 3 // 4 - self.logo_data[-2:].count("=")


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    activity_ids: tuple[str, ...]
    #: participants move through this section's activities at their own pace
    paced: bool = False


@dataclass(frozen=True)
class Programme:
    id: str
    version: str
    languages: tuple[str, ...]
    default_language: str
    title: Text
    sections: tuple[Section, ...]
    activities: tuple[Activity, ...]
    status: str = "final"
    subtitle: Text | None = None
    credits: tuple[dict[str, str], ...] = ()
    show_results: str = "after_close"
    privacy_threshold: int = 3
    free_text_warning: Text | None = None
    #: every moderated kind's default: ``before``, ``after`` or ``none``
    moderation: str = "before"
    #: what moderation ``after`` holds back
    word_filter: WordFilter = field(default_factory=WordFilter)
    #: dialogue tables in the room (0: none); a live session may set its own number
    tables: int = 0
    #: phones answer the profile questions right after joining, before anything else
    profile_at_join: bool = False
    #: shown on the phone before the first answer (the screens have a generic one otherwise)
    privacy_notice: Text | None = None
    #: days after a live session's end (its start, if never ended) that the server deletes it
    #: with every answer in it
    retention_days: int = 90
    #: logo, accent colour and the projector's default theme
    branding: Branding | None = None
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({a.id: i for i, a in enumerate(self.activities)})

    def activity(self, activity_id: str) -> Activity | None:
        """The activity with that id, or None."""
        i = self._index.get(activity_id)
        return None if i is None else self.activities[i]

    def position(self, activity_id: str) -> int:
        """0-based index of the activity in programme order (ValueError if unknown)."""
        try:
            return self._index[activity_id]
        except KeyError:
            raise ValueError(f"unknown activity {activity_id!r}") from None

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    @property
    def profile_activities(self) -> list[Activity]:
        """The profile questions, in programme order: the segments results can be broken
        down by."""
        return [a for a in self.activities if a.profile]

    def show_results_for(self, activity: Activity) -> str:
        return activity.show_results or self.show_results

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict that ``from_dict`` turns back into an equal programme."""
        return _dump_programme(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Programme:
        return _load_snapshot(data)


# --------------------------------------------------------------------------------- loading


def load_programme(path: str | Path) -> Programme:
    """Read and validate one programme file (a logo it names is read from its folder).

    A file larger than ``yamlsafe.MAX_BYTES`` is refused before it is read. What a file
    parsed to (the programme, or its problems) is kept per file, and reused while the file,
    and the logo it names, have the same inode, change times and size: the control screen
    lists every programme on every load without parsing them again."""
    from .yamlsafe import MAX_BYTES

    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise ProgrammeError(
            [Problem(path.name, "", f"cannot read the file ({exc.strerror})", "file")]
        ) from None
    if stat.st_size > MAX_BYTES:
        raise ProgrammeError(
            [
                Problem(
                    path.name,
                    "file",
                    f"{stat.st_size / 1024:.0f} KB is too big (at most {MAX_BYTES // 1024} KB)",
                    "file",
                )
            ]
        )
    key = str(path.resolve())
    with _parsed_lock:
        hit = _parsed.get(key)
    if hit is not None and hit[0] == _stamp(stat) and all(_stamp_of(f) == s for f, s in hit[1]):
        if isinstance(hit[2], Programme):
            return hit[2]
        raise ProgrammeError(list(hit[2]))
    read: list[Path] = []
    try:
        raw = path.read_text(encoding="utf-8")
        result: Programme | list[str] = parse_programme_text(raw, path.name, path.parent, read)
    except OSError as exc:
        result = [Problem(path.name, "", f"cannot read the file ({exc.strerror})", "file")]
    except UnicodeDecodeError:
        result = [Problem(path.name, "", "the file is not UTF-8 text", "file")]
    except ProgrammeError as exc:
        result = list(exc.problems)
    with _parsed_lock:
        if len(_parsed) >= MAX_PARSED:
            _parsed.clear()
        _parsed[key] = (_stamp(stat), [(f, _stamp_of(f)) for f in read], result)
    if isinstance(result, Programme):
        return result
    raise ProgrammeError(result)


#: parsed programme files: resolved path -> (its stamp, (file read, its stamp) for each logo
#: looked for, the programme or its problems)
_parsed: dict[str, tuple[tuple[int, ...], list[tuple[Path, tuple[int, ...] | None]], Any]] = {}
_parsed_lock = threading.Lock()
MAX_PARSED = 512


def _stamp(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)


def _stamp_of(path: Path) -> tuple[int, ...] | None:
    try:
        return _stamp(path.stat())
    except OSError:
        return None


def parse_programme_text(
    raw: str,
    filename: str = "<programme>",
    base_dir: str | Path | None = None,
    read: list[Path] | None = None,
) -> Programme:
    """Parse YAML text and validate it as a programme; ``base_dir`` is the folder a logo file
    is looked for in (without it, only a ``/static/`` logo can be used). The text is screened
    first (``yamlsafe.screen``: size, tags, nesting depth, anchor bombs, keys twice), so a
    hostile file gets problems, never a RecursionError. ``read`` collects the logo files
    looked for."""
    from .yamlsafe import screen

    problems = screen(raw, filename)
    if problems:
        raise ProgrammeError(list(problems))
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ProgrammeError(
            [Problem(filename, f"not valid YAML{where}", shown(str(problem), 200), "yaml")]
        ) from None
    except RecursionError:  # the screen's depth limit should have caught it first
        raise ProgrammeError(
            [Problem(filename, "file", "nested too deeply to read", "yaml")]
        ) from None
    return parse_programme(data, filename, base_dir, read)


def parse_programme(
    data: Any,
    filename: str = "<programme>",
    base_dir: str | Path | None = None,
    read: list[Path] | None = None,
) -> Programme:
    """Validate already-loaded data; raise ProgrammeError listing every problem (``read``
    collects the logo files looked for)."""
    v = _Validator(filename, None if base_dir is None else Path(base_dir))
    if read is not None:
        v.read = read
    programme = v.programme(data)
    if v.problems or programme is None:
        raise ProgrammeError(v.problems or [f"{filename}: empty programme"])
    return programme


def check_files(paths: list[Path]) -> Iterator[tuple[Path, Programme | None, list[str]]]:
    """Validate several files; yields (path, programme or None, problems)."""
    for path in paths:
        try:
            yield path, load_programme(path), []
        except ProgrammeError as exc:
            yield path, None, exc.problems


class _Validator:
    """Collects problems while walking the data; each check returns a clean value or None."""

    def __init__(self, filename: str, base_dir: Path | None = None):
        self.filename = filename
        self.base_dir = base_dir
        self.problems: list[str] = []
        #: files looked for (a logo), whether found or not: what a cached parse depends on
        self.read: list[Path] = []
        self.languages: tuple[str, ...] = ("nl", "en")
        self.default_moderation = "before"
        self.word_filter = WordFilter()
        self.option_sets: dict[str, tuple[Option, ...]] = {}
        self.sources: dict[str, dict[str, Any]] = {}
        #: checks that need every activity (a kind's ``later``), run once all are read
        self.deferred: list[Callable[[Sequence[Activity]], None]] = []

    def fail(self, where: str, message: str, code: str = "invalid") -> None:
        # a message quotes values (cut short by ``shown``); a hard limit besides, whatever
        # a check quoted
        self.problems.append(
            Problem(self.filename, _cut(where, 200), _cut(message, MAX_MESSAGE), code)
        )

    def later(self, check: Callable[[Sequence[Activity]], None]) -> None:
        self.deferred.append(check)

    # -- generic checks

    def keys(
        self, where: str, data: Mapping[str, Any], required: set[str], allowed: set[str]
    ) -> bool:
        ok = True
        for key in sorted(required - data.keys()):
            self.fail(where, f"missing field '{key}'")
            ok = False
        unknown = sorted(str(k) for k in data.keys() - required - allowed)
        for key in unknown:
            expected = ", ".join(sorted(required | allowed))
            close = difflib.get_close_matches(key, required | allowed, n=1) if len(key) < 80 else []
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.fail(where, f"unknown field {shown(key)} ({hint}expected one of: {expected})")
            ok = False
        return ok

    def mapping(self, where: str, value: Any) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.fail(where, f"expected a mapping of fields, got {_type_name(value)}")
            return None
        return value

    def text(self, where: str, value: Any, *, required: bool = True) -> Text | None:
        if value is None and not required:
            return None
        if not isinstance(value, Mapping):
            self.fail(
                where,
                "expected a text with one entry per language, like "
                f"{{{', '.join(f'{lang}: ...' for lang in self.languages)}}}, "
                f"got {_type_name(value)}",
            )
            return None
        result: Text = {}
        for lang in self.languages:
            s = value.get(lang)
            if not isinstance(s, str) or not s.strip():
                self.fail(
                    where,
                    f"missing or empty '{lang}' text (every text needs "
                    f"{' and '.join(self.languages)})",
                )
            else:
                result[lang] = s.strip("\n") if "\n" in s else s.strip()
        for extra in sorted(str(k) for k in value.keys() - set(self.languages)):
            self.fail(where, f"unknown language '{extra}' (languages: {', '.join(self.languages)})")
        return result if len(result) == len(self.languages) else None

    def slug(self, where: str, value: Any) -> str | None:
        if not isinstance(value, str) or not SLUG.match(value):
            self.fail(
                where,
                f"invalid id {shown(value)} (expected lowercase letters, digits, '-' "
                "or '_', starting with a letter or digit, at most 64 characters)",
                "invalid_id",
            )
            return None
        return value

    def boolean(self, where: str, value: Any, default: bool = False) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(where, f"expected true or false, got {shown(value)}")
            return default
        return value

    def integer(
        self, where: str, value: Any, lo: int | None = None, hi: int | None = None
    ) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"expected a whole number, got {shown(value)}")
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            span = f"from {lo}" if hi is None else f"from {lo} to {hi}"
            self.fail(where, f"{value} is out of range (expected {span})")
            return None
        return value

    def choice(self, where: str, value: Any, allowed: tuple[str, ...]) -> str | None:
        if value not in allowed:
            self.fail(
                where, f"{shown(value)} is not allowed (expected one of: {', '.join(allowed)})"
            )
            return None
        return str(value)

    # -- the programme

    def programme(self, data: Any) -> Programme | None:
        if data is None:
            self.fail("file", "the file is empty (expected a mapping with a 'programme' key)")
            return None
        top = self.mapping("file", data)
        if top is None:
            return None
        if not self.keys("file", top, {"programme"}, set()):
            return None
        p = self.mapping("programme", top["programme"])
        if p is None:
            return None
        self.keys(
            "programme",
            p,
            {"id", "version", "languages", "default_language", "title", "sections"},
            {
                "status",
                "subtitle",
                "credits",
                "settings",
                "option_sets",
                "reference_sources",
                "notes",
                "branding",
            },
        )
        pid = self.slug("programme.id", p.get("id"))
        version = p.get("version")
        if not isinstance(version, str) or not version.strip():
            hint = (
                " (put quotes around it: YAML reads 1.10 as the number 1.1)"
                if isinstance(version, int | float) and not isinstance(version, bool)
                else ""
            )
            self.fail(
                "programme.version",
                f'expected a version string like "1.0", got {shown(version)}{hint}',
            )
            version = None
        languages = p.get("languages")
        if (
            not isinstance(languages, list)
            or not languages
            or not all(isinstance(x, str) and re.fullmatch(r"[a-z]{2}", x) for x in languages)
            or len(set(languages)) != len(languages)
        ):
            self.fail(
                "programme.languages",
                f"expected a list of distinct two-letter language "
                f"codes like [nl, en], got {shown(languages)}",
            )
        else:
            self.languages = tuple(languages)
        default_language = p.get("default_language")
        if default_language not in self.languages:
            self.fail(
                "programme.default_language",
                f"{shown(default_language)} is not one of the languages {list(self.languages)}",
            )
        title = self.text("programme.title", p.get("title"))
        subtitle = self.text("programme.subtitle", p.get("subtitle"), required=False)
        status = (
            "final"
            if p.get("status") is None
            else self.choice("programme.status", p.get("status"), STATUSES)
        )
        credits = self.credits(p.get("credits"))
        branding = self.branding(p["branding"]) if "branding" in p else None
        settings = self.settings(p.get("settings"))
        self.default_moderation = settings.get("moderation", "before")
        self.word_filter = settings.get("word_filter", WordFilter())
        self.option_sets = self.check_option_sets(p.get("option_sets"))
        self.sources = self.check_sources(p.get("reference_sources"))

        sections: list[Section] = []
        activities: list[Activity] = []
        raw_sections = p.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.fail("programme.sections", "expected a non-empty list of sections")
            raw_sections = []
        seen_sections: set[str] = set()
        seen_activities: set[str] = set()
        for i, raw in enumerate(raw_sections):
            where = f"section #{i + 1}"
            s = self.mapping(where, raw)
            if s is None:
                continue
            sid = self.slug(f"{where}.id", s.get("id"))
            if sid:
                where = f"section '{sid}'"
                if sid in seen_sections:
                    self.fail(
                        where,
                        f"duplicate section id '{sid}' (expected each id once)",
                        "duplicate_id",
                    )
                seen_sections.add(sid)
            self.keys(where, s, {"id", "title", "activities"}, {"notes", "paced"})
            paced = self.boolean(f"{where}.paced", s.get("paced"))
            stitle = self.text(f"{where}.title", s.get("title"))
            raw_acts = s.get("activities")
            if not isinstance(raw_acts, list) or not raw_acts:
                self.fail(f"{where}.activities", "expected a non-empty list of activities")
                raw_acts = []
            ids: list[str] = []
            for j, raw_act in enumerate(raw_acts):
                act = self.activity(raw_act, f"{where}, activity #{j + 1}", sid or "?")
                if act is None:
                    continue
                if act.id in seen_activities:
                    self.fail(
                        f"activity '{act.id}'",
                        f"duplicate activity id '{act.id}' (expected each id once in "
                        "the programme)",
                        "duplicate_id",
                    )
                    continue
                seen_activities.add(act.id)
                activities.append(act)
                ids.append(act.id)
            if sid and stitle:
                sections.append(Section(sid, stitle, tuple(ids), paced))

        for check in self.deferred:
            check(activities)
        if self.problems or not (pid and version is not None and title):
            return None
        return Programme(
            id=pid,
            version=str(version),
            languages=self.languages,
            default_language=str(default_language),
            title=title,
            subtitle=subtitle,
            status=status or "final",
            credits=credits,
            sections=tuple(sections),
            activities=tuple(activities),
            branding=branding,
            **settings,
        )

    def credits(self, value: Any) -> tuple[dict[str, str], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail("programme.credits", "expected a list of {role, name}")
            return ()
        out = []
        for i, c in enumerate(value):
            where = f"programme.credits[{i}]"
            m = self.mapping(where, c)
            if m is None or not self.keys(where, m, {"role", "name"}, set()):
                continue
            if not all(isinstance(m[k], str) for k in ("role", "name")):
                self.fail(where, "role and name must be strings")
                continue
            out.append({"role": m["role"], "name": m["name"]})
        return tuple(out)

    # -- branding: logo, accent colour, the projector's theme

    def branding(self, value: Any) -> Branding | None:
        where = "programme.branding"
        b = self.mapping(where, value)
        if b is None:
            return None
        self.keys(where, b, set(), {"logo", "accent", "theme"})
        accent = None
        if "accent" in b:
            accent = self.colour(f"{where}.accent", b["accent"])
        theme = "light"
        if "theme" in b:
            theme = self.choice(f"{where}.theme", b["theme"], THEMES) or "light"
        logo: dict[str, str] = {}
        if "logo" in b:
            first = len(self.problems)
            logo = self.logo(f"{where}.logo", b["logo"]) or {}
            self.problems[first:] = [
                Problem(p.filename, p.where, p.message, "logo") if isinstance(p, Problem) else p
                for p in self.problems[first:]
            ]
        return Branding(accent=accent, theme=theme, **logo)

    def colour(self, where: str, value: Any) -> str | None:
        if value is None:
            self.fail(
                where,
                "is empty: in YAML an unquoted # starts a comment, so write the "
                'colour in quotes, like accent: "#0B57A4"',
            )
            return None
        if not isinstance(value, str) or not COLOUR.match(value.strip()):
            self.fail(
                where,
                'expected a colour like "#0B57A4" (# and six hexadecimal digits), '
                f"got {shown(value)}",
            )
            return None
        return value.strip().lower()

    def logo(self, where: str, value: Any) -> dict[str, str] | None:
        """Check the logo's path, type, size and content; its bytes go into the programme."""
        if not isinstance(value, str) or not value.strip():
            self.fail(
                where,
                f'expected the name of an image file, like "logo.svg" (next to '
                f'the programme) or "/static/img/logo.png", got {_describe(value)}',
            )
            return None
        name = value.strip()
        suffix = Path(name).suffix.lower()
        if suffix not in LOGO_TYPES:
            self.fail(
                where,
                f"{shown(name)} is not an image type the screens show (expected a file "
                f"ending in {', '.join(LOGO_TYPES)})",
            )
            return None
        path = self.logo_path(where, name)
        if path is None:
            return None
        try:
            size = path.stat().st_size
            if size > MAX_LOGO_BYTES:
                self.fail(
                    where,
                    f"{shown(name)} is {size / 1024:.0f} KB (at most "
                    f"{MAX_LOGO_BYTES // 1024} KB: every screen loads it; an SVG or a "
                    "small PNG will do)",
                )
                return None
            data = path.read_bytes()
        except OSError as exc:
            self.fail(where, f"cannot read {shown(name)} ({exc.strerror})")
            return None
        problem = image_problem(suffix, data)
        if problem:
            self.fail(where, f"{shown(name)} {problem}")
            return None
        return {
            "logo": name,
            "logo_type": LOGO_TYPES[suffix],
            "logo_data": base64.b64encode(data).decode("ascii"),
            "logo_sha256": hashlib.sha256(data).hexdigest(),
        }

    def logo_path(self, where: str, name: str) -> Path | None:
        """The file a logo names, if it is a safe path that exists: a file in the programme's
        folder (or below it), or one under static/ (``/static/...``)."""
        parts = name.replace("\\", "/").split("/")
        unsafe = (
            "\\" in name
            or ":" in name
            or name.startswith("~")
            or any(p in ("..", ".") for p in parts)
            or "//" in name
        )
        if name.startswith("/static/") and not unsafe:
            root, rel = STATIC_DIR, name[len("/static/") :]
            place = "static/"
        elif name.startswith("/") or unsafe:
            self.fail(
                where,
                f"{shown(name)} is not a safe path: name a file in the programme's "
                'folder (or a folder below it), like "logos/hogent.svg", or one under '
                "/static/, without '..', '~', '\\', ':' or a leading '/'",
            )
            return None
        elif self.base_dir is None:
            self.fail(
                where,
                f"{shown(name)} cannot be found: this programme was not read from a "
                "file, so it has no folder (use a /static/ path)",
            )
            return None
        else:
            root, rel, place = self.base_dir, name, f"{self.base_dir.name}/"
        path = root / rel
        self.read.append(path)
        try:
            inside = path.resolve().is_relative_to(root.resolve())
        except OSError:
            inside = False
        if not inside:
            self.fail(
                where,
                f"{shown(name)} leads outside {place} (a link?): copy the image into the "
                "folder instead",
            )
            return None
        if not path.is_file():
            self.fail(where, f"file {shown(name)} not found in {place}")
            return None
        return path

    def settings(self, value: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if value is None:
            return out
        s = self.mapping("programme.settings", value)
        if s is None:
            return out
        self.keys(
            "programme.settings",
            s,
            set(),
            {
                "show_results",
                "privacy_threshold",
                "free_text_warning",
                "moderation",
                "word_filter",
                "tables",
                "profile_at_join",
                "privacy_notice",
                "retention_days",
            },
        )
        if "retention_days" in s:
            days = self.integer(
                "programme.settings.retention_days", s["retention_days"], 1, MAX_RETENTION_DAYS
            )
            if days is not None:
                out["retention_days"] = days
        if "privacy_notice" in s:
            out["privacy_notice"] = self.text(
                "programme.settings.privacy_notice", s["privacy_notice"]
            )
        if "tables" in s:
            t = self.integer("programme.settings.tables", s["tables"], 0, 200)
            if t is not None:
                out["tables"] = t
        if "profile_at_join" in s:
            out["profile_at_join"] = self.boolean(
                "programme.settings.profile_at_join", s["profile_at_join"]
            )
        if "moderation" in s:
            m = self.moderation("programme.settings.moderation", s["moderation"])
            if m:
                out["moderation"] = m
        if "word_filter" in s:
            wf = self.check_word_filter("programme.settings.word_filter", s["word_filter"])
            if wf is not None:
                out["word_filter"] = wf
        if "show_results" in s:
            sr = self.choice("programme.settings.show_results", s["show_results"], SHOW_RESULTS)
            if sr:
                out["show_results"] = sr
        if "privacy_threshold" in s:
            t = self.integer("programme.settings.privacy_threshold", s["privacy_threshold"], 1, 100)
            if t is not None:
                out["privacy_threshold"] = t
        if "free_text_warning" in s:
            out["free_text_warning"] = self.text(
                "programme.settings.free_text_warning", s["free_text_warning"]
            )
        return out

    def moderation(self, where: str, value: Any) -> str | None:
        """``before``, ``after`` or ``none``; ``true`` and ``false`` (the format's first
        spelling) are read as ``before`` and ``none``."""
        if isinstance(value, bool):
            return "before" if value else "none"
        return self.choice(where, value, MODERATIONS)

    def check_word_filter(self, where: str, value: Any) -> WordFilter | None:
        m = self.mapping(where, value)
        if m is None or not self.keys(where, m, set(), {"lists", "add", "allow"}):
            return None
        out: dict[str, tuple[str, ...]] = {}
        for key in ("lists", "add", "allow"):
            if key not in m:
                continue
            items = m[key]
            if not isinstance(items, list) or not all(
                isinstance(w, str) and w.strip() and len(w) <= 100 for w in items
            ):
                self.fail(
                    f"{where}.{key}",
                    f"expected a list of words (each 1 to 100 characters), got {_describe(items)}",
                )
                return None
            if key == "lists":
                unknown = [w for w in items if w not in WORD_LISTS]
                if unknown:
                    self.fail(
                        f"{where}.lists",
                        f"unknown list {unknown[0]!r} (lists: {', '.join(WORD_LISTS)})",
                    )
                    return None
            out[key] = tuple(w.strip() for w in items)
        return WordFilter(**out)

    def check_option_sets(self, value: Any) -> dict[str, tuple[Option, ...]]:
        out: dict[str, tuple[Option, ...]] = {}
        if value is None:
            return out
        m = self.mapping("programme.option_sets", value)
        if m is None:
            return out
        for name, opts in m.items():
            where = f"option set '{name}'"
            if self.slug(where, name) is None:
                continue
            parsed = self.options(where, opts, 1, MAX_OPTIONS)
            if parsed is not None:
                out[name] = parsed
        return out

    def options(
        self,
        path: str,
        value: Any,
        lo: int = 2,
        hi: int = MAX_OPTIONS,
        polarity: bool = False,
        noun: str = "options",
    ) -> tuple[Option, ...] | None:
        """A list of options at ``path`` (``path[i]`` for each), ``lo`` to ``hi`` of them."""
        if not isinstance(value, list) or not (lo <= len(value) <= hi):
            self.fail(path, f"expected a list of {lo} to {hi} {noun}, got {_describe(value)}")
            return None
        out: list[Option] = []
        seen: set[str] = set()
        langs = set(self.languages)
        for i, raw in enumerate(value):
            w = f"{path}[{i}]"
            m = self.mapping(w, raw)
            if m is None:
                continue
            extra = {"polarity"} if polarity else set()
            self.keys(
                w, m, {"id"} | langs, {"description", "placeholder", "origin", "notes"} | extra
            )
            oid = self.slug(f"{w}.id", m.get("id"))
            if oid and oid in seen:
                self.fail(
                    w, f"duplicate option id '{oid}' (expected each option id once)", "duplicate_id"
                )
                oid = None
            label = self.text(f"{w} label", {k: m.get(k) for k in self.languages})
            desc = self.text(f"{w}.description", m.get("description"), required=False)
            origin = (
                None
                if m.get("origin") is None
                else self.choice(f"{w}.origin", m.get("origin"), ORIGINS)
            )
            pol = None
            if polarity:
                pol = self.choice(f"{w}.polarity", m.get("polarity", "neutral"), POLARITIES)
            if oid and label:
                seen.add(oid)
                out.append(
                    Option(
                        oid,
                        label,
                        desc,
                        self.boolean(f"{w}.placeholder", m.get("placeholder")),
                        origin,
                        pol,
                    )
                )
        return tuple(out) if len(out) == len(value) else None

    def option_list(
        self,
        path: str,
        value: Any,
        option_sets: dict[str, tuple[Option, ...]],
        lo: int = 2,
        hi: int = MAX_OPTIONS,
        noun: str = "options",
    ) -> tuple[Option, ...] | None:
        """Options given inline or as the name of an option set."""
        if isinstance(value, str):
            if value not in option_sets:
                self.fail(
                    path,
                    f"unknown option set '{value}' (defined: "
                    f"{', '.join(sorted(option_sets)) or 'none'})",
                )
                return None
            options = option_sets[value]
            if not lo <= len(options) <= hi:
                self.fail(
                    path, f"option set '{value}' has {len(options)} {noun} (expected {lo} to {hi})"
                )
                return None
            return options
        return self.options(path, value, lo, hi, noun=noun)

    def check_sources(self, value: Any) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        if value is None:
            return out
        m = self.mapping("programme.reference_sources", value)
        if m is None:
            return out
        for key, raw in m.items():
            where = f"reference source '{key}'"
            s = self.mapping(where, raw)
            if s is None or self.slug(where, key) is None:
                continue
            self.keys(where, s, {"name"}, {"n", "year", "coverage", "confirm_with", "notes"})
            name = self.text(f"{where}.name", s.get("name"))
            n = None if s.get("n") is None else self.integer(f"{where}.n", s.get("n"), 1)
            year = (
                None
                if s.get("year") is None
                else self.integer(f"{where}.year", s.get("year"), 1900, 2100)
            )
            if name:
                out[key] = {"name": name, "n": n, "year": year}
        return out

    # -- activities

    def activity(self, raw: Any, where: str, section_id: str) -> Activity | None:
        a = self.mapping(where, raw)
        if a is None:
            return None
        aid = self.slug(f"{where}.id", a.get("id"))
        if aid:
            where = f"activity '{aid}'"
        before = len(self.problems)
        kind = kinds.get(a["kind"]) if isinstance(a.get("kind"), str) else None
        if kind is None:
            name = a.get("kind")
            if "type" in a and name is None:
                self.fail(where, "missing field 'kind' (this format says 'kind', not 'type')")
            else:
                self.fail(
                    f"{where}.kind",
                    f"{shown(name)} is not a known kind "
                    f"(expected one of: {', '.join(kinds.names())})",
                )
            return None
        self.keys(where, a, {"id", "kind"}, {f.name for f in kind.all_fields()})
        f: dict[str, Any] = {}
        f["title"] = self.text(f"{where}.title", a.get("title"), required=not kind.answerable)
        f["prompt"] = self.text(f"{where}.prompt", a.get("prompt"), required=kind.answerable)
        if a.get("origin") is not None:
            f["origin"] = self.choice(f"{where}.origin", a.get("origin"), ORIGINS)
        f["optional"] = self.boolean(f"{where}.optional", a.get("optional"))
        f["placeholder"] = self.boolean(f"{where}.placeholder", a.get("placeholder"))
        if a.get("confirm_with") is not None:
            if not isinstance(a["confirm_with"], str):
                self.fail(f"{where}.confirm_with", "expected a string")
            else:
                f["confirm_with"] = a["confirm_with"]
        if a.get("notes") is not None:
            notes = a["notes"]
            if not isinstance(notes, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in notes.items()
            ):
                self.fail(
                    f"{where}.notes", "expected a mapping of language to text, like {en: ...}"
                )
            else:
                f["notes"] = dict(notes)
        if a.get("show_results") is not None:
            f["show_results"] = self.choice(
                f"{where}.show_results", a["show_results"], SHOW_RESULTS
            )
        f["presenter_notes"] = self.text(
            f"{where}.presenter_notes", a.get("presenter_notes"), required=False
        )
        if a.get("timer") is not None:
            f["timer"] = self.timer(f"{where}.timer", a["timer"])
        if kind.moderates:
            f["moderation"] = (
                self.default_moderation
                if a.get("moderation") is None
                else self.moderation(f"{where}.moderation", a["moderation"])
            )
            if f["moderation"] == "after":
                f["word_filter"] = self.word_filter
        if kind.answerable:
            f["keep_open"] = self.boolean(f"{where}.keep_open", a.get("keep_open"))
        f.update(kind.validate(self, a, where))

        if len(self.problems) != before or not aid:
            return None
        known = {k: v for k, v in f.items() if v is not None and k in _ACTIVITY_FIELDS}
        settings = {k: v for k, v in f.items() if v is not None and k not in _ACTIVITY_FIELDS}
        return Activity(id=aid, kind=kind.name, section_id=section_id, settings=settings, **known)

    def timer(self, where: str, value: Any) -> Timer | None:
        m = self.mapping(where, value)
        if m is None:
            return None
        self.keys(where, m, {"seconds"}, {"auto_close"})
        seconds = self.integer(f"{where}.seconds", m.get("seconds"), 5, 3600)
        auto_close = self.boolean(f"{where}.auto_close", m.get("auto_close"), True)
        return None if seconds is None else Timer(seconds, auto_close)


_ACTIVITY_FIELDS = frozenset(f.name for f in dataclass_fields(Activity)) - {"settings"}


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


_SVG_ROOT = re.compile(
    r"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE\s+svg[^>\[]*>\s*)?"
    r"(<!--.*?-->\s*)*<svg[\s>]",
    re.S | re.I,
)
_SVG_UNSAFE = (
    (re.compile(r"<\s*script", re.I), "contains a <script>"),
    (re.compile(r"<\s*foreignObject", re.I), "contains a <foreignObject>"),
    (re.compile(r"<!ENTITY", re.I), "declares XML entities"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "has an event handler attribute (on...=)"),
    (re.compile(r"javascript:", re.I), "contains a javascript: address"),
    (
        re.compile(r"""(?:href|src)\s*=\s*["']\s*(?:[a-z][a-z0-9+.-]*:|//)(?!#)""", re.I),
        "loads something from another address (href or src with a scheme)",
    ),
)


def image_problem(suffix: str, data: bytes) -> str | None:
    """Why ``data`` is not an image of the type its file name's ``suffix`` (``.png``, ``.svg``,
    ... as in ``LOGO_TYPES``) says, or not safe to show on the screens (an SVG with scripts,
    event handlers or outside references); None when it is fine. The programme check's test of
    a logo's content, and the editor's of an uploaded one."""
    if not data:
        return "is empty"
    if suffix == ".png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "is not a PNG image (its first bytes say otherwise)"
    if suffix in (".jpg", ".jpeg") and not data.startswith(b"\xff\xd8\xff"):
        return "is not a JPEG image (its first bytes say otherwise)"
    if suffix == ".webp" and not (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "is not a WebP image (its first bytes say otherwise)"
    if suffix == ".svg":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return "is not an SVG image (not UTF-8 text)"
        for pattern, what in _SVG_UNSAFE:
            if pattern.search(text):
                return f"{what}: remove it (the screens show the logo as a plain image)"
        if not _SVG_ROOT.match(text):
            return "is not an SVG image (expected an <svg> element first)"
    return None


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return _type_name(value)


# ------------------------------------------------------------------------------- snapshots


def _dump_programme(p: Programme) -> dict[str, Any]:
    from dataclasses import asdict

    d = asdict(p)
    d.pop("_index", None)
    for a in d["activities"]:
        if not a["settings"]:  # the built-in kinds keep theirs in attributes
            del a["settings"]
    return d


def _load_snapshot(d: Mapping[str, Any]) -> Programme:
    def opt(o: Mapping[str, Any]) -> Option:
        return Option(**o)

    def act(a: Mapping[str, Any]) -> Activity:
        a = dict(a)
        a["options"] = tuple(opt(o) for o in a.get("options", ()))
        a["items"] = tuple(opt(o) for o in a.get("items", ()))
        a["ratings"] = tuple(opt(o) for o in a.get("ratings", ()))
        if a.get("timer"):
            a["timer"] = Timer(**a["timer"])
        a["quotes"] = tuple(a.get("quotes", ()))
        a["links"] = tuple(a.get("links", ()))
        if a.get("scale"):
            a["scale"] = Scale(**a["scale"])
        if a.get("why"):
            a["why"] = Why(**a["why"])
        if a.get("reference"):
            a["reference"] = Reference(**a["reference"])
        if "moderated" in a:  # a snapshot from before moderation had three values
            a["moderation"] = "before" if a.pop("moderated") else "none"
        if a.get("word_filter"):
            a["word_filter"] = _word_filter(a["word_filter"])
        return Activity(**a)

    d = dict(d)
    d["sections"] = tuple(
        Section(s["id"], s["title"], tuple(s["activity_ids"]), s.get("paced", False))
        for s in d["sections"]
    )
    d["activities"] = tuple(act(a) for a in d["activities"])
    d["languages"] = tuple(d["languages"])
    d["credits"] = tuple(d.get("credits", ()))
    if d.get("branding"):
        d["branding"] = Branding(**d["branding"])
    if isinstance(d.get("moderation"), bool):  # a snapshot from before the three values
        d["moderation"] = "before" if d["moderation"] else "none"
    if d.get("word_filter") is not None:
        d["word_filter"] = _word_filter(d["word_filter"])
    return Programme(**d)


def _word_filter(d: Mapping[str, Any]) -> WordFilter:
    return WordFilter(**{k: tuple(v) for k, v in d.items()})
