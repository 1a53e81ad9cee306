"""The ``qna`` kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Report, Sheet


class Qna(Kind):
    name = "qna"
    questions = True
    moderates = "questions"

    # -- exports

    def xlsx_sheet(self, sheet: Sheet, activity: Activity, result: dict[str, Any],
                   control: dict[str, Any] | None) -> None:
        """Every question with its votes and marks (the control screen's list)."""
        questions = (control or {}).get("questions") or []
        sheet.line(["question", "votes", "status", "pinned", "answered"], "head")
        for q in questions:
            sheet.line([q["text"], q["votes"], q.get("status"), q["pinned"], q["answered"]])
        sheet.line(["questions", len(questions)], "bold")
        sheet.set_column(0, 0, 80, "wrap")

    def report_block(self, report: Report, activity: Activity, result: dict[str, Any],
                     block: dict[str, Any]) -> None:
        """The questions the projector showed, with their votes."""
        block["questions"] = [{"text": q["text"], "votes": q["votes"],
                               "answered": q["answered"]} for q in result.get("questions", [])]


register(Qna())
