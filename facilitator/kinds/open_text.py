"""The ``open_text`` kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, Report, Sheet, WordMarks


class OpenText(Kind):
    name = "open_text"
    moderates = "entries"

    def moderation_status(self, activity: Activity, value: Any) -> str:
        return "pending" if activity.moderated else "approved"

    # -- exports

    def tidy_cells(self, activity: Activity, value: Any, status: str | None,
                   words: WordMarks) -> Sequence[Cells]:
        return ((None, None, None, None, None, value, status, None),)

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return 1

    def xlsx_sheet(self, sheet: Sheet, activity: Activity, result: dict[str, Any],
                   control: dict[str, Any] | None) -> None:
        """Every text with its moderation status (the control screen's list)."""
        entries = (control or {}).get("entries") or []
        sheet.line(["text", "status"], "head")
        for e in entries:
            sheet.line([e["text"], e.get("status")])
        sheet.line(["n", len(entries)], "bold")
        sheet.set_column(0, 0, 80, "wrap")

    def report_block(self, report: Report, activity: Activity, result: dict[str, Any],
                     block: dict[str, Any]) -> None:
        """The approved texts (what the projector showed)."""
        block["texts_title"] = report.gettext("Answers")
        block["texts"] = [e["text"] for e in result.get("entries", [])]


register(OpenText())
