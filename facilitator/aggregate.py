"""Results: the aggregate of an activity's responses, kept incrementally.

Pure core. A ``Tally`` is built once per activity (from the stored responses, or empty) and then
follows every change with ``add(key, value)`` / ``replace(key, old, new)`` / ``remove(key, value)``
in O(1) or O(options), so a new answer never means a recount of all responses.
``result(audience)`` gives the JSON-ready result documented in docs/protocol.md: the control
screen sees everything, the projector only what may be shown (approved free text, no hidden
words). ``aggregate(activity, values)`` is the plain recount, used to check the incremental path
and for exports.

``key`` identifies one response (the participant). Free texts are listed in the order their keys
were first added, under ``label(key)``: the caller passes a label that does not reveal who wrote
them (the live package uses an opaque id per activity, so texts cannot be linked across activities).

Moderation: entries of a moderated activity start ``pending``; the facilitator sets ``approved``
or ``hidden`` with ``set_status``. Counts are never filtered, only which texts are listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable
from typing import TYPE_CHECKING, Any

from . import kinds
from .stopwords import STOP_WORDS

if TYPE_CHECKING:  # pragma: no cover
    from .programme import Activity
    from .wordfilter import WordFilter

Label = Callable[[Hashable], str]
PENDING, APPROVED, HIDDEN = "pending", "approved", "hidden"
STATUSES = (PENDING, APPROVED, HIDDEN)
CONTROL, PROJECTOR = "control", "projector"
MAX_CLOUD_WORDS = 100


def percent(part: int, whole: int) -> float:
    """Percentage with one decimal; 0.0 when there is nothing to divide by."""
    return round(100.0 * part / whole, 1) if whole else 0.0


class Tally:
    """Base class: counts respondents."""

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


class _Moderated:
    """Statuses of free-text entries, keyed like the responses."""

    def _init_moderation(self, activity: Activity) -> None:
        self.default_status = PENDING if activity.moderated else APPROVED
        self.statuses: dict[Hashable, str] = {}

    def set_status(self, key: Hashable, status: str) -> None:
        assert status in STATUSES
        self.statuses[key] = status

    def status(self, key: Hashable) -> str:
        return self.statuses.get(key, self.default_status)

    def shown(self, key: Hashable, audience: str) -> bool:
        return audience == CONTROL or self.status(key) == APPROVED

    def _entry(self, key: Hashable, text: str, audience: str, label: Label) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": label(key), "text": text}
        if audience == CONTROL:
            entry["status"] = self.status(key)
        return entry


class ChoiceTally(Tally):
    """single_choice and multi_choice: counts per option; percentages of respondents."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.counts = dict.fromkeys(activity.option_ids, 0)
        self.votes = 0

    def _ids(self, value: Any) -> list[str]:
        return [value] if isinstance(value, str) else list(value)

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        for oid in self._ids(value):
            self.counts[oid] += 1
            self.votes += 1

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        for oid in self._ids(value):
            self.counts[oid] -= 1
            self.votes -= 1

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        n = self.respondents
        return {
            "options": [
                {"id": oid, "count": c, "percent": percent(c, n)} for oid, c in self.counts.items()
            ],
            "respondents": n,
            "votes": self.votes,
        }


class ScaleTally(Tally, _Moderated):
    """scale: a histogram over the positions, mean, median and the optional 'why' texts."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        assert activity.scale is not None
        self._init_moderation(activity)
        self.scale = activity.scale
        self.histogram = dict.fromkeys(self.scale.positions, 0)
        self.total = 0
        self.whys: dict[Hashable, str] = {}
        self.first_seen: dict[Hashable, None] = {}
        #: the earlier scale this one is compared with (before/after), set by the caller
        self.before: ScaleTally | None = None

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        self.histogram[value["position"]] += 1
        self.total += value["position"]
        self.first_seen.setdefault(key, None)
        if value.get("why"):
            self.whys[key] = value["why"]

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        self.histogram[value["position"]] -= 1
        self.total -= value["position"]
        self.whys.pop(key, None)

    def median(self) -> float | None:
        n = self.respondents
        if n == 0:
            return None
        # the (n+1)/2-th value, averaging the two middle ones for even n
        lo_rank, hi_rank = (n + 1) // 2, n // 2 + 1
        lo = hi = None
        seen = 0
        for position, count in self.histogram.items():
            seen += count
            if lo is None and seen >= lo_rank:
                lo = position
            if seen >= hi_rank:
                hi = position
                break
        assert lo is not None and hi is not None
        return (lo + hi) / 2

    def summary(self) -> dict[str, Any]:
        n = self.respondents
        return {
            "histogram": [{"value": v, "count": c} for v, c in self.histogram.items()],
            "n": n,
            "mean": round(self.total / n, 2) if n else None,
            "median": self.median(),
        }

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        out: dict[str, Any] = {
            "min": self.scale.min,
            "max": self.scale.max,
            "step": self.scale.step,
        }
        out.update(self.summary())
        out["whys"] = [
            self._entry(k, self.whys[k], audience, self.label)
            for k in self.first_seen
            if k in self.whys and self.shown(k, audience)
        ]
        if self.before is not None:
            out["before"] = self.before.summary()
        return out


class TextTally(Tally, _Moderated):
    """open_text: the entries, in the order they were first sent."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self._init_moderation(activity)
        self.entries: dict[Hashable, str] = {}

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        self.entries[key] = value

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        del self.entries[key]

    def replace(self, key: Hashable, old: Any, new: Any) -> None:
        # keep the entry where it was first listed
        self.entries[key] = new

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        return {
            "entries": [
                self._entry(k, t, audience, self.label)
                for k, t in self.entries.items()
                if self.shown(k, audience)
            ],
            "n": self.respondents,
        }


def word_status(
    moderation: str,
    word_filter: WordFilter | None,
    word: str,
    hidden: Collection[str],
    approved: Collection[str],
) -> str:
    """A word cloud's word: hidden by the facilitator, approved (shown), or pending: waiting
    for approval (moderation ``before``, or ``after`` for a word the word filter holds back)."""
    if word in hidden:
        return HIDDEN
    if word in approved or moderation == "none":
        return APPROVED
    if moderation == "before":
        return PENDING
    held = word_filter is not None and word_filter.held_back(word)
    return PENDING if held else APPROVED


class WordCloudTally(Tally):
    """word_cloud: how many participants gave each word; stop words are not counted.

    The facilitator hides words; under moderation ``before`` a word reaches the projector only
    once approved (``approved``), under ``after`` only a word the word filter holds back
    waits."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.counts: Counter[str] = Counter()
        self.hidden: set[str] = set()
        self.approved: set[str] = set()
        self.moderation = activity.moderation
        self.word_filter = activity.word_filter

    def word_status(self, word: str) -> str:
        return word_status(self.moderation, self.word_filter, word, self.hidden, self.approved)

    @staticmethod
    def _words(value: Any) -> list[str]:
        return [w for w in value if w not in STOP_WORDS]

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        self.counts.update(self._words(value))

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        self.counts.subtract(self._words(value))
        for w in self._words(value):
            if self.counts[w] <= 0:
                del self.counts[w]

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        wanted = (APPROVED, PENDING) if audience == CONTROL else (APPROVED,)
        shown = sorted(
            ((w, c) for w, c in self.counts.items() if self.word_status(w) in wanted),
            key=lambda wc: (-wc[1], wc[0]),
        )[:MAX_CLOUD_WORDS]
        words = []
        for w, c in shown:
            entry: dict[str, Any] = {"word": w, "count": c}
            if audience == CONTROL:
                entry["status"] = self.word_status(w)
            words.append(entry)
        out: dict[str, Any] = {"words": words, "respondents": self.respondents}
        if audience == CONTROL:
            out["hidden"] = [
                {"word": w, "count": self.counts.get(w, 0)} for w in sorted(self.hidden)
            ]
        return out


class RankingTally(Tally):
    """ranking: the mean rank of each option and the share of first places."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.rank_sums = dict.fromkeys(activity.option_ids, 0)
        self.firsts = dict.fromkeys(activity.option_ids, 0)

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        for rank, oid in enumerate(value, start=1):
            self.rank_sums[oid] += rank
        self.firsts[value[0]] += 1

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        for rank, oid in enumerate(value, start=1):
            self.rank_sums[oid] -= rank
        self.firsts[value[0]] -= 1

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        n = self.respondents
        return {
            "options": [
                {
                    "id": oid,
                    "mean_rank": round(self.rank_sums[oid] / n, 2) if n else None,
                    "first": self.firsts[oid],
                    "first_percent": percent(self.firsts[oid], n),
                }
                for oid in self.rank_sums
            ],
            "respondents": n,
        }


class MatrixTally(Tally):
    """matrix: per item, how many gave each rating (percent of that item's answers)."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.ratings = [r.id for r in activity.ratings]
        self.counts = {i.id: dict.fromkeys(self.ratings, 0) for i in activity.items}

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        for item, rating in value.items():
            self.counts[item][rating] += 1

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        for item, rating in value.items():
            self.counts[item][rating] -= 1

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        items = []
        for item, counts in self.counts.items():
            n = sum(counts.values())
            items.append(
                {
                    "id": item,
                    "n": n,
                    "counts": dict(counts),
                    "percents": {r: percent(c, n) for r, c in counts.items()},
                }
            )
        return {"items": items, "ratings": list(self.ratings), "respondents": self.respondents}


class QuestionBoard(Tally):
    """qna: questions with their votes and the facilitator's marks. Keys are question ids."""

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


def new_tally(activity: Activity, label: Label = str) -> Tally:
    """An empty tally for the activity's kind (``Kind.new_tally``; one that only counts for a
    kind that takes no answers)."""
    return kinds.of(activity).new_tally(activity, label)


def aggregate(
    activity: Activity, responses: Iterable[tuple[Hashable, Any]], audience: str = CONTROL
) -> dict[str, Any] | None:
    """Recount: the result of (key, value) responses, in the order given (not for qna)."""
    tally = new_tally(activity)
    for key, value in responses:
        tally.add(key, value)
    return tally.result(audience)


NO_GROUP = "_none"


def breakdown(
    groups: dict[str, Tally], order: list[tuple[str, Any]], threshold: int, audience: str = CONTROL
) -> list[dict[str, Any]]:
    """One result per group, in ``order`` ((group id, label) pairs). A group with fewer than
    ``threshold`` respondents (but at least one) is suppressed: no count, no result, so that
    nobody in a small group can be singled out."""
    out: list[dict[str, Any]] = []
    for gid, label in order:
        tally = groups.get(gid)
        n = tally.respondents if tally is not None else 0
        entry: dict[str, Any] = {"id": gid, "label": label}
        if n == 0:
            entry.update(n=0, suppressed=False, result=None)
        elif n < threshold:
            entry.update(n=None, suppressed=True, result=None)
        else:
            assert tally is not None
            entry.update(n=n, suppressed=False, result=tally.result(audience))
        out.append(entry)
    return out
