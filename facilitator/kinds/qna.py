"""The ``qna`` kind: participants ask questions (several each) and upvote the room's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from . import register
from .answers import FormError, clean_text
from .base import DEFAULT_TEXT_LENGTH, Form, Kind, words
from .open_text import MAX_LENGTH

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Report, Sheet


class Qna(Kind):
    name = "qna"
    label = words("Questions", "Vragen")
    help = words(
        "Participants ask questions and upvote those of others.",
        "Deelnemers stellen vragen en stemmen op die van anderen.",
    )
    questions = True
    moderates = "questions"
    fields = (MAX_LENGTH,)
    view_follows: ClassVar[Mapping[str, str]] = {"max_length": "presenter_notes"}

    def moderated_text(self, value: Any) -> str | None:
        return value if isinstance(value, str) else None

    def clean_question(self, activity: Activity, text: Any) -> str:
        cleaned = clean_text(text, activity.max_length or DEFAULT_TEXT_LENGTH, "question")
        assert cleaned is not None
        return cleaned

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {**super().view(activity, role), "max_length": activity.max_length}

    def form_value(self, activity: Activity, form: Form) -> Any:
        text = form.get("text", "").strip()
        if not text:
            raise FormError("empty")
        return text

    def sample_answers(self, activity: Activity, n: int) -> list[Any]:
        return [f"Voorbeeldvraag {i + 1}"[: activity.max_length or 280] for i in range(n)]

    # -- exports

    def xlsx_sheet(
        self,
        sheet: Sheet,
        activity: Activity,
        result: dict[str, Any],
        control: dict[str, Any] | None,
    ) -> None:
        """Every question with its votes and marks (the control screen's list)."""
        questions = (control or {}).get("questions") or []
        sheet.line(["question", "votes", "status", "pinned", "answered"], "head")
        for q in questions:
            sheet.line([q["text"], q["votes"], q.get("status"), q["pinned"], q["answered"]])
        sheet.line(["questions", len(questions)], "bold")
        sheet.set_column(0, 0, 80, "wrap")

    def report_block(
        self, report: Report, activity: Activity, result: dict[str, Any], block: dict[str, Any]
    ) -> None:
        """The questions the projector showed, with their votes."""
        block["questions"] = [
            {"text": q["text"], "votes": q["votes"], "answered": q["answered"]}
            for q in result.get("questions", [])
        ]


register(Qna())
