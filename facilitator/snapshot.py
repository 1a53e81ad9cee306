"""What each screen is sent: the state of a live session, shaped per screen.

Pure core. ``LiveState`` is the domain value ``store`` returns; ``activity_view`` is the public
description of one activity (never presenter notes or reference internals a phone does not need),
``dimensions`` and ``groups`` what results can be broken down by. The whole ``state`` snapshots
(docs/protocol.md) are built in ``facilitator/live/state.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import kinds
from .programme import Activity, Programme

PENDING, OPEN, CLOSED = "pending", "open", "closed"


@dataclass(frozen=True)
class ActivityStatus:
    status: str = PENDING
    results_visible: bool = False
    hidden_words: tuple[str, ...] = ()
    approved_words: tuple[str, ...] = ()
    #: how often the facilitator deleted this activity's responses (phones drop older answers)
    resets: int = 0


@dataclass(frozen=True)
class Countdown:
    """A running timer: ``ends_at`` in seconds since the epoch."""

    activity: str
    ends_at: float
    seconds: int
    auto_close: bool = True


#: who may join a live session: anyone with its code; only through a table card's QR code; only
#: with a printed one-time personal code
JOIN_MODES = ("open", "table_code", "personal_codes")


@dataclass(frozen=True)
class LiveState:
    id: int
    code: str
    programme: Programme
    version: int
    current: str | None
    control_key: str
    projector_key: str
    created_at: datetime
    ended_at: datetime | None = None
    join_locked: bool = False
    programme_file: str = ""
    statuses: dict[str, ActivityStatus] = field(default_factory=dict)
    timer: Countdown | None = None
    tables: int = 0
    breakdown_by: str | None = None
    breakdown_compare: tuple[str, ...] | None = None
    #: days after its end (its start, if never ended) that the server deletes it
    retention_days: int = 90
    #: who may join: "open", "table_code" or "personal_codes" (``JOIN_MODES``)
    join_mode: str = "open"
    #: personal codes printed so far (personal_codes mode)
    personal_codes: int = 0
    #: the language the facilitator chose for projector, control and report (None: the
    #: programme's default language)
    language: str | None = None

    @property
    def lang(self) -> str:
        """The live session's language: projector, control screen and report use it (phones
        keep their own choice)."""
        return self.language or self.programme.default_language

    def status(self, activity_id: str) -> ActivityStatus:
        return self.statuses.get(activity_id, ActivityStatus())

    @property
    def current_activity(self) -> Activity | None:
        return self.programme.activity(self.current) if self.current else None

    @property
    def paced_section(self) -> str | None:
        """The section of the current activity, when participants move through it themselves."""
        activity = self.current_activity
        if activity is None:
            return None
        section = self.programme.section(activity.section_id)
        return section.id if section.paced else None

    @property
    def answering(self) -> bool:
        """Whether the current activity takes answers now."""
        return self.current is not None and self.status(self.current).status == OPEN


@dataclass(frozen=True)
class Links:
    participant_url: str
    projector_url: str
    control_url: str
    qr_url: str


def activity_view(
    programme: Programme, activity: Activity, role: str = "participant"
) -> dict[str, Any]:
    """The description of an activity as a screen draws it: the common keys here, the kind's
    own from ``Kind.view``; ``role`` decides the extras (reference for control and projector,
    presenter notes for control)."""
    kind = kinds.of(activity)
    section = programme.section(activity.section_id)
    view: dict[str, Any] = {
        "id": activity.id,
        "kind": activity.kind,
        "section": {"id": section.id, "title": section.title},
        "title": activity.title,
        "prompt": activity.prompt,
        "placeholder": activity.placeholder,
        "optional": activity.optional,
    }
    own = kind.view(activity, role)
    follows = kind.view_follows
    view.update((k, v) for k, v in own.items() if k not in follows)
    view["timer"] = (
        {"seconds": activity.timer.seconds, "auto_close": activity.timer.auto_close}
        if activity.timer
        else None
    )
    view.update((k, v) for k, v in own.items() if follows.get(k) == "timer")
    if role == "control":
        view["presenter_notes"] = activity.presenter_notes
    view.update((k, v) for k, v in own.items() if follows.get(k) == "presenter_notes")
    return view


TABLE = "table"


def dimensions(live: LiveState) -> list[dict[str, Any]]:
    """What results can be broken down by: the tables (if any), then each profile question."""
    out: list[dict[str, Any]] = []
    if live.tables:
        out.append({"id": TABLE, "label": {"nl": "Tafel", "en": "Table"}})
    for a in live.programme.profile_activities:
        out.append({"id": a.id, "label": a.segment_label or a.title or a.prompt})
    return out


def groups(live: LiveState, dimension: str) -> list[tuple[str, Any]]:
    """The groups of a dimension, in display order: (group id, label)."""
    none = ("_none", {"nl": "Niet opgegeven", "en": "Not given"})
    if dimension == TABLE:
        return [
            (str(n), {"nl": f"Tafel {n}", "en": f"Table {n}"}) for n in range(1, live.tables + 1)
        ] + [none]
    activity = live.programme.activity(dimension)
    assert activity is not None
    return [(o.id, o.label) for o in activity.options] + [none]
