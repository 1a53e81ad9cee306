"""The ``matrix`` kind: one rating per item (rows may be skipped)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import register
from .answers import FormError, InvalidResponse
from .base import POLARITIES, Checks, Field, Form, Kind, option_views, words
from .tally import CONTROL, Label, Tally, percent

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, Report, Series, Sheet, WordMarks

MAX_MATRIX_ITEMS = 20
MAX_RATINGS = 7


class MatrixTally(Tally):
    """matrix: per item, how many gave each rating (percent of that item's answers)."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.ratings = [r.id for r in activity.ratings]
        self.counts = {i.id: dict.fromkeys(self.ratings, 0) for i in activity.items}

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        for item, rating in value.items():
            self.counts[item][rating] += 1

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        for item, rating in value.items():
            self.counts[item][rating] -= 1

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        items = []
        for item, counts in self.counts.items():
            n = sum(counts.values())
            items.append(
                {
                    "id": item,
                    "n": n,
                    "counts": dict(counts),
                    "percents": {r: percent(c, n) for r, c in counts.items()},
                }
            )
        return {"items": items, "ratings": list(self.ratings), "respondents": self.respondents}


class Matrix(Kind):
    name = "matrix"
    label = words("Matrix", "Matrix")
    help = words(
        "Participants rate each item on the same ratings.",
        "Deelnemers beoordelen elk item op dezelfde schaal.",
    )
    breakdown = True
    fields = (
        Field(
            "items",
            "options",
            words("Items", "Items"),
            words(
                f"The rows participants rate (1 to {MAX_MATRIX_ITEMS}), or the name of an "
                "option set.",
                f"De rijen die deelnemers beoordelen (1 tot {MAX_MATRIX_ITEMS}), of de naam "
                "van een optieset.",
            ),
            required=True,
            min=1,
            max=MAX_MATRIX_ITEMS,
            noun="items",
        ),
        Field(
            "ratings",
            "options",
            words("Ratings", "Beoordelingen"),
            words(
                f"The answers of each row (2 to {MAX_RATINGS}), each with a polarity "
                f"({', '.join(POLARITIES)}).",
                f"De antwoorden van elke rij (2 tot {MAX_RATINGS}), elk met een polariteit "
                f"({', '.join(POLARITIES)}).",
            ),
            required=True,
            min=2,
            max=MAX_RATINGS,
            noun="ratings",
            polarity=True,
        ),
    )

    def validate(self, v: Checks, a: Mapping[str, Any], where: str) -> dict[str, Any]:
        return {
            "items": v.option_list(
                f"{where}.items", a.get("items"), v.option_sets, 1, MAX_MATRIX_ITEMS, noun="items"
            ),
            "ratings": v.options(
                f"{where}.ratings", a.get("ratings"), 2, MAX_RATINGS, polarity=True, noun="ratings"
            ),
        }

    def clean(self, activity: Activity, value: Any) -> dict[str, str]:
        if not isinstance(value, dict) or not value:
            raise InvalidResponse(
                "invalid_response", "value must map items to ratings, at least one"
            )
        items = [o.id for o in activity.items]
        ratings = {o.id for o in activity.ratings}
        out: dict[str, str] = {}
        for item, rating in value.items():
            if item not in items:
                raise InvalidResponse(
                    "invalid_response", f"'{str(item)[:40]}' is not an item of '{activity.id}'"
                )
            if not isinstance(rating, str) or rating not in ratings:
                raise InvalidResponse(
                    "invalid_response", f"'{str(rating)[:40]}' is not a rating of '{activity.id}'"
                )
        for item in items:  # programme order
            if item in value:
                out[item] = value[item]
        return out

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        return MatrixTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {
            "items": option_views(activity.items),
            "ratings": [
                {"id": r.id, "label": r.label, "polarity": r.polarity or "neutral"}
                for r in activity.ratings
            ],
        }

    def form_value(self, activity: Activity, form: Form) -> Any:
        rated = {
            item.id: form.get(f"m:{item.id}", "")
            for item in activity.items
            if form.get(f"m:{item.id}", "")
        }
        if not rated:
            raise FormError("empty")
        return rated

    def sample_answers(self, activity: Activity, n: int) -> list[Any]:
        ratings = activity.ratings
        if not ratings:
            return []
        return [
            {item.id: ratings[(i + k) % len(ratings)].id for k, item in enumerate(activity.items)}
            for i in range(n)
        ]

    # -- exports

    def tidy_cells(
        self, activity: Activity, value: Any, status: str | None, words: WordMarks
    ) -> Sequence[Cells]:
        """One row per rated item, items in programme order."""
        return [
            (item.id, None, None, value[item.id], None, None, None, None)
            for item in activity.items
            if item.id in value
        ]

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return len(value)

    def xlsx_sheet(
        self,
        sheet: Sheet,
        activity: Activity,
        result: dict[str, Any],
        control: dict[str, Any] | None,
    ) -> None:
        """Items with n and the count and percent of each rating; a 100 % stacked bar chart."""
        items = {i.id: sheet.pick(i.label) for i in activity.items}
        ratings = [(x.id, sheet.pick(x.label)) for x in activity.ratings]
        sheet.line(
            ["item_id", "label", "n"]
            + [f"{rid} (count)" for rid, _ in ratings]
            + [f"{rid} (%)" for rid, _ in ratings],
            "head",
        )
        first = sheet.row
        for item in result["items"]:
            sheet.line(
                [item["id"], items.get(item["id"]), item["n"]]
                + [item["counts"][rid] for rid, _ in ratings]
                + [item["percents"][rid] for rid, _ in ratings]
            )
        last = sheet.row - 1
        sheet.line(["respondents", None, result["respondents"]], "bold")
        sheet.line(["; ".join(f"{rid} = {label}" for rid, label in ratings)], "muted")
        chart = sheet.chart("bar", "percent_stacked")
        for k, (_rid, label) in enumerate(ratings):
            col = 3 + len(ratings) + k
            series: dict[str, Any] = {
                "name": label,
                "categories": sheet.cells(first, 1, last, 1),
                "values": sheet.cells(first, col, last, col),
                "data_labels": {"value": True},
            }
            if k % 2:
                series["pattern"] = {
                    "pattern": "wide_upward_diagonal",
                    "fg_color": sheet.colour(k),
                    "bg_color": "#FFFFFF",
                }
            else:
                series["fill"] = {"color": sheet.colour(k)}
            chart.add_series(series)
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 620, "height": 110 + 34 * len(result["items"])})
        sheet.insert_chart(first - 1, 9 + 2 * len(ratings), chart)

    def xlsx_breakdown(
        self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]], small: str
    ) -> None:
        """Per group and item: n and the count and percent of each rating."""
        rids = [x.id for x in activity.ratings]
        sheet.line(
            ["group", "item_id", "n"] + [f"{x} (count)" for x in rids] + [f"{x} (%)" for x in rids],
            "head",
        )
        for g in groups:
            res = g["result"]
            label = sheet.pick(g["label"])
            if res is None:
                sheet.line([label, None, small if g["suppressed"] else g["n"]])
                continue
            for item in res["items"]:
                sheet.line(
                    [label, item["id"], item["n"]]
                    + [item["counts"][x] for x in rids]
                    + [item["percents"][x] for x in rids]
                )

    def report_block(
        self, report: Report, activity: Activity, result: dict[str, Any], block: dict[str, Any]
    ) -> None:
        """100 % stacked bars per item and the table of percent (count) per rating."""
        _ = report.gettext
        items = {i.id: report.pick(i.label) for i in activity.items}
        ratings = [(x.id, report.pick(x.label), x.polarity or "neutral") for x in activity.ratings]
        series: list[Series] = [(label, k) for k, (_rid, label, _pol) in enumerate(ratings)]
        stacked = [
            (
                items.get(it["id"], it["id"]),
                [(it["percents"][rid], report.pct(it["percents"][rid])) for rid, _l, _p in ratings],
            )
            for it in result["items"]
        ]
        block["chart"] = report.stacked(stacked, series=series)
        rows = [
            [items.get(it["id"], it["id"]), str(it["n"])]
            + [
                f"{report.pct(it['percents'][rid])} ({it['counts'][rid]})"
                for rid, _l, _p in ratings
            ]
            for it in result["items"]
        ]
        block["table"] = {
            "head": [_("Item"), "n"] + [label for _rid, label, _p in ratings],
            "rows": rows,
            "numeric": list(range(1, 2 + len(ratings))),
        }
        block["facts"] = [(_("Respondents"), str(result["respondents"]))]
        block["unit_note"] = _("Percent of the answers for that item (count).")

    def report_breakdown(
        self,
        report: Report,
        activity: Activity,
        groups: list[dict[str, Any]],
        label: str,
        small: str,
    ) -> dict[str, Any] | None:
        """Per group and item: n and the percent (count) of each rating."""
        items = {i.id: report.pick(i.label) for i in activity.items}
        ratings = [(x.id, report.pick(x.label)) for x in activity.ratings]
        rows: list[list[str]] = []
        for g in groups:
            res = g["result"]
            glabel = report.pick(g["label"])
            if res is None:
                rows.append(
                    [glabel, "", small if g["suppressed"] else str(g["n"])] + [""] * len(ratings)
                )
                continue
            for it in res["items"]:
                rows.append(
                    [glabel, items.get(it["id"], it["id"]), str(it["n"])]
                    + [f"{report.pct(it['percents'][x])} ({it['counts'][x]})" for x, _l in ratings]
                )
        return {
            "head": [label, report.gettext("Item"), "n"] + [lab for _i, lab in ratings],
            "rows": rows,
        }


register(Matrix())
