"""The ``open_text`` kind: a free text; moderated entries wait for the facilitator."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from . import register
from .answers import FormError, clean_text
from .base import DEFAULT_TEXT_LENGTH, MAX_TEXT_LENGTH, Field, Form, Kind, words
from .tally import CONTROL, Label, Moderated, Tally

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, Report, Sheet, WordMarks

MAX_LENGTH = Field(
    "max_length",
    "integer",
    words("Longest", "Langste"),
    words("At most this many characters.", "Hoogstens zoveel tekens."),
    default=DEFAULT_TEXT_LENGTH,
    min=1,
    max=MAX_TEXT_LENGTH,
)


class TextTally(Moderated):
    """open_text: the entries, in the order they were first sent."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.entries: dict[Hashable, str] = {}

    def listed(self) -> Collection[Hashable]:
        return self.entries

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
        entries, unlisted, statuses = self.listing(self.entries, self.entries.__getitem__, audience)
        out: dict[str, Any] = {"entries": entries, "n": self.respondents}
        if unlisted is not None:
            out["unlisted"] = unlisted
        if statuses is not None:
            out["statuses"] = statuses
        return out


class OpenText(Kind):
    name = "open_text"
    label = words("Open question", "Open vraag")
    help = words("Participants write a short text.", "Deelnemers schrijven een korte tekst.")
    moderates = "entries"
    fields = (MAX_LENGTH,)
    view_follows: ClassVar[Mapping[str, str]] = {"max_length": "presenter_notes"}

    def moderated_text(self, value: Any) -> str | None:
        return value if isinstance(value, str) else None

    def clean(self, activity: Activity, value: Any) -> str:
        text = clean_text(value, activity.max_length or DEFAULT_TEXT_LENGTH)
        assert text is not None
        return text

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        return TextTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {**super().view(activity, role), "max_length": activity.max_length}

    def form_value(self, activity: Activity, form: Form) -> Any:
        text = form.get("text", "").strip()
        if not text:
            raise FormError("empty")
        return text

    def sample_answers(self, activity: Activity, n: int) -> list[Any]:
        return [f"Voorbeeldantwoord {i + 1}"[: activity.max_length or 280] for i in range(n)]

    # -- exports

    def tidy_cells(
        self, activity: Activity, value: Any, status: str | None, words: WordMarks
    ) -> Sequence[Cells]:
        return ((None, None, None, None, None, value, status, None),)

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return 1

    def xlsx_sheet(
        self,
        sheet: Sheet,
        activity: Activity,
        result: dict[str, Any],
        control: dict[str, Any] | None,
    ) -> None:
        """Every text with its moderation status (the control screen's list)."""
        entries = (control or {}).get("entries") or []
        sheet.line(["text", "status"], "head")
        for e in entries:
            sheet.line([e["text"], e.get("status")])
        sheet.line(["n", len(entries)], "bold")
        sheet.set_column(0, 0, 80, "wrap")

    def report_block(
        self, report: Report, activity: Activity, result: dict[str, Any], block: dict[str, Any]
    ) -> None:
        """The approved texts (what the projector showed)."""
        block["texts_title"] = report.gettext("Answers")
        block["texts"] = [e["text"] for e in result.get("entries", [])]


register(OpenText())
