"""Results: the aggregate of an activity's responses, kept incrementally.

Pure core. A ``Tally`` is built once per activity (from the stored responses, or empty) and then
follows every change with ``add(key, value)`` / ``remove(key, value)`` in O(1) or O(options), so a
new answer never means a recount of all responses. ``result()`` gives the JSON-ready result
documented in docs/protocol.md. ``aggregate(activity, values)`` is the plain recount, used to
check the incremental path and for exports.

``key`` identifies one response (the participant); free texts are listed in the order their keys
were first added, under ``label(key)``: the caller passes a label that does not reveal who wrote
them (live.py uses an opaque id per activity, so texts cannot be linked across activities).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

Label = Callable[[Hashable], str]

from .programme import Activity


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

    def result(self) -> dict[str, Any] | None:
        return None


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

    def result(self) -> dict[str, Any]:
        n = self.respondents
        return {
            "options": [{"id": oid, "count": c, "percent": percent(c, n)}
                        for oid, c in self.counts.items()],
            "respondents": n,
            "votes": self.votes,
        }


class ScaleTally(Tally):
    """scale: a histogram over the positions, mean, median and the optional 'why' texts."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        assert activity.scale is not None
        self.scale = activity.scale
        self.histogram = dict.fromkeys(self.scale.positions, 0)
        self.total = 0
        self.whys: dict[Hashable, str] = {}
        self.first_seen: dict[Hashable, None] = {}

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

    def result(self) -> dict[str, Any]:
        n = self.respondents
        whys = [{"id": self.label(k), "text": self.whys[k]} for k in self.first_seen if k in self.whys]
        return {
            "min": self.scale.min, "max": self.scale.max, "step": self.scale.step,
            "histogram": [{"value": v, "count": c} for v, c in self.histogram.items()],
            "n": n,
            "mean": round(self.total / n, 2) if n else None,
            "median": self.median(),
            "whys": whys,
        }


class TextTally(Tally):
    """open_text: the entries, in the order they were first sent."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
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

    def result(self) -> dict[str, Any]:
        return {"entries": [{"id": self.label(k), "text": t} for k, t in self.entries.items()],
                "n": self.respondents}


_TALLIES: dict[str, type[Tally]] = {
    "single_choice": ChoiceTally,
    "multi_choice": ChoiceTally,
    "scale": ScaleTally,
    "open_text": TextTally,
}


def new_tally(activity: Activity, label: Label = str) -> Tally:
    """An empty tally for the activity's kind (``info`` gets one that only counts)."""
    return _TALLIES.get(activity.kind, Tally)(activity, label)


def aggregate(activity: Activity, responses: Iterable[tuple[Hashable, Any]]) -> dict[str, Any] | None:
    """Recount: the result of (key, value) responses, in the order given."""
    tally = new_tally(activity)
    for key, value in responses:
        tally.add(key, value)
    return tally.result()
