"""The editor's use cases on the programmes folder: list, load, check, save with a version
check, history, diff, restore, upload, duplicate, create, delete, logo upload.

Pure core: no Flask. The files stay the source of truth: every save writes the YAML file in the
programmes folder (atomically: a temporary file, then ``os.replace``), merged into the file's
round-trip tree so a hand-written file keeps its comments and key order where nothing changed.
Every version is kept under ``<folder>/.history/<stem>/`` with a log of who saved it and when.

Every check of a programme's content is ``facilitator.programme.parse_programme_text``, the code
behind ``flask --app app programmes check``; ``yamlio.screen`` only refuses what must not be
parsed at all (too big, tags, anchor bombs, deep nesting).
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from ..programme import (
    LOGO_TYPES,
    MAX_LOGO_BYTES,
    SLUG,
    Problem,
    ProgrammeError,
    image_problem,
    parse_programme_text,
)
from . import yamlio

HISTORY = ".history"
_LOCK = threading.Lock()
_WHERE = re.compile(r"^(?P<file>[^:]*): (?P<where>.*?): (?P<message>.*)$", re.S)


class EditorError(Exception):
    """Refused: nothing was written. ``problems`` are messages naming the field."""

    def __init__(self, problems: list[str], status: int = 422):
        self.problems = problems
        self.status = status
        super().__init__("\n".join(problems))


class NotFound(EditorError):
    def __init__(self, stem: str):
        super().__init__([f"there is no programme called {stem[:64]!r}"], 404)


class Stale(EditorError):
    """The file changed since the editor loaded it: who saved what, and when."""

    def __init__(self, current: str, saved_by: str, saved_at: str, diff: str):
        self.current = current
        self.saved_by = saved_by
        self.saved_at = saved_at
        self.diff = diff
        super().__init__(
            [
                f"this programme was changed by {saved_by} at {saved_at} after you "
                "opened it; your changes were not saved"
            ],
            409,
        )


@dataclass
class Entry:
    stem: str
    file: str
    version: str  # content hash
    modified: str  # ISO time, UTC
    valid: bool
    problems: list[str]
    title: dict[str, str] | None = None
    label: str | None = None  # the programme's own version label
    status: str | None = None
    activities: int = 0


@dataclass
class Loaded:
    stem: str
    text: str
    data: Any
    version: str
    problems: list[dict[str, Any]]


@dataclass
class Saved:
    stem: str
    version: str
    problems: list[dict[str, Any]]
    changed: bool = True


@dataclass
class HistoryEntry:
    version: str
    time: str
    author: str
    action: str
    current: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def content_version(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_stem(stem: str) -> str:
    if not isinstance(stem, str) or not SLUG.match(stem):
        raise EditorError(
            [
                f"file name: {str(stem)[:64]!r} is not a valid name (expected "
                "lowercase letters, digits, '-' or '_', starting with a letter or "
                "digit, at most 64 characters)"
            ],
            400,
        )
    return stem


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ----------------------------------------------------------------------- problems with paths


def locate(where: str, data: Any) -> list[Any]:
    """A problem's place as the programme check names it (``activity 'x'.options[1].id``,
    ``section 's', activity #2.prompt``, ``programme.branding.accent``) turned into a path in
    the data (``["programme", "sections", 0, "activities", 3, "options", 1, "id"]``)."""
    prog = data.get("programme") if isinstance(data, dict) else None
    sections = prog.get("sections") if isinstance(prog, dict) else None
    sections = sections if isinstance(sections, list) else []
    path: list[Any] = []
    rest = where
    m = re.match(r"section '([^']*)'|section #(\d+)", rest)
    if m:
        index = (
            int(m.group(2)) - 1
            if m.group(2)
            else next(
                (
                    i
                    for i, s in enumerate(sections)
                    if isinstance(s, dict) and s.get("id") == m.group(1)
                ),
                None,
            )
        )
        if index is None:
            return ["programme", "sections"]
        path = ["programme", "sections", index]
        rest = rest[m.end() :]
        m = re.match(r", activity #(\d+)", rest)
        if m:
            path += ["activities", int(m.group(1)) - 1]
            rest = rest[m.end() :]
    elif m := re.match(r"activity '([^']*)'", rest):
        found = None
        for i, s in enumerate(sections):
            acts = s.get("activities") if isinstance(s, dict) else None
            for j, a in enumerate(acts if isinstance(acts, list) else []):
                if isinstance(a, dict) and a.get("id") == m.group(1):
                    found = ["programme", "sections", i, "activities", j]
        path = found or ["programme", "sections"]
        rest = rest[m.end() :]
    elif m := re.match(r"option set '([^']*)'", rest):
        path = ["programme", "option_sets", m.group(1)]
        rest = rest[m.end() :]
    elif m := re.match(r"reference source '([^']*)'", rest):
        path = ["programme", "reference_sources", m.group(1)]
        rest = rest[m.end() :]
    elif rest.startswith("programme"):
        path = ["programme"]
        rest = rest[len("programme") :]
    for part in re.finditer(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]", rest):
        path.append(int(part.group(2)) if part.group(2) else part.group(1))
    if rest.endswith(" label"):  # an option's label: its language keys
        path.append("label")
    return path


def problems_with_paths(messages: list[str], data: Any) -> list[dict[str, Any]]:
    """The check's problems as the editor shows them: ``path`` in the data, ``where`` and
    ``message`` (the parts of the printed ``text``) and the problem's ``code``."""
    out = []
    for msg in messages:
        if isinstance(msg, Problem):
            where, text, code = msg.where or "file", msg.message, msg.code
        else:  # pragma: no cover - every problem of the check and the screen is a Problem
            m = _WHERE.match(msg)
            where, text = (m.group("where"), m.group("message")) if m else ("file", msg)
            code = "invalid"
        out.append(
            {
                "path": locate(where, data),
                "where": where,
                "message": text,
                "code": code,
                "text": str(msg),
            }
        )
    return out


#: problems that stop a save even as a draft: what the editor and the results are keyed on
#: (ids), a logo that is not a usable image, and a file that is not YAML at all
BLOCKING = frozenset({"invalid_id", "duplicate_id", "logo", "yaml", "file"})


def _blocking(problem: dict[str, Any]) -> bool:
    return problem["code"] in BLOCKING


# -------------------------------------------------------------------------------- library


class Library:
    """The programmes in ``folder`` (the app's PROGRAMMES_DIR)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    # -- paths and locking

    def path(self, stem: str) -> Path:
        return self.folder / f"{check_stem(stem)}.yaml"

    def _existing(self, stem: str) -> Path:
        check_stem(stem)
        for suffix in (".yaml", ".yml"):
            p = self.folder / f"{stem}{suffix}"
            if p.is_file():
                return p
        raise NotFound(stem)

    def _history_dir(self, stem: str) -> Path:
        return self.folder / HISTORY / check_stem(stem)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time, across threads and processes (a lock on the folder itself,
        so that a refused request creates nothing)."""
        with _LOCK:
            fd = os.open(self.folder, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # releases the lock

    # -- reading

    def files(self) -> list[Path]:
        return sorted(p for p in self.folder.glob("*.y*ml") if p.is_file())

    def entries(self) -> list[Entry]:
        out = []
        for p in self.files():
            text = p.read_text(encoding="utf-8", errors="replace")
            entry = Entry(
                stem=p.stem,
                file=p.name,
                version=content_version(text),
                modified=datetime.fromtimestamp(p.stat().st_mtime, UTC).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                ),
                valid=False,
                problems=[],
            )
            problems = yamlio.screen(text, p.name)
            if not problems:
                try:
                    prog = parse_programme_text(text, p.name, p.parent)
                    entry.valid = True
                    entry.title, entry.label, entry.status = prog.title, prog.version, prog.status
                    entry.activities = len(prog.activities)
                except ProgrammeError as exc:
                    problems = exc.problems
                    self._summary_from_raw(entry, text)
            entry.problems = problems
            out.append(entry)
        return out

    @staticmethod
    def _summary_from_raw(entry: Entry, text: str) -> None:
        """Title, label, status and activity count of a file with problems, as far as known."""
        try:
            data = yaml.safe_load(text)
            p = data["programme"]
            title = p.get("title")
            entry.title = title if isinstance(title, dict) else None
            entry.label = str(p.get("version")) if p.get("version") is not None else None
            entry.status = p.get("status") or "final"
            entry.activities = sum(
                len(s.get("activities") or [])
                for s in p.get("sections") or []
                if isinstance(s, dict)
            )
        except Exception:  # noqa: BLE001 - a summary only; the problems say what is wrong
            pass

    def load(self, stem: str) -> Loaded:
        path = self._existing(stem)
        text = path.read_text(encoding="utf-8")
        screened = yamlio.screen(text, path.name)
        if screened:
            raise EditorError(screened)
        data = yaml.safe_load(text)
        return Loaded(
            stem=stem,
            text=text,
            data=_jsonable(data),
            version=content_version(text),
            problems=self._check(text, path.name, data),
        )

    def check(self, data: Any, stem: str = "draft") -> list[dict[str, Any]]:
        """The programme check's problems for data the editor holds (nothing is written)."""
        text = self._render(None, data)
        screened = yamlio.screen(text, f"{stem}.yaml")
        if screened:
            return problems_with_paths(screened, data)
        return self._check(text, f"{stem}.yaml", data)

    def _check(self, text: str, filename: str, data: Any) -> list[dict[str, Any]]:
        try:
            parse_programme_text(text, filename, self.folder)
        except ProgrammeError as exc:
            return problems_with_paths(exc.problems, data)
        return []

    # -- writing

    def _render(self, old_text: str | None, data: Any) -> str:
        """YAML text for ``data``: merged into the old file's tree (comments and order kept)."""
        if not isinstance(data, dict):
            raise EditorError(["file: expected a mapping with a 'programme' key"], 400)
        if old_text is not None and not yamlio.screen(old_text):
            doc = yamlio.load_roundtrip(old_text)
            if isinstance(doc, dict):
                return yamlio.dump(yamlio.merge(doc, data))
        return yamlio.dump(yamlio.merge(None, data))

    def save(
        self,
        stem: str,
        *,
        base_version: str | None,
        author: str,
        data: Any = None,
        text: str | None = None,
        action: str = "save",
        create: bool = False,
    ) -> Saved:
        """Write the programme (``data`` from the editor, or ``text`` as uploaded). Refused
        (EditorError, nothing written) when unsafe or when ids or the logo are wrong; Stale
        when the file is no longer ``base_version``. Other problems are returned: a draft may
        be saved with them (it cannot be started)."""
        author = (author or "").strip()[:80] or "a facilitator"
        path = self.path(stem)
        with self._locked():
            old_path = next((p for p in (path, path.with_suffix(".yml")) if p.is_file()), None)
            old_text = old_path.read_text(encoding="utf-8") if old_path else None
            if create and old_text is not None:
                raise EditorError(
                    [f"file name: a programme called {stem!r} exists already: choose another name"],
                    409,
                )
            if not create and old_text is None:
                raise NotFound(stem)
            if old_text is not None and base_version != content_version(old_text):
                raise self._stale(stem, old_text, base_version)
            if text is None:
                text = self._render(old_text, data)
            screened = yamlio.screen(text, path.name)
            if screened:
                raise EditorError(screened)
            data = yaml.safe_load(text)
            problems = self._check(text, path.name, data)
            blocking = [p["text"] for p in problems if _blocking(p)]
            if blocking:
                raise EditorError(blocking)
            if old_text == text:
                return Saved(stem, content_version(text), problems, changed=False)
            if old_text is not None:
                self._archive(stem, old_text, "before")
            target = old_path or path
            atomic_write(target, text.encode("utf-8"))
            version = self._archive(stem, text, action, author)
            return Saved(stem, version, problems)

    def _archive(self, stem: str, text: str, action: str, author: str | None = None) -> str:
        """Keep ``text`` in the history (once per content) and log who saved it."""
        folder = self._history_dir(stem)
        version = content_version(text)
        copy = folder / f"{version}.yaml"
        if not copy.exists():
            atomic_write(copy, text.encode("utf-8"))
        if author is None:
            if any(e.version == version for e in self._log(stem)):
                return version
            author, action = "", "found"  # written by hand, outside the editor
        with open(folder / "log.jsonl", "a", encoding="utf-8") as f:
            f.write(
                json.dumps({"version": version, "time": _now(), "author": author, "action": action})
                + "\n"
            )
        return version

    def _log(self, stem: str) -> list[HistoryEntry]:
        log = self._history_dir(stem) / "log.jsonl"
        if not log.exists():
            return []
        out = []
        for line in log.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError, TypeError, KeyError):
                d = json.loads(line)
                out.append(HistoryEntry(d["version"], d["time"], d["author"], d["action"]))
        return out

    def _stale(self, stem: str, current_text: str, base_version: str | None) -> Stale:
        version = content_version(current_text)
        saved = [e for e in self._log(stem) if e.version == version and e.author]
        by, at = (
            (saved[-1].author, saved[-1].time)
            if saved
            else (
                "someone outside the editor (the file was changed on disk)",
                datetime.fromtimestamp(self._existing(stem).stat().st_mtime, UTC).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                ),
            )
        )
        base = self.version_text(stem, base_version) if base_version else None
        diff = unified_diff(
            base or "", current_text, f"{stem} (the version you opened)", f"{stem} (saved by {by})"
        )
        return Stale(version, by, at, diff)

    # -- history

    def history(self, stem: str) -> list[HistoryEntry]:
        """Every kept version, newest first; the file's current version is marked."""
        current = content_version(self._existing(stem).read_text(encoding="utf-8"))
        log = [e for e in self._log(stem) if e.action != "before" or not e.author]
        entries = list(reversed(log))
        if not any(e.version == current for e in entries):
            entries.insert(0, HistoryEntry(current, "", "", "found"))
        seen = set()
        for e in entries:
            if e.version == current and "current" not in seen:
                e.current = True
                seen.add("current")
        return entries

    def version_text(self, stem: str, version: str | None) -> str | None:
        if not version or not re.fullmatch(r"[0-9a-f]{16}", version):
            return None
        current = self._existing(stem).read_text(encoding="utf-8")
        if content_version(current) == version:
            return current
        copy = self._history_dir(stem) / f"{version}.yaml"
        return copy.read_text(encoding="utf-8") if copy.exists() else None

    def diff(self, stem: str, a: str, b: str) -> str:
        """A unified diff of two kept versions (as text)."""
        ta, tb = self.version_text(stem, a), self.version_text(stem, b)
        if ta is None or tb is None:
            raise EditorError(
                [f"history: there is no version {(a if ta is None else b)[:16]!r} of {stem!r}"], 404
            )
        return unified_diff(ta, tb, f"{stem} {a}", f"{stem} {b}")

    def restore(self, stem: str, version: str, *, base_version: str | None, author: str) -> Saved:
        text = self.version_text(stem, version)
        if text is None:
            raise EditorError([f"history: there is no version {version[:16]!r} of {stem!r}"], 404)
        return self.save(
            stem, base_version=base_version, author=author, text=text, action=f"restore {version}"
        )

    # -- new programmes

    def create(self, stem: str, *, author: str, title: dict[str, str] | None = None) -> Saved:
        """An empty draft: a title and nothing else (the check then asks for a section)."""
        data = {
            "programme": {
                "id": stem,
                "version": "0.1",
                "status": "draft",
                "languages": ["nl", "en"],
                "default_language": "nl",
                "title": title or {"nl": stem, "en": stem},
                "sections": [],
            }
        }
        return self.save(
            stem, base_version=None, author=author, data=data, create=True, action="create"
        )

    def duplicate(self, stem: str, new_stem: str, *, author: str) -> Saved:
        """A copy under a new name, as a draft with the new id; comments are kept."""
        check_stem(new_stem)
        text = self._existing(stem).read_text(encoding="utf-8")
        screened = yamlio.screen(text)
        if screened:
            raise EditorError(screened)
        doc = yamlio.load_roundtrip(text)
        try:
            doc["programme"]["id"] = new_stem
            doc["programme"]["status"] = "draft"
        except (TypeError, KeyError):
            raise EditorError(
                [f"{stem}: file: expected a mapping with a 'programme' key"]
            ) from None
        return self.save(
            new_stem,
            base_version=None,
            author=author,
            text=yamlio.dump(doc),
            create=True,
            action=f"duplicate of {stem}",
        )

    def upload(
        self, filename: str, raw: bytes, *, author: str, base_version: str | None = None
    ) -> Saved:
        """An uploaded YAML file, saved as ``<stem>.yaml`` (replacing one needs its version)."""
        if len(raw) > yamlio.MAX_BYTES:
            raise EditorError(
                [
                    f"{filename[:80]}: file: {len(raw) / 1024:.0f} KB is too big "
                    f"(at most {yamlio.MAX_BYTES // 1024} KB)"
                ],
                413,
            )
        stem = Path(filename or "").stem
        if not (filename or "").lower().endswith((".yaml", ".yml")):
            raise EditorError([f"{filename[:80]}: file: expected a .yaml file"], 400)
        check_stem(stem)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise EditorError([f"{filename[:80]}: file: not UTF-8 text"], 400) from None
        exists = any(p.stem == stem for p in self.files())
        return self.save(
            stem,
            base_version=base_version,
            author=author,
            text=text,
            create=not exists,
            action="upload",
        )

    def delete(self, stem: str, *, base_version: str | None, author: str) -> None:
        """Remove the file (its versions stay in the history). Live sessions keep their copy."""
        with self._locked():
            path = self._existing(stem)
            text = path.read_text(encoding="utf-8")
            if base_version != content_version(text):
                raise self._stale(stem, text, base_version)
            self._archive(stem, text, "before")
            self._archive(stem, text, "delete", author or "a facilitator")
            path.unlink()

    def save_logo(self, stem: str, filename: str, raw: bytes) -> str:
        """A logo for the programme, checked like the programme check checks one (type by
        content, size, safe SVG), written next to it as ``logos/<stem>.<ext>``; returns the
        name to put in ``branding.logo``."""
        where = f"{stem}.yaml: programme.branding.logo"
        suffix = Path(filename or "").suffix.lower()
        if suffix not in LOGO_TYPES:
            raise EditorError(
                [
                    f"{where}: {filename[:80]!r} is not an image type the screens "
                    f"show (expected a file ending in {', '.join(LOGO_TYPES)})"
                ]
            )
        if len(raw) > MAX_LOGO_BYTES:
            raise EditorError(
                [
                    f"{where}: {filename[:80]!r} is {len(raw) / 1024:.0f} KB (at "
                    f"most {MAX_LOGO_BYTES // 1024} KB)"
                ],
                413,
            )
        problem = image_problem(suffix, raw)
        if problem:
            raise EditorError([f"{where}: {filename[:80]!r} {problem}"])
        name = f"logos/{check_stem(stem)}{suffix}"
        atomic_write(self.folder / name, raw)
        return name


def unified_diff(a: str, b: str, name_a: str, name_b: str) -> str:
    return "".join(
        difflib.unified_diff(
            a.splitlines(keepends=True), b.splitlines(keepends=True), name_a, name_b
        )
    )


def _jsonable(value: Any) -> Any:
    """YAML data as JSON can carry it (dates and other scalars as strings)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def as_dict(obj: Any) -> dict[str, Any]:
    return asdict(obj)
