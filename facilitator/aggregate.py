"""Results: the aggregate of an activity's responses, whatever its kind.

Pure core. Each kind's result is a ``Tally`` of its own class, defined in the kind's module
(``facilitator/kinds/<kind>.py``) and made by ``Kind.new_tally``; ``facilitator/kinds/tally.py``
has the base class, its hooks (what code outside the kinds package may ask of any tally) and
the constants, re-exported here. This module is what is the same for every kind:
``new_tally(activity)`` (the activity's kind makes it), ``aggregate(activity, values)`` (the
plain recount, used to check the incremental path and for exports) and ``breakdown`` (one
result per group, small groups suppressed).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any

from . import kinds
from .kinds.tally import (
    APPROVED,
    CONTROL,
    HIDDEN,
    PENDING,
    PROJECTOR,
    STATUSES,
    Label,
    QuestionBoard,
    Tally,
    percent,
)

if TYPE_CHECKING:  # pragma: no cover
    from .programme import Activity

__all__ = [
    "APPROVED",
    "CONTROL",
    "HIDDEN",
    "NO_GROUP",
    "PENDING",
    "PROJECTOR",
    "STATUSES",
    "Label",
    "QuestionBoard",
    "Tally",
    "aggregate",
    "breakdown",
    "new_tally",
    "percent",
]


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
