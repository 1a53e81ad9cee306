"""The interface every activity kind implements (see docs/architecture.md, "Adding a kind").

Pure core: no flask, flask_socketio or sqlalchemy. One module per kind subclasses ``Kind`` and
registers an instance with ``facilitator.kinds.register``. Code outside ``facilitator/kinds/``
never tests a kind's name; it asks the kind (``kinds.of(activity)``) instead.

Capability flags (class attributes) used by the use cases (``facilitator/live``):
- ``answerable``: takes answers at all (``info`` does not);
- ``questions``: answers are Q&A questions (``ask``/``upvote``), not responses (``respond``);
- ``breakdown``: its result can be broken down by segment or table;
- ``moderates``: which moderation its entries get: ``None``, ``"entries"`` (free text entries:
  approve/hide one entry), ``"questions"`` (Q&A marks) or ``"words"`` (hide/show a word);
- ``profile``: it may be a profile question (its answer becomes a segment);
- ``per_table``: one answer per dialogue table, not per phone: a phone without a table may not
  answer, and ``at_table`` stamps the table on the value (and may give the phone a role at its
  table, ``holder``).

What a kind knows about itself (methods, overridden per kind):
- ``fields``: its own programme fields as data (``Field``); ``COMMON_FIELDS`` are every
  activity's, ``MODERATION`` is added for a kind that ``moderates`` and ``KEEP_OPEN`` for one
  that is ``answerable``; ``all_fields()`` lists them;
- ``validate(v, a, where)``: its fields of one activity in a programme file, checked with the
  programme validator's primitives (``Checks``); the Activity fields it gives;
- ``moderated_text(value)``: the free text moderation looks at (``moderation_status`` then
  says whether it waits: ``before``, or ``after`` with a word of the word filter);
- ``clean(activity, value)``: an answer as it is stored, or ``InvalidResponse``;
  ``clean_question(activity, text)`` the same for a Q&A question;
- ``new_tally(activity, label)``: the empty result of one activity: a ``kinds.tally.Tally``,
  of the kind's own class defined in its module (``tally.QuestionBoard`` for a kind whose
  answers are ``questions``);
- ``view(activity, role)``: its keys of the activity as screens get it (``snapshot``);
- ``form_value(activity, form)``: the answer a no-JavaScript form carries, or ``FormError``; the
  form itself is the template ``form_template`` (``templates/kinds/<name>.html``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from .answers import FormError, InvalidResponse
from .exporting import Cells, CodebookEntry, Report, Sheet, WordMarks
from .tally import APPROVED, PENDING, QuestionBoard, Tally

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from ..programme import Activity, Option

#: a text in each language: {"en": ..., "nl": ...}
Words = dict[str, str]

DEFAULT_TEXT_LENGTH = 280
MAX_TEXT_LENGTH = 1000
MAX_OPTIONS = 30
SHOW_RESULTS = ("live", "after_close", "manual")
#: when a moderated kind's entries reach the projector: after the facilitator's approval
#: (``before``), at once unless the word filter holds them back (``after``), at once (``none``)
MODERATIONS = ("before", "after", "none")
ORIGINS = ("deck", "deck_adapted", "added", "placeholder")
POLARITIES = ("positive", "negative", "neutral")
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

#: what a ``Field`` holds: ``text`` (one entry per language), ``string``, ``integer``,
#: ``boolean``, ``choice`` (one of ``values``), ``id`` (a slug), ``activity_id`` (another
#: activity's id), ``options`` (a list of options or an option set's name), ``notes`` (language
#: to text), ``object`` (the nested ``fields``) and ``list`` (of objects with ``fields``)
FIELD_TYPES = (
    "text",
    "string",
    "integer",
    "boolean",
    "choice",
    "id",
    "activity_id",
    "options",
    "notes",
    "object",
    "list",
)


def words(en: str, nl: str) -> Words:
    return {"en": en, "nl": nl}


@dataclass(frozen=True, eq=False)
class Field:
    """One field of an activity in a programme file, as an editor and the schema see it."""

    name: str
    type: str
    label: Words
    help: Words
    required: bool = False
    default: Any = None
    min: int | None = None
    max: int | None = None
    values: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    #: for ``options``: what one entry is called in messages ("options", "items", "ratings")
    noun: str = "options"
    #: for ``options``: each option may carry a polarity (a matrix's ratings)
    polarity: bool = False
    #: a typical value, for a required field without a default: what an editor fills in for a
    #: new activity (the schema's ``examples``)
    example: Any = None
    #: for ``text``: several lines (an editor shows a text area)
    multiline: bool = False
    #: for ``object`` without ``fields``: its keys are the ids of the activity's ``options``
    #: and its values numbers or null (a reference's figures per option)
    keyed_by_options: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for an editor."""
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "label": self.label,
            "help": self.help,
            "required": self.required,
        }
        for key in ("default", "example", "min", "max"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.values:
            out["values"] = list(self.values)
        if self.fields:
            out["fields"] = [f.as_dict() for f in self.fields]
        for key in ("multiline", "keyed_by_options"):
            if getattr(self, key):
                out[key] = True
        return out


class Checks(Protocol):
    """The programme validator's primitives a kind validates its fields with
    (``programme._Validator``): each records a precise problem and returns a clean value or
    None."""

    languages: tuple[str, ...]
    option_sets: dict[str, tuple[Option, ...]]
    sources: dict[str, dict[str, Any]]

    def fail(self, where: str, message: str) -> None: ...
    def mapping(self, where: str, value: Any) -> Mapping[str, Any] | None: ...
    def keys(
        self, where: str, data: Mapping[str, Any], required: set[str], allowed: set[str]
    ) -> bool: ...
    def text(self, where: str, value: Any, *, required: bool = True) -> Words | None: ...
    def boolean(self, where: str, value: Any, default: bool = False) -> bool: ...
    def integer(
        self, where: str, value: Any, lo: int | None = None, hi: int | None = None
    ) -> int | None: ...
    def choice(self, where: str, value: Any, allowed: tuple[str, ...]) -> str | None: ...
    def options(
        self,
        path: str,
        value: Any,
        lo: int = 2,
        hi: int = MAX_OPTIONS,
        polarity: bool = False,
        noun: str = "options",
    ) -> tuple[Option, ...] | None: ...
    def option_list(
        self,
        path: str,
        value: Any,
        option_sets: dict[str, tuple[Option, ...]],
        lo: int = 2,
        hi: int = MAX_OPTIONS,
        noun: str = "options",
    ) -> tuple[Option, ...] | None: ...
    def later(self, check: Callable[[Sequence[Activity]], None]) -> None:
        """Run ``check`` with every activity once the whole programme is read."""


class Form(Protocol):
    """A posted form (werkzeug's MultiDict), as far as a kind reads it."""

    def get(self, key: str, default: str) -> str: ...
    def getlist(self, key: str) -> list[str]: ...


def check_field(v: Checks, where: str, a: Mapping[str, Any], field: Field) -> Any:
    """A simple field (integer, boolean, text, choice, string) checked from its descriptor."""
    path = f"{where}.{field.name}"
    value = a.get(field.name)
    if field.type == "integer":
        if value is None and field.default is None and not field.required:
            return None
        return v.integer(path, a.get(field.name, field.default), field.min, field.max)
    if field.type == "boolean":
        return v.boolean(path, value, bool(field.default))
    if field.type == "text":
        return v.text(path, value, required=field.required)
    if field.type == "choice":
        return None if value is None else v.choice(path, value, field.values)
    if field.type == "string":
        if value is None:
            return None
        if not isinstance(value, str):
            v.fail(path, "expected a string")
            return None
        return value
    raise TypeError(f"field '{field.name}' ({field.type}) has no generic check")


TIMER = Field(
    "timer",
    "object",
    words("Timer", "Timer"),
    words(
        "A countdown on the screens while the activity is open.",
        "Een aftelklok op de schermen terwijl de activiteit open is.",
    ),
    fields=(
        Field(
            "seconds",
            "integer",
            words("Seconds", "Seconden"),
            words("How long the timer runs.", "Hoe lang de timer loopt."),
            required=True,
            min=5,
            max=3600,
            example=60,
        ),
        Field(
            "auto_close",
            "boolean",
            words("Close at zero", "Sluit bij nul"),
            words(
                "Close answering when the timer reaches zero.",
                "Sluit het antwoorden als de timer op nul staat.",
            ),
            default=True,
        ),
    ),
)

#: every activity's fields, whatever its kind
COMMON_FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        "id",
        words("Id", "Id"),
        words(
            "Unique in the programme: lowercase letters, digits, '-' or '_'.",
            "Uniek in het programma: kleine letters, cijfers, '-' of '_'.",
        ),
        required=True,
    ),
    Field(
        "kind",
        "choice",
        words("Kind", "Soort"),
        words("What the activity asks (or shows).", "Wat de activiteit vraagt (of toont)."),
        required=True,
    ),
    Field(
        "title",
        "text",
        words("Title", "Titel"),
        words(
            "Heading on the screens (required for a slide that takes no answers).",
            "Kop op de schermen (verplicht voor een dia zonder antwoorden).",
        ),
    ),
    Field(
        "prompt",
        "text",
        words("Question", "Vraag"),
        words(
            "The question participants answer (required when it takes answers).",
            "De vraag die deelnemers beantwoorden (verplicht als er geantwoord wordt).",
        ),
    ),
    Field(
        "origin",
        "choice",
        words("Origin", "Herkomst"),
        words("Where the content comes from.", "Waar de inhoud vandaan komt."),
        values=ORIGINS,
    ),
    Field(
        "optional",
        "boolean",
        words("Optional", "Optioneel"),
        words("The facilitator may skip it.", "De begeleider mag het overslaan."),
        default=False,
    ),
    Field(
        "placeholder",
        "boolean",
        words("Provisional", "Voorlopig"),
        words("Screens show a 'provisional' badge.", "Schermen tonen een badge 'voorlopig'."),
        default=False,
    ),
    Field(
        "confirm_with",
        "string",
        words("Confirm with", "Bevestigen met"),
        words("Who must confirm provisional content.", "Wie voorlopige inhoud moet bevestigen."),
    ),
    Field(
        "notes",
        "notes",
        words("Notes", "Notities"),
        words(
            "Notes for the programme's authors (never shown).",
            "Notities voor wie het programma schrijft (nooit getoond).",
        ),
    ),
    Field(
        "show_results",
        "choice",
        words("Show results", "Resultaten tonen"),
        words(
            "When the projector shows the results (default: the programme's setting).",
            "Wanneer de projector de resultaten toont (standaard: de instelling van het "
            "programma).",
        ),
        values=SHOW_RESULTS,
    ),
    Field(
        "presenter_notes",
        "text",
        words("Presenter notes", "Presentatornotities"),
        words("Shown on the control screen only.", "Alleen op het bedieningsscherm."),
        multiline=True,
    ),
    TIMER,
)

#: a field of every kind that ``moderates``
MODERATION = Field(
    "moderation",
    "choice",
    words("Moderation", "Moderatie"),
    words(
        "before: entries wait for the facilitator's approval before the projector shows "
        "them; after: shown at once (the facilitator can hide them), only entries with a "
        "word of the word filter wait; none: shown at once (default: the programme's "
        "setting, else before).",
        "before: inzendingen wachten op goedkeuring van de begeleider voor de projector ze "
        "toont; after: meteen getoond (de begeleider kan ze verbergen), alleen inzendingen "
        "met een woord uit de woordfilter wachten; none: meteen getoond (standaard: de "
        "instelling van het programma, anders before).",
    ),
    values=MODERATIONS,
)

#: a field of every kind that is ``answerable``
KEEP_OPEN = Field(
    "keep_open",
    "boolean",
    words("Keep open", "Open houden"),
    words(
        "Answering stays open when the facilitator moves on (otherwise it closes, except "
        "in a section at the participants' own pace).",
        "Antwoorden blijft open als de begeleider verdergaat (anders sluit het, behalve in "
        "een deel op eigen tempo).",
    ),
    default=False,
)


def option_views(options: Sequence[Option]) -> list[dict[str, Any]]:
    return [
        {"id": o.id, "label": o.label, "description": o.description, "placeholder": o.placeholder}
        for o in options
    ]


class Kind:
    name: ClassVar[str]
    #: what an editor calls it, and a line on what it does
    label: ClassVar[Words]
    help: ClassVar[Words]
    answerable: ClassVar[bool] = True
    questions: ClassVar[bool] = False
    breakdown: ClassVar[bool] = False
    moderates: ClassVar[str | None] = None
    profile: ClassVar[bool] = False
    per_table: ClassVar[bool] = False
    #: the kind's own programme fields
    fields: ClassVar[tuple[Field, ...]] = ()
    #: the folder of a kind from outside this package that holds its ``<name>.js`` and
    #: ``<name>.html`` (None: the built-in places, static/js/kinds/ and templates/kinds/)
    assets: ClassVar[Path | None] = None
    #: keys of ``view`` that follow a common key of the activity's view ("timer" or
    #: "presenter_notes") instead of coming before them: keeps the payload's order
    view_follows: ClassVar[Mapping[str, str]] = {}

    def moderated_text(self, value: Any) -> str | None:
        """The free text in a stored value that moderation looks at (None: none)."""
        return None

    def moderation_status(self, activity: Activity, value: Any) -> str:
        """``"pending"`` when this stored value waits for the facilitator, else
        ``"approved"``: text under moderation ``before``, or under ``after`` text with a word
        of the programme's word filter."""
        text = self.moderated_text(value) if self.moderates else None
        if not text or activity.moderation == "none":
            return APPROVED
        if activity.moderation == "before":
            return PENDING
        held = activity.word_filter is not None and activity.word_filter.held_back(text)
        return PENDING if held else APPROVED

    def all_fields(self) -> tuple[Field, ...]:
        """Every field an activity of this kind may have in a programme file."""
        return (
            COMMON_FIELDS
            + ((MODERATION,) if self.moderates else ())
            + ((KEEP_OPEN,) if self.answerable else ())
            + self.fields
        )

    def validate(self, v: Checks, a: Mapping[str, Any], where: str) -> dict[str, Any]:
        """This kind's fields of activity ``a`` (at ``where`` in the file), as Activity fields;
        problems go to ``v``. The common fields (and ``moderation``) are the programme's."""
        return {f.name: check_field(v, where, a, f) for f in self.fields}

    def clean(self, activity: Activity, value: Any) -> Any:
        """The value to store for this answer, or InvalidResponse."""
        raise InvalidResponse(
            "not_answerable", f"activity '{activity.id}' ({activity.kind}) takes no answers"
        )

    def at_table(
        self,
        activity: Activity,
        value: Any,
        table: int,
        participant_id: int,
        tally: Tally,
        holder: int | None,
    ) -> tuple[Any, bool]:
        """A ``per_table`` kind: the cleaned ``value`` as stored for the participant's
        ``table`` (``tally``: the activity's result so far; ``holder``: the phone that holds the
        table's role, if any), and whether this phone now takes that role. InvalidResponse when
        this phone may not answer for its table. Called while answers are serialised."""
        return value, False

    def table_result(self, tally: Tally, table: int) -> dict[str, Any] | None:
        """A ``per_table`` kind: one table's own part of the result, from the activity's tally
        (what the table's phones edit, and its table screen shows before the room sees the
        rest; the control screen's view, with moderation marks). Default: none."""
        return None

    def clean_question(self, activity: Activity, text: Any) -> str:
        """A question as stored (kinds whose answers are ``questions``), or InvalidResponse."""
        raise InvalidResponse("not_answerable", f"activity '{activity.id}' takes no questions")

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        """An empty tally of this activity's answers: an instance of the kind's own ``Tally``
        subclass, defined in its module. Default: a ``QuestionBoard`` for a kind whose answers
        are ``questions`` (the live use cases and the export rely on it), else one that only
        counts."""
        return QuestionBoard(activity, label) if self.questions else Tally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        """This kind's keys of the activity as a screen (``role``) draws it."""
        if not self.moderates:
            return {}
        return {"moderated": activity.moderated, "moderation": activity.moderation}

    @property
    def form_template(self) -> str:
        """The Jinja partial of its no-JavaScript form (macros ``inputs`` and ``summary``)."""
        return f"kinds/{self.name}.html"

    def form_value(self, activity: Activity, form: Form) -> Any:
        """The answer a posted form carries, in the shape the Socket.IO ``respond`` (or
        ``ask``) sends; cleaning is ``clean``'s. FormError when there is none."""
        raise FormError("not_answerable")

    def sample_answers(self, activity: Activity, n: int) -> list[Any]:
        """``n`` plausible answers to the activity, for the editor's preview: each in the shape
        ``respond`` sends (docs/protocol.md), or the text of a question for a kind whose answers
        are ``questions`` (sent with ``ask``). Varied, so the projector has something to show.
        Default: none (a kind that takes no answers)."""
        return []

    # -- exports
    # What the export package (facilitator/export/) asks a kind; kinds/exporting.py has the
    # types. ``result`` is the projector's result of the activity (approved texts only),
    # ``control`` the control screen's (every text, with its status); ``groups`` a breakdown's
    # groups as ``aggregate.breakdown`` gives them (``label``, ``n``, ``suppressed``, ``result``).

    def tidy_cells(
        self, activity: Activity, value: Any, status: str | None, words: WordMarks
    ) -> Sequence[Cells]:
        """The answer cells of the tidy rows (CSV, XLSX "Responses") of one stored answer
        ``value`` with its moderation ``status``: one tuple per row (per chosen option, ranked
        option, rated item or word). ``words``: the activity's word moderation. Default: no
        rows (Q&A questions are rows of their own, written by the export)."""
        return ()

    def tidy_count(self, activity: Activity, value: Any) -> int:
        """How many tidy rows ``tidy_cells`` gives for ``value`` (the XLSX sheet's size is
        written before its rows); override with a count that builds nothing."""
        return len(self.tidy_cells(activity, value, None, WordMarks()))

    def codebook_notes(self, activity: Activity) -> list[str]:
        """What the codebook says about the activity besides its texts (after "profile
        question", before "moderated"): limits, scale positions, comparisons."""
        return []

    def codebook_entries(self, activity: Activity) -> list[CodebookEntry]:
        """Codebook entries after the activity's options, items and ratings (a scale's ends)."""
        return []

    def xlsx_sheet(
        self,
        sheet: Sheet,
        activity: Activity,
        result: dict[str, Any],
        control: dict[str, Any] | None,
    ) -> None:
        """The kind's part of the activity's worksheet, below its facts: counts, percentages,
        texts and a native chart. Default: nothing."""

    def xlsx_breakdown(
        self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]], small: str
    ) -> None:
        """One breakdown as a table on the activity's worksheet (header row, then a row per
        group; ``small`` stands in for the size of a suppressed group). Default: nothing."""

    def report_block(
        self, report: Report, activity: Activity, result: dict[str, Any], block: dict[str, Any]
    ) -> None:
        """Fill the activity's block of the printable report (templates/export/report.html):
        ``chart`` (markup), ``table`` ({"head", "rows", "numeric", "compact"?}), ``facts``
        ([(label, text)]), ``unit_note``, ``reference`` ({"caption", "note"}), ``texts`` with
        ``texts_title``, ``questions``, ``words``. Default: nothing (the block says how many
        answered)."""

    def report_breakdown(
        self,
        report: Report,
        activity: Activity,
        groups: list[dict[str, Any]],
        label: str,
        small: str,
    ) -> dict[str, Any] | None:
        """One breakdown as a table of the report: ``{"head", "rows"}`` and optionally
        ``"note"``; ``label`` names the dimension (the first column), ``small`` stands in for
        the size of a suppressed group. None: the kind's breakdowns are not in the report."""
        return None


#: how much of a value a programme problem quotes
SHOWN = 60


def shown(value: Any, limit: int = SHOWN) -> str:
    """A value as a programme problem quotes it (its repr), cut short: a 30 MB text is not
    copied into an error message, a log or a page."""
    text = repr(value)
    if len(text) <= limit:
        return text
    if isinstance(value, str):
        size = f"{len(value):,} characters"
    elif isinstance(value, list | dict):
        size = f"a {type(value).__name__} of {len(value):,}"
    else:
        size = type(value).__name__
    return f"{text[: limit - 1]}… ({size})"
