"""The ``multi_choice`` kind: one or more options, at most ``max_choices``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from . import choice_exports, register
from ._choice import OPTIONS, REFERENCE, ChoiceKind
from .answers import FormError, InvalidResponse
from .base import MAX_OPTIONS, Checks, Field, Form, words

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity, Option
    from .exporting import Cells, Report, Sheet, WordMarks

MAX_CHOICES = Field(
    "max_choices",
    "integer",
    words("At most", "Hoogstens"),
    words(
        "How many options one participant may choose (default: all).",
        "Hoeveel opties één deelnemer mag kiezen (standaard: alle).",
    ),
    min=1,
    max=MAX_OPTIONS,
)


class MultiChoice(ChoiceKind):
    name = "multi_choice"
    label = words("Multiple choice", "Meerkeuze")
    help = words(
        "Participants choose one or more options.", "Deelnemers kiezen een of meer opties."
    )
    breakdown = True
    # profile and segment_label are single_choice's, but a multi_choice that has them gets
    # the same checks (and an "unknown field" problem)
    fields = (OPTIONS, REFERENCE, MAX_CHOICES)
    view_follows: ClassVar[Mapping[str, str]] = {
        "reference": "timer",
        "max_choices": "presenter_notes",
    }

    def validate_choices(
        self, v: Checks, a: Mapping[str, Any], where: str, options: tuple[Option, ...] | None
    ) -> dict[str, Any]:
        mc = a.get("max_choices")
        if mc is None:
            return {"max_choices": len(options or ())}
        if options:
            return {"max_choices": v.integer(f"{where}.max_choices", mc, 1, len(options))}
        return {}

    def clean(self, activity: Activity, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidResponse("invalid_response", "value must be a list of option ids")
        chosen = set(value)
        if len(chosen) != len(value):
            raise InvalidResponse("invalid_response", "an option is chosen more than once")
        if not chosen:
            raise InvalidResponse("invalid_response", "choose at least one option")
        unknown = [v for v in value if v not in activity.option_ids]
        if unknown:
            raise InvalidResponse(
                "invalid_response", f"'{unknown[0][:40]}' is not an option of '{activity.id}'"
            )
        limit = activity.max_choices or len(activity.options)
        if len(chosen) > limit:
            raise InvalidResponse(
                "invalid_response", f"{len(chosen)} options chosen (at most {limit})"
            )
        return [oid for oid in activity.option_ids if oid in chosen]

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {**super().view(activity, role), "max_choices": activity.max_choices}

    def form_value(self, activity: Activity, form: Form) -> Any:
        chosen = form.getlist("value")
        if not chosen:
            raise FormError("empty")
        return chosen

    def sample_answers(self, activity: Activity, n: int) -> list[Any]:
        ids = [o.id for o in activity.options]
        most = max(1, min(activity.max_choices or len(ids), len(ids)))
        return [ids[: 1 + i % most] for i in range(n)] if ids else []

    # -- exports

    def tidy_cells(
        self, activity: Activity, value: Any, status: str | None, words: WordMarks
    ) -> Sequence[Cells]:
        """One row per chosen option."""
        return [(None, oid, None, None, None, None, None, None) for oid in value]

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return len(value)

    def codebook_notes(self, activity: Activity) -> list[str]:
        return [f"at most {activity.max_choices} choices"] if activity.max_choices else []

    def xlsx_sheet(
        self,
        sheet: Sheet,
        activity: Activity,
        result: dict[str, Any],
        control: dict[str, Any] | None,
    ) -> None:
        choice_exports.xlsx_sheet(sheet, activity, result)

    def xlsx_breakdown(
        self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]], small: str
    ) -> None:
        choice_exports.xlsx_breakdown(sheet, activity, groups, small)

    def report_block(
        self, report: Report, activity: Activity, result: dict[str, Any], block: dict[str, Any]
    ) -> None:
        choice_exports.report_block(report, activity, result, block, several=True)

    def report_breakdown(
        self,
        report: Report,
        activity: Activity,
        groups: list[dict[str, Any]],
        label: str,
        small: str,
    ) -> dict[str, Any] | None:
        return choice_exports.report_breakdown(report, activity, groups, label, small)


register(MultiChoice())
