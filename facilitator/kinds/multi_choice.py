"""The ``multi_choice`` kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import choice_exports, register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, Report, Sheet, WordMarks


class MultiChoice(Kind):
    name = "multi_choice"
    breakdown = True

    # -- exports

    def tidy_cells(self, activity: Activity, value: Any, status: str | None,
                   words: WordMarks) -> Sequence[Cells]:
        """One row per chosen option."""
        return [(None, oid, None, None, None, None, None, None) for oid in value]

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return len(value)

    def codebook_notes(self, activity: Activity) -> list[str]:
        return [f"at most {activity.max_choices} choices"] if activity.max_choices else []

    def xlsx_sheet(self, sheet: Sheet, activity: Activity, result: dict[str, Any],
                   control: dict[str, Any] | None) -> None:
        choice_exports.xlsx_sheet(sheet, activity, result)

    def xlsx_breakdown(self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]],
                       small: str) -> None:
        choice_exports.xlsx_breakdown(sheet, activity, groups, small)

    def report_block(self, report: Report, activity: Activity, result: dict[str, Any],
                     block: dict[str, Any]) -> None:
        choice_exports.report_block(report, activity, result, block, several=True)

    def report_breakdown(self, report: Report, activity: Activity,
                         groups: list[dict[str, Any]], label: str,
                         small: str) -> dict[str, Any] | None:
        return choice_exports.report_breakdown(report, activity, groups, label, small)


register(MultiChoice())
