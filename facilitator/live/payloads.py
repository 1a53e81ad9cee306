"""The shapes of what the server sends, as typed dicts that mirror docs/protocol.md (``state``,
``results``, ``questions``, ``counts``, a breakdown). Built in ``state.py``; change both together
with the protocol document, never one of them alone.

An activity view (``snapshot.activity_view``) and a kind's result (``aggregate``) are plain
``dict[str, Any]`` here: their fields depend on the kind.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

ActivityView = dict[str, Any]
Result = dict[str, Any]
Text = Any  # {"nl": ..., "en": ...}, or a plain string


class Position(TypedDict):
    index: int | None
    total: int


class Timer(TypedDict):
    activity: str
    ends_at: int  # milliseconds since the epoch
    seconds: int
    auto_close: bool


class Dimension(TypedDict):
    id: str
    label: Text


class BreakdownGroup(TypedDict):
    id: str
    label: Text
    n: int | None
    suppressed: bool
    result: Result | None


class Breakdown(TypedDict):
    by: str
    compare: list[str] | None
    threshold: int
    groups: list[BreakdownGroup]


class BreakdownChoice(TypedDict):
    by: str | None
    compare: list[str] | None


class Counts(TypedDict):
    connected: int
    participants: int
    answered: int


class Paced(TypedDict):
    section: str
    activities: list[ActivityView]


class CommonState(TypedDict):
    version: int
    code: str
    title: Text
    languages: list[str]
    activity: ActivityView | None
    answering: bool
    ended: bool
    position: Position
    timer: Timer | None
    server_time: int


class ParticipantState(CommonState):
    answers: dict[str, Any] | None  # this phone's own; None in room broadcasts
    qna: dict[str, Any] | None  # this phone's own questions and votes; None in broadcasts
    paced: Paced | None
    free_text_warning: Text | None
    privacy_notice: Text | None
    questions: QuestionsPayload | None
    resets: dict[str, int]
    tables: int
    table: NotRequired[int | None]  # only in the snapshot sent to that one phone
    profile: list[ActivityView] | None


class Join(TypedDict):
    url: str
    code: str
    qr: str | None
    mode: str


class ProjectorState(CommonState):
    language: str  # the live session's language (the page is drawn in it)
    join: Join
    results_visible: bool
    result: Result | None
    respondents: int
    breakdown: Breakdown | None
    breakdown_choice: BreakdownChoice
    dimensions: list[Dimension]


class OutlineItem(TypedDict):
    id: str
    kind: str
    title: Text
    optional: bool
    placeholder: bool
    answerable: bool
    keep_open: bool


class OutlineSection(TypedDict):
    id: str
    title: Text
    paced: bool
    activities: list[OutlineItem]


class Outline(TypedDict):
    id: str
    version: Any
    status: str
    sections: list[OutlineSection]


class ActivityState(TypedDict):
    status: str
    results_visible: bool


class ControlLinks(TypedDict):
    participant_url: str
    projector_url: str
    control_url: str


class ControlState(CommonState):
    programme: Outline
    language: str  # the live session's language (the page is drawn in it)
    current: str | None
    activity_states: dict[str, ActivityState]
    #: the activities that take answers now (answering open), in programme order
    accepting: list[str]
    results_visible: bool
    result: Result | None
    counts: Counts
    links: ControlLinks
    join_locked: bool
    log: list[dict[str, Any]]
    section_counts: dict[str, int] | None
    breakdown: Breakdown | None
    breakdown_choice: BreakdownChoice
    dimensions: list[Dimension]
    tables: int


State = ParticipantState | ProjectorState | ControlState


class ResultsPayload(TypedDict):
    """``results``, to the control screen (the projector's copy: ``result`` and ``breakdown``
    only while results are shown)."""

    activity: str
    kind: str
    rev: int
    respondents: int
    result: Result | None
    breakdown: Breakdown | None


class QuestionsPayload(TypedDict):
    """``questions``, to the phones while a Q&A is on their screens."""

    activity: str
    rev: int
    questions: list[dict[str, Any]]
