"""``thumbs``: thumbs up or down. A kind added from outside the package (tests only): this
module, ``thumbs.js`` (phone input and result) and ``thumbs.html`` (no-JavaScript form), loaded
with ``DIALOOGTAFEL_KINDS=tests.kinds_extra.thumbs``."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

from facilitator.aggregate import CONTROL, Tally, percent
from facilitator.kinds import register
from facilitator.kinds.answers import FormError, InvalidResponse
from facilitator.kinds.base import Field, Form, Kind, words
from facilitator.kinds.exporting import Cells, WordMarks
from facilitator.programme import Activity

CHOICES = ("up", "down")


class ThumbsTally(Tally):
    def __init__(self, activity: Activity, label: Callable[[Hashable], str] = str):
        super().__init__(activity, label)
        self.counts = dict.fromkeys(CHOICES, 0)

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        self.counts[value] += 1

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        self.counts[value] -= 1

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        n = self.respondents
        return {
            "respondents": n,
            **{c: {"count": k, "percent": percent(k, n)} for c, k in self.counts.items()},
        }


class Thumbs(Kind):
    name = "thumbs"
    label = words("Thumbs", "Duimen")
    help = words("Thumbs up or down.", "Duim omhoog of omlaag.")
    assets = Path(__file__).resolve().parent
    fields = (
        Field(
            "up_label",
            "text",
            words("Up", "Omhoog"),
            words("What thumbs up means.", "Wat duim omhoog betekent."),
            required=True,
        ),
        Field(
            "down_label",
            "text",
            words("Down", "Omlaag"),
            words("What thumbs down means.", "Wat duim omlaag betekent."),
            required=True,
        ),
    )

    def clean(self, activity: Activity, value: Any) -> str:
        if value not in CHOICES:
            raise InvalidResponse("invalid_response", "value must be 'up' or 'down'")
        return str(value)

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        return ThumbsTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {
            "up_label": activity.settings["up_label"],
            "down_label": activity.settings["down_label"],
        }

    def form_value(self, activity: Activity, form: Form) -> Any:
        value = form.get("value", "")
        if not value:
            raise FormError("empty")
        return value

    # -- exports

    def tidy_cells(
        self, activity: Activity, value: Any, status: str | None, words: WordMarks
    ) -> Sequence[Cells]:
        return ((None, None, None, None, value, None, None, None),)


register(Thumbs())
