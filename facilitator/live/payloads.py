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
    #: the earlier sessions (live/pooled.py): the projector's heading, and which they are
    heading: NotRequired[Text]
    sessions: NotRequired[list[dict[str, str]]]


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


class TableCount(TypedDict):
    connected: int  # phones of the table connected now
    joined: int  # phones that said they sit at the table


class Counts(TypedDict):
    connected: int
    participants: int
    answered: int
    #: per table ("1".."n"), while the current activity is answered per table (``per_table``)
    tables: NotRequired[dict[str, TableCount]]


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
    #: per-table activities on screen: this phone's table's newest answer (own snapshot only)
    table_answers: NotRequired[dict[str, Any]]
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
    tables: int
    #: the group of the current result shown full screen (a table), if any
    spotlight: str | None


class Pooled(TypedDict):
    """The pooled result of earlier live sessions of the same programme (control only)."""

    activity: str
    sessions: list[dict[str, Any]]  # {code, created_at, respondents}
    respondents: int
    result: Result | None


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
    spotlight: str | None
    #: tables whose role (a per-table kind's reporter) a phone holds, for the current activity
    holders: list[int]
    #: tables where another phone asked for the role (``hand_holder`` hands it over)
    role_requests: list[int]
    #: earlier live sessions of this programme pooled, beside the room's current result
    pooled: NotRequired[Pooled | None]


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
