"""The ``word_cloud`` kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..stopwords import STOP_WORDS
from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, Report, Sheet, WordMarks


class WordCloud(Kind):
    name = "word_cloud"
    breakdown = True
    moderates = "words"

    # -- exports

    def tidy_cells(self, activity: Activity, value: Any, status: str | None,
                   words: WordMarks) -> Sequence[Cells]:
        """One row per word, with its own status: stop_word, hidden, approved or pending."""
        cells: list[Cells] = []
        for w in value:
            if w in STOP_WORDS:
                mark = "stop_word"
            elif w in words.hidden:
                mark = "hidden"
            elif not activity.moderated or w in words.approved:
                mark = "approved"
            else:
                mark = "pending"
            cells.append((None, None, None, None, None, w, mark, None))
        return cells

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return len(value)

    def xlsx_sheet(self, sheet: Sheet, activity: Activity, result: dict[str, Any],
                   control: dict[str, Any] | None) -> None:
        """The words the projector showed with their counts; a bar chart of the top 15."""
        sheet.line(["word", "count"], "head")
        first = sheet.row
        for w in result["words"]:
            sheet.line([w["word"], w["count"]])
        last = sheet.row - 1
        sheet.line(["respondents", result["respondents"]], "bold")
        sheet.line(["the words the projector showed (at most 100; stop words are not counted; "
                    "hidden and unapproved words are left out: see Responses)"], "muted")
        if result["words"]:
            top = min(last, first + 14)
            chart = sheet.chart("bar")
            chart.add_series({"name": "count", "categories": sheet.cells(first, 0, top, 0),
                              "values": sheet.cells(first, 1, top, 1),
                              "fill": {"color": sheet.colour(0)},
                              "data_labels": {"value": True}})
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"none": True})
            chart.set_size({"width": 520, "height": 90 + 26 * (top - first + 1)})
            sheet.insert_chart(first - 1, 4, chart)

    def xlsx_breakdown(self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]],
                       small: str) -> None:
        """Per group: n and its ten most given words."""
        sheet.line(["group", "n", "top words (count)"], "head")
        for g in groups:
            res = g["result"]
            top = "; ".join(f"{w['word']} ({w['count']})" for w in res["words"][:10]) \
                if res is not None else None
            sheet.line([sheet.pick(g["label"]), small if g["suppressed"] else g["n"], top])

    def report_block(self, report: Report, activity: Activity, result: dict[str, Any],
                     block: dict[str, Any]) -> None:
        """Bars of the 15 most given words, and every word the projector showed."""
        _ = report.gettext
        words = result.get("words", [])
        top = words[:15]
        if top:
            peak = max(w["count"] for w in top)
            block["chart"] = report.bars(
                [{"label": w["word"], "values": [w["count"]], "texts": [str(w["count"])]}
                 for w in top], maximum=peak, series=[(_("Count"), 0)])
        block["words"] = [(w["word"], w["count"]) for w in words]
        block["facts"] = [(_("Respondents"), str(result["respondents"])),
                          (_("Different words"), str(len(words)))]
        block["unit_note"] = _("How many participants gave each word; common words such as "
                               "\u201cde\u201d or \u201cthe\u201d are not counted.")

    def report_breakdown(self, report: Report, activity: Activity,
                         groups: list[dict[str, Any]], label: str,
                         small: str) -> dict[str, Any] | None:
        """Per group: n and its eight most given words."""
        rows = []
        for g in groups:
            res = g["result"]
            top = ", ".join(f"{w['word']} ({w['count']})" for w in res["words"][:8]) \
                if res is not None else ""
            rows.append([report.pick(g["label"]), small if g["suppressed"] else str(g["n"]),
                         top])
        return {"head": [label, "n", report.gettext("Most given words")], "rows": rows}


register(WordCloud())
