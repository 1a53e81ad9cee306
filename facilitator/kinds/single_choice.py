"""The ``single_choice`` kind: one option; it may be a profile question."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import choice_exports, register
from ._choice import OPTIONS, PROFILE, REFERENCE, SEGMENT_LABEL, ChoiceKind
from .answers import FormError, InvalidResponse
from .base import Form, words

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, Report, Sheet, WordMarks


class SingleChoice(ChoiceKind):
    name = "single_choice"
    label = words("Single choice", "Eén keuze")
    help = words("Participants choose one option.", "Deelnemers kiezen één optie.")
    breakdown = True
    profile = True
    fields = (OPTIONS, REFERENCE, PROFILE, SEGMENT_LABEL)

    def clean(self, activity: Activity, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidResponse("invalid_response", "value must be one option id (a string)")
        if value not in activity.option_ids:
            raise InvalidResponse(
                "invalid_response", f"'{value[:40]}' is not an option of '{activity.id}'"
            )
        return value

    def form_value(self, activity: Activity, form: Form) -> Any:
        value = form.get("value", "")
        if not value:
            raise FormError("empty")
        return value

    def sample_answers(self, activity: Activity, n: int) -> list[Any]:
        ids = [o.id for o in activity.options]
        return [ids[(i * i) % len(ids)] for i in range(n)] if ids else []

    # -- exports

    def tidy_cells(
        self, activity: Activity, value: Any, status: str | None, words: WordMarks
    ) -> Sequence[Cells]:
        return ((None, value, None, None, None, None, None, None),)

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return 1

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
        choice_exports.report_block(report, activity, result, block, several=False)

    def report_breakdown(
        self,
        report: Report,
        activity: Activity,
        groups: list[dict[str, Any]],
        label: str,
        small: str,
    ) -> dict[str, Any] | None:
        return choice_exports.report_breakdown(report, activity, groups, label, small)


register(SingleChoice())
