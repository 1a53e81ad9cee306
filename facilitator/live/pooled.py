"""The room beside earlier rooms: the pooled result of earlier live sessions of the same
programme, shown on the control screen and the projector beside the room's current result.

It is a breakdown dimension of its own (``EARLIER``) with two groups: this room (``ROOM``) and
the earlier live sessions pooled (``BEFORE``), so the screens draw it as they draw any two
groups, and the privacy threshold applies to it as to any group. Phones never get breakdowns.
Earlier live sessions: the same programme id, started before this one (not editor previews),
whose version has the activity with the same kind and options (``export.data.same_activity``);
their result is counted with the pooled export's own code (``export.data.pool_tally``), once
per activity and process (earlier rooms do not change; one still running is counted as it was).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .. import store
from ..aggregate import Tally
from ..export.data import pool_tally, same_activity
from ..kinds.exporting import WordMarks
from ..snapshot import BEFORE, EARLIER, ROOM, LiveState
from .cache import cache

__all__ = [
    "BEFORE",
    "EARLIER",
    "ROOM",
    "dimension",
    "dimensions",
    "earlier_lives",
    "earlier_tally",
    "groups",
    "groups_of",
]
#: a live session the editor started to preview an activity (editor/preview.py)
PREVIEW_FILE = "(editor preview)"


def earlier_lives(live: LiveState) -> list[LiveState]:
    """Earlier live sessions of the same programme, oldest first (cached per process)."""
    c = cache()
    with c.lock:
        found = c.earlier.get(live.code)
    if found is None:
        found = []
        for s in store.list_lives():
            if (
                s.programme_id != live.programme.id
                or s.code == live.code
                or s.created_at >= live.created_at
            ):
                continue
            other = store.get_live(s.code)
            if other is not None and other.programme_file != PREVIEW_FILE:
                found.append(other)
        found.sort(key=lambda x: x.created_at)
        with c.lock:
            c.earlier[live.code] = found
    return found


def _matching(live: LiveState, activity_id: str) -> list[LiveState]:
    mine = live.programme.activity(activity_id)
    if mine is None:
        return []
    out = []
    for other in earlier_lives(live):
        theirs = other.programme.activity(activity_id)
        if theirs is not None and same_activity(mine, theirs):
            out.append(other)
    return out


def _date(when: datetime) -> str:
    return when.strftime("%d-%m-%Y")


def dimensions(live: LiveState) -> list[dict[str, Any]]:
    """What the screens may break results down by: the tables and profile questions
    (``snapshot.dimensions``), then the earlier sessions when there are any."""
    from ..snapshot import dimensions as own

    extra = dimension(live)
    return own(live) + ([extra] if extra else [])


def groups_of(live: LiveState, dimension_id: str, activity_id: str | None) -> list[tuple[str, Any]]:
    """The groups of any dimension, the earlier sessions' included."""
    from ..snapshot import groups as own

    return groups(live, activity_id) if dimension_id == EARLIER else own(live, dimension_id)


def dimension(live: LiveState) -> dict[str, Any] | None:
    """The dimension "earlier sessions", when this programme ran before."""
    before = earlier_lives(live)
    if not before:
        return None
    dates = ", ".join(_date(x.created_at) for x in before)
    return {
        "id": EARLIER,
        "label": {"nl": "Eerdere sessies", "en": "Earlier sessions"},
        # the projector's heading over the two groups: clearly not this room alone
        "heading": {
            "nl": f"Deze zaal naast eerdere sessies van dit programma, samengeteld ({dates})",
            "en": f"This room beside earlier sessions of this programme, pooled ({dates})",
        },
        "sessions": [{"code": x.code, "date": _date(x.created_at)} for x in before],
    }


def groups(live: LiveState, activity_id: str | None) -> list[tuple[str, Any]]:
    """The two groups: this room, and the earlier sessions (how many: their dates are in the
    dimension's heading; the group's n is its respondents)."""
    before = _matching(live, activity_id) if activity_id else earlier_lives(live)
    n = len(before)
    return [
        (ROOM, {"nl": "Deze zaal", "en": "This room"}),
        (
            BEFORE,
            {
                "nl": f"Eerdere sessies ({n})" if n else "Eerdere sessies (geen)",
                "en": f"Earlier sessions ({n})" if n else "Earlier sessions (none)",
            },
        ),
    ]


def earlier_tally(live: LiveState, activity_id: str) -> Tally:
    """The earlier sessions' pooled result of an activity (counted once per process)."""
    c = cache()
    key = (live.id, activity_id)
    with c.mem:
        found = c.pooled.get(key)
    if found is not None:
        return found
    activity = live.programme.activity(activity_id)
    assert activity is not None
    rows: list[list[Any]] = []
    hidden: set[str] = set()
    approved: set[str] = set()
    for other in _matching(live, activity_id):
        rows.append([r for r in store.export_responses(other.id) if r.activity_id == activity_id])
        st = other.status(activity_id)
        hidden.update(st.hidden_words)
        approved.update(st.approved_words)
    tally = pool_tally(activity, rows, WordMarks(frozenset(hidden), frozenset(approved - hidden)))
    with c.mem:
        return c.pooled.setdefault(key, tally)
