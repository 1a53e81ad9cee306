"""The ``single_choice`` kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import choice_exports, register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, Report, Sheet, WordMarks


class SingleChoice(Kind):
    name = "single_choice"
    breakdown = True
    profile = True

    # -- exports

    def tidy_cells(self, activity: Activity, value: Any, status: str | None,
                   words: WordMarks) -> Sequence[Cells]:
        return ((None, value, None, None, None, None, None, None),)

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return 1

    def xlsx_sheet(self, sheet: Sheet, activity: Activity, result: dict[str, Any],
                   control: dict[str, Any] | None) -> None:
        choice_exports.xlsx_sheet(sheet, activity, result)

    def xlsx_breakdown(self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]],
                       small: str) -> None:
        choice_exports.xlsx_breakdown(sheet, activity, groups, small)

    def report_block(self, report: Report, activity: Activity, result: dict[str, Any],
                     block: dict[str, Any]) -> None:
        choice_exports.report_block(report, activity, result, block, several=False)

    def report_breakdown(self, report: Report, activity: Activity,
                         groups: list[dict[str, Any]], label: str,
                         small: str) -> dict[str, Any] | None:
        return choice_exports.report_breakdown(report, activity, groups, label, small)


register(SingleChoice())
