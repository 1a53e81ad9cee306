"""Reading results from the cache: an activity's result, its respondents, its breakdown rows,
the counts. Readers take ``mem`` only (``LiveCache.reading``)."""

from __future__ import annotations

from typing import Any

from .. import kinds, store
from ..aggregate import CONTROL, breakdown
from ..snapshot import TABLE, LiveState
from .cache import cache
from .payloads import BreakdownGroup, Counts, TableCount
from .pooled import groups_of


def result(
    live: LiveState, activity_id: str, audience: str = CONTROL
) -> tuple[dict[str, Any] | None, int, int]:
    """(result for that audience, respondents, rev) of an activity."""
    return cache().reading(
        live, activity_id, lambda tally, rev: (tally.result(audience), tally.respondents, rev)
    )


def respondents(live: LiveState, activity_id: str) -> int:
    """How many answered an activity, without building its result (the counts go out with
    every burst of answers; a text result lists every entry)."""
    return cache().reading(live, activity_id, lambda tally, _rev: tally.respondents)


def breakdown_groups(
    live: LiveState, activity_id: str, dimension: str, audience: str
) -> list[BreakdownGroup]:
    """The groups of an activity's breakdown by a dimension, small groups suppressed."""
    c = cache()
    names, threshold = groups_of(live, dimension, activity_id), live.programme.privacy_threshold
    with c.mem:
        by_group = c.breakdowns.get((live.id, activity_id, dimension))
        rows = None if by_group is None else breakdown(by_group, names, threshold, audience)
    if rows is None:
        with store.write_lock:
            by_group = c.breakdown_tallies(live, activity_id, dimension)
            with c.mem:
                rows = breakdown(by_group, names, threshold, audience)
    return rows  # type: ignore[return-value]


def counts(live: LiveState) -> Counts:
    """Connected phones, participants ever joined, respondents to the current activity."""
    c = cache()
    with c.lock:
        connected_now = len(c.connected.get(live.code, ()))
        participants = len(c.participants[live.code]) if live.code in c.participants_read else None
    if participants is None:
        read = store.participant_ids(live.id)
        with c.lock:
            ids = c.participants.setdefault(live.code, set())
            ids |= read
            c.participants_read.add(live.code)
            participants = len(ids)
    answered = 0
    current = live.current_activity
    if current is not None and current.answerable:
        answered = respondents(live, current.id)
    out: Counts = {"connected": connected_now, "participants": participants, "answered": answered}
    if live.tables and current is not None and kinds.of(current).per_table:
        out["tables"] = table_counts(live)
    return out


def table_counts(live: LiveState) -> dict[str, TableCount]:
    """Per table: phones that sit there, and how many of them are connected now."""
    c = cache()
    with c.mem:
        segments = c.segments.get(live.id)
    if segments is None:
        with store.write_lock:
            segments = c.segment_map(live)
    with c.lock:
        online = dict(c.connected.get(live.code, {}))
    out: dict[str, TableCount] = {
        str(n): {"connected": 0, "joined": 0} for n in range(1, live.tables + 1)
    }
    with c.mem:
        seats = [(pid, seg.get(TABLE)) for pid, seg in segments.items()]
    for pid, table in seats:
        row = out.get(str(table)) if table is not None else None
        if row is not None:
            row["joined"] += 1
            if online.get(pid):
                row["connected"] += 1
    return out


def on_phones(live: LiveState) -> set[str]:
    """Activities the phones show now (the current one, or a whole paced section)."""
    if live.current is None:
        return set()
    sid = live.paced_section
    if sid is None:
        return {live.current}
    return set(live.programme.section(sid).activity_ids)
