"""What every kind's result is made of: the ``Tally`` base class, the ``Moderated`` tally of
free-text entries, and ``QuestionBoard``, the tally of a kind whose answers are ``questions``.

Pure core, and the bottom of the kinds package: it imports nothing of the package (``base``
and every kind module import it; ``facilitator.aggregate`` re-exports its names). A kind's own
tally class lives in the kind's module and its ``Kind.new_tally`` makes it.

A ``Tally`` is built once per activity (from the stored responses, or empty) and then follows
every change with ``add(key, value)`` / ``replace(key, old, new)`` / ``remove(key, value)`` in
O(1) or O(options), so a new answer never means a recount of all responses. ``result(audience)``
gives the JSON-ready result documented in docs/protocol.md: the control screen sees everything,
the projector only what may be shown (approved free text, no hidden words).

``key`` identifies one response (the participant). Free texts are listed in the order their
keys were first added, under ``label(key)``: the caller passes a label that does not reveal who
wrote them (the live package uses an opaque id per activity, so texts cannot be linked across
activities).

Code outside the kinds package never asks which kind a tally belongs to: what differs between
kinds it reaches through the hooks below, which do nothing for a kind they do not concern:

- ``set_status(key, status)``: the stored moderation status of an entry (``Moderated``);
- ``entry_key(entry)``: the key behind an opaque entry id the result lists (``Moderated``);
- ``pending()``: what waits for the facilitator's approval (entry keys, questions, or words);
- ``mark_words(hidden, approved)``: the facilitator's hidden and approved words (word cloud);
- ``compare(before)``: the tally of the earlier activity this one is compared with
  (``Activity.compare_with``: a scale's before/after).

``cut``: the live screens' tallies list at most this many free-text entries of one status
(``Moderated.listing``); the exports' tallies (``cut`` None) list every entry.

Moderation: entries of a moderated activity start ``pending``; the facilitator sets
``approved`` or ``hidden`` with ``set_status``. Counts are never filtered, only which texts are
listed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from itertools import compress, repeat
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity

Label = Callable[[Hashable], str]
PENDING, APPROVED, HIDDEN = "pending", "approved", "hidden"
STATUSES = (PENDING, APPROVED, HIDDEN)
CONTROL, PROJECTOR = "control", "projector"


def percent(part: int, whole: int) -> float:
    """Percentage with one decimal; 0.0 when there is nothing to divide by."""
    return round(100.0 * part / whole, 1) if whole else 0.0


class Tally:
    """Base class: counts respondents. The hooks after ``result`` do nothing here; a kind's
    tally overrides those that concern it."""

    #: the most free-text entries of one status a result lists (None: all of them, as the
    #: exports list them); the live screens' tallies are cut (live/cache.py): a wall shows a
    #: hundred at most, and a list of thousands, encoded for every screen update, crowded out
    #: the answers when a room wrote at once
    cut: int | None = None

    def __init__(self, activity: Activity, label: Label = str):
        self.activity = activity
        self.label = label
        self.respondents = 0

    def add(self, key: Hashable, value: Any) -> None:
        self.respondents += 1

    def remove(self, key: Hashable, value: Any) -> None:
        self.respondents -= 1

    def replace(self, key: Hashable, old: Any, new: Any) -> None:
        """A participant changed their answer."""
        self.remove(key, old)
        self.add(key, new)

    def result(self, audience: str = CONTROL) -> dict[str, Any] | None:
        return None

    # -- hooks: called for every tally, whatever its kind

    def set_status(self, key: Hashable, status: str) -> None:
        """The moderation status (``STATUSES``) of the response ``key``, as stored or as the
        facilitator set it. Default: ignored (nothing of the answer is moderated)."""

    def entry_key(self, entry: Any) -> Hashable | None:
        """The key of the response behind ``entry``, an opaque entry id that ``result``
        lists (``label(key)``). Default: None (it lists no entries)."""
        return None

    def pending(self) -> Sequence[Hashable]:
        """What waits for the facilitator's approval: the keys of pending entries (a
        ``QuestionBoard``: question ids; a word cloud: its words). Default: nothing."""
        return []

    def mark_words(self, hidden: Iterable[str], approved: Iterable[str]) -> None:
        """The words the facilitator hid and approved (a word cloud's moderation, also for
        each group of a breakdown). Default: ignored."""

    def compare(self, before: Tally) -> None:
        """The tally of the earlier activity this one is compared with
        (``activity.compare_with``), kept and shown beside this result. Default: ignored."""


class Moderated(Tally):
    """A tally whose result lists free-text entries (one per response) that the facilitator
    approves or hides: statuses keyed like the responses. A subclass says which keys it lists
    (``listed``) and calls ``shown``/``entry`` when it lists them."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.default_status = PENDING if activity.moderated else APPROVED
        self.statuses: dict[Hashable, str] = {}

    def listed(self) -> Collection[Hashable]:
        """The keys of the responses whose entry the result lists (for ``entry_key``)."""
        raise NotImplementedError

    def set_status(self, key: Hashable, status: str) -> None:
        assert status in STATUSES
        self.statuses[key] = status

    def status(self, key: Hashable) -> str:
        return self.statuses.get(key, self.default_status)

    def entry_key(self, entry: Any) -> Hashable | None:
        for key in self.listed():
            if self.label(key) == entry:
                return key
        return None

    def pending(self) -> Sequence[Hashable]:
        return [k for k in self.statuses if self.status(k) == PENDING]

    def shown(self, key: Hashable, audience: str) -> bool:
        return audience == CONTROL or self.status(key) == APPROVED

    #: when cut, the projector gets at most this many approved entries (the newest)
    WALL = 100

    def listing(
        self, keys: Iterable[Hashable], text: Callable[[Hashable], str], audience: str
    ) -> tuple[list[dict[str, Any]], int | None, dict[str, int] | None]:
        """The entries of ``keys`` (in the order first sent) as ``audience`` sees them:
        (entries, unlisted, statuses). Uncut: every entry shown, and None, None. Cut
        (``cut``): the projector gets the newest ``WALL`` approved entries; the control screen
        the oldest ``cut`` pending ones (the moderation queue) and the newest ``cut`` approved
        and hidden ones, with ``statuses``: how many there are of each. ``unlisted``: the
        entries this audience may see that are not listed. Either way in the order sent; and
        when nothing was left out, unlisted and statuses are None (the result is as uncut)."""
        if self.cut is None:
            return (
                [
                    self._entry(k, text(k), audience, self.label)
                    for k in keys
                    if self.shown(k, audience)
                ],
                None,
                None,
            )
        # Cut, this runs for every screen update while a room writes (thousands of entries,
        # ten times a second): the walks over all entries are map/compress, in C; only the
        # entries listed are built in Python.
        keys = list(keys)
        marks = list(map(self.statuses.get, keys, repeat(self.default_status)))
        if audience != CONTROL:
            approved = list(compress(keys, map(APPROVED.__eq__, marks)))
            listed = approved[-min(self.cut, self.WALL) :] if self.cut > 0 else []
            entries = [self._entry(k, text(k), audience, self.label) for k in listed]
            return entries, (len(approved) - len(listed)) or None, None
        by = {st: list(compress(keys, map(st.__eq__, marks))) for st in STATUSES}
        n = max(self.cut, 0)
        chosen = set(by[PENDING][:n])
        if n:
            chosen.update(by[APPROVED][-n:], by[HIDDEN][-n:])
        entries = [
            self._entry(k, text(k), audience, self.label, st)
            for k, st in compress(zip(keys, marks, strict=True), map(chosen.__contains__, keys))
        ]
        unlisted = len(keys) - len(entries)
        if not unlisted:
            return entries, None, None
        return entries, unlisted, {st: len(ks) for st, ks in by.items()}

    def _entry(
        self, key: Hashable, text: str, audience: str, label: Label, status: str | None = None
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": label(key), "text": text}
        if audience == CONTROL:
            entry["status"] = self.status(key) if status is None else status
        return entry


class QuestionBoard(Tally):
    """The tally of a kind whose answers are ``questions`` (``Kind.questions``, e.g. qna):
    questions with their votes and the facilitator's marks. Keys are question ids."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.default_status = PENDING if activity.moderated else APPROVED
        self.questions: dict[Hashable, dict[str, Any]] = {}
        self.askers: set[Hashable] = set()

    def ask(
        self,
        qid: Hashable,
        asker: Hashable,
        text: str,
        status: str | None = None,
        votes: int = 0,
        pinned: bool = False,
        answered: bool = False,
    ) -> None:
        self.questions[qid] = {
            "text": text,
            "status": status or self.default_status,
            "votes": votes,
            "pinned": pinned,
            "answered": answered,
            "order": len(self.questions),
            "asker": asker,
        }
        self.askers.add(asker)
        self.respondents = len(self.askers)

    def vote(self, qid: Hashable, delta: int) -> int:
        q = self.questions[qid]
        q["votes"] += delta
        return int(q["votes"])

    def mark(self, qid: Hashable, **marks: Any) -> None:
        self.questions[qid].update(marks)

    def status(self, qid: Hashable) -> str:
        return str(self.questions[qid]["status"])

    def pending(self) -> Sequence[Hashable]:
        return [k for k, q in self.questions.items() if q["status"] == PENDING]

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        shown = [
            (k, q)
            for k, q in self.questions.items()
            if audience == CONTROL or q["status"] == APPROVED
        ]
        shown.sort(key=lambda kq: (not kq[1]["pinned"], -kq[1]["votes"], kq[1]["order"]))
        out = []
        for k, q in shown:
            entry = {
                "id": self.label(k),
                "text": q["text"],
                "votes": q["votes"],
                "pinned": q["pinned"],
                "answered": q["answered"],
            }
            if audience == CONTROL:
                entry["status"] = q["status"]
            out.append(entry)
        return {"questions": out, "n": len(self.questions)}
