"""The ``open_text`` kind: a free text; moderated entries wait for the facilitator."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from . import register
from .answers import FormError, clean_text
from .base import DEFAULT_TEXT_LENGTH, MAX_TEXT_LENGTH, Field, Form, Kind, words

if TYPE_CHECKING:  # pragma: no cover
    from ..aggregate import Tally
    from ..programme import Activity

MAX_LENGTH = Field("max_length", "integer", words("Longest", "Langste"),
                   words("At most this many characters.", "Hoogstens zoveel tekens."),
                   default=DEFAULT_TEXT_LENGTH, min=1, max=MAX_TEXT_LENGTH)


class OpenText(Kind):
    name = "open_text"
    label = words("Open question", "Open vraag")
    help = words("Participants write a short text.",
                 "Deelnemers schrijven een korte tekst.")
    moderates = "entries"
    fields = (MAX_LENGTH,)
    view_follows: ClassVar[Mapping[str, str]] = {"max_length": "presenter_notes"}

    def moderation_status(self, activity: Activity, value: Any) -> str:
        return "pending" if activity.moderated else "approved"

    def clean(self, activity: Activity, value: Any) -> str:
        text = clean_text(value, activity.max_length or DEFAULT_TEXT_LENGTH)
        assert text is not None
        return text

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        from ..aggregate import TextTally

        return TextTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {**super().view(activity, role), "max_length": activity.max_length}

    def form_value(self, activity: Activity, form: Form) -> Any:
        text = form.get("text", "").strip()
        if not text:
            raise FormError("empty")
        return text


register(OpenText())
