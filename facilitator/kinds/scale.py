"""The ``scale`` kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, CodebookEntry, Report, Series, Sheet, WordMarks


class Scale(Kind):
    name = "scale"
    breakdown = True
    moderates = "entries"

    def moderation_status(self, activity: Activity, value: Any) -> str:
        if activity.moderated and isinstance(value, dict) and value.get("why"):
            return "pending"
        return "approved"

    # -- exports

    def tidy_cells(self, activity: Activity, value: Any, status: str | None,
                   words: WordMarks) -> Sequence[Cells]:
        """The position; the why (if any) as the text, with its moderation status."""
        why = value.get("why")
        return ((None, None, None, None, value["position"], why, status if why else None,
                 None),)

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return 1

    def codebook_notes(self, activity: Activity) -> list[str]:
        sc = activity.scale
        if sc is None:
            return []
        notes = [f"positions {sc.min}..{sc.max} step {sc.step}"]
        if activity.compare_with:
            notes.append(f"compared with {activity.compare_with} (before/after)")
        return notes

    def codebook_entries(self, activity: Activity) -> list[CodebookEntry]:
        """Both ends of the scale with their labels."""
        sc = activity.scale
        if sc is None:
            return []
        return [("scale_end", str(sc.min), sc.left_label, ""),
                ("scale_end", str(sc.max), sc.right_label, "")]

    def xlsx_sheet(self, sheet: Sheet, activity: Activity, result: dict[str, Any],
                   control: dict[str, Any] | None) -> None:
        """The histogram (beside the compared scale's), n, mean and median, a column chart and
        every why with its moderation status."""
        sc = activity.scale
        assert sc is not None
        before = result.get("before")
        sheet.line(["value", "count"] + (["before_count"] if before else []), "head")
        first = sheet.row
        for k, h in enumerate(result["histogram"]):
            row = [h["value"], h["count"]]
            if before:
                row.append(before["histogram"][k]["count"])
            sheet.line(row)
        last = sheet.row - 1
        sheet.line(["n", result["n"]] + ([before["n"]] if before else []), "bold")
        sheet.line(["mean", result["mean"]] + ([before["mean"]] if before else []), "bold")
        sheet.line(["median", result["median"]] + ([before["median"]] if before else []),
                   "bold")
        sheet.line([f"{sc.min} = {sheet.pick(sc.left_label)}; "
                    f"{sc.max} = {sheet.pick(sc.right_label)}"], "muted")
        if before:
            sheet.line([f"before = {activity.compare_with}"], "muted")
        chart = sheet.chart("column")
        if before:
            chart.add_series({"name": f"before ({activity.compare_with})",
                              "categories": sheet.cells(first, 0, last, 0),
                              "values": sheet.cells(first, 2, last, 2),
                              "pattern": {"pattern": "wide_upward_diagonal",
                                          "fg_color": sheet.colour(1), "bg_color": "#FFFFFF"},
                              "border": {"color": sheet.colour(1)}})
        chart.add_series({"name": "count", "categories": sheet.cells(first, 0, last, 0),
                          "values": sheet.cells(first, 1, last, 1),
                          "fill": {"color": sheet.colour(0)}, "data_labels": {"value": True}})
        chart.set_size({"width": 620, "height": 300})
        sheet.insert_chart(first - 1, 7, chart)
        whys = (control or {}).get("whys") or []
        if whys:
            sheet.skip()
            sheet.line(["why", "status"], "head")
            for w in whys:
                sheet.line([w["text"], w.get("status")])

    def xlsx_breakdown(self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]],
                       small: str) -> None:
        """Per group: n, mean, median and the histogram."""
        assert activity.scale is not None
        positions = activity.scale.positions
        sheet.line(["group", "n", "mean", "median"] + [str(p) for p in positions], "head")
        for g in groups:
            res = g["result"]
            vals = []
            if res is not None:
                vals = [res["mean"], res["median"]] + [h["count"] for h in res["histogram"]]
            sheet.line([sheet.pick(g["label"]), small if g["suppressed"] else g["n"]] + vals)

    def report_block(self, report: Report, activity: Activity, result: dict[str, Any],
                     block: dict[str, Any]) -> None:
        """A histogram (beside the compared scale's) with the mean and the median marked, the
        facts, the counts as a table (up to 21 positions) and the approved whys."""
        _ = report.gettext
        sc = activity.scale
        assert sc is not None
        before = result.get("before")
        hist = result["histogram"]
        series: list[Series] = [(_("Now") if before else _("Count"), 0)]
        if before:
            series.insert(0, (_("Before"), 1))
        columns = []
        for k, h in enumerate(hist):
            vals: list[float | None] = [h["count"]]
            if before:
                vals.insert(0, before["histogram"][k]["count"])
            columns.append((str(h["value"]), vals))
        markers = []
        if result["mean"] is not None:
            markers.append((_("Mean") + " " + report.number(result["mean"]),
                            (result["mean"] - sc.min) / sc.step))
        if result["median"] is not None:
            markers.append((_("Median") + " " + report.number(result["median"]),
                            (result["median"] - sc.min) / sc.step))
        ends = (f"{sc.min} = {report.pick(sc.left_label)}",
                f"{sc.max} = {report.pick(sc.right_label)}")
        block["chart"] = report.columns(columns, series=series, markers=markers, ends=ends)
        block["facts"] = [(_("Respondents"), str(result["n"])),
                          (_("Mean"), report.number(result["mean"])),
                          (_("Median"), report.number(result["median"]))]
        if before:
            block["facts"] += [(_("Before: respondents"), str(before["n"])),
                               (_("Before: mean"), report.number(before["mean"])),
                               (_("Before: median"), report.number(before["median"]))]
        if len(hist) <= 21:
            head = [_("Value"), _("Count")] if not before else [_("Value"), _("Before"), _("Now")]
            rows = []
            for k, h in enumerate(hist):
                row = [str(h["value"]), str(h["count"])]
                if before:
                    row.insert(1, str(before["histogram"][k]["count"]))
                rows.append(row)
            block["table"] = {"head": head, "rows": rows, "numeric": [1, 2], "compact": True}
        whys = [w["text"] for w in result.get("whys", [])]
        if whys:
            block["texts_title"] = _("Why")
            block["texts"] = whys

    def report_breakdown(self, report: Report, activity: Activity,
                         groups: list[dict[str, Any]], label: str,
                         small: str) -> dict[str, Any] | None:
        """Per group: n, mean and median."""
        _ = report.gettext
        rows = []
        for g in groups:
            res = g["result"]
            cells = [report.pick(g["label"]), small if g["suppressed"] else str(g["n"])]
            cells += [report.number(res["mean"]), report.number(res["median"])] \
                if res is not None else ["", ""]
            rows.append(cells)
        return {"head": [label, "n", _("Mean"), _("Median")], "rows": rows}


register(Scale())
