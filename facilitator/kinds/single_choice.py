"""The ``single_choice`` kind: one option; it may be a profile question."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import register
from ._choice import OPTIONS, PROFILE, REFERENCE, SEGMENT_LABEL, ChoiceKind
from .answers import FormError, InvalidResponse
from .base import Form, words

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity


class SingleChoice(ChoiceKind):
    name = "single_choice"
    label = words("Single choice", "Eén keuze")
    help = words("Participants choose one option.",
                 "Deelnemers kiezen één optie.")
    breakdown = True
    profile = True
    fields = (OPTIONS, REFERENCE, PROFILE, SEGMENT_LABEL)

    def clean(self, activity: Activity, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidResponse("invalid_response", "value must be one option id (a string)")
        if value not in activity.option_ids:
            raise InvalidResponse("invalid_response", f"'{value[:40]}' is not an option of "
                                  f"'{activity.id}'")
        return value

    def form_value(self, activity: Activity, form: Form) -> Any:
        value = form.get("value", "")
        if not value:
            raise FormError("empty")
        return value


register(SingleChoice())
