"""The ``scale`` kind: a position on a numbered scale, with an optional "why" text; it may be
compared with an earlier scale (before/after)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from . import register
from .answers import FormError, InvalidResponse, clean_text
from .base import DEFAULT_TEXT_LENGTH, MAX_TEXT_LENGTH, Checks, Field, Form, Kind, shown, words
from .tally import CONTROL, Label, Moderated, Tally

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity, Why
    from ..programme import Scale as ScaleSpec
    from .exporting import Cells, CodebookEntry, Report, Series, Sheet, WordMarks

MAX_SCALE_POSITIONS = 201

SCALE = Field(
    "scale",
    "object",
    words("Scale", "Schaal"),
    words(
        "The positions participants choose from and what the ends mean.",
        "De posities waaruit deelnemers kiezen en wat de uitersten betekenen.",
    ),
    required=True,
    fields=(
        Field(
            "min",
            "integer",
            words("Lowest", "Laagste"),
            words("The lowest position.", "De laagste positie."),
            required=True,
            min=-1000,
            max=1000,
            example=1,
        ),
        Field(
            "max",
            "integer",
            words("Highest", "Hoogste"),
            words("The highest position.", "De hoogste positie."),
            required=True,
            min=-1000,
            max=1000,
            example=5,
        ),
        Field(
            "step",
            "integer",
            words("Step", "Stap"),
            words("The distance between two positions.", "De afstand tussen twee posities."),
            default=1,
            min=1,
            max=1000,
        ),
        Field(
            "slider",
            "boolean",
            words("Slider", "Schuifregelaar"),
            words(
                "A slider instead of numbered buttons.",
                "Een schuifregelaar in plaats van genummerde knoppen.",
            ),
            default=False,
        ),
        Field(
            "left_label",
            "text",
            words("Left label", "Label links"),
            words("What the lowest position means.", "Wat de laagste positie betekent."),
            required=True,
        ),
        Field(
            "right_label",
            "text",
            words("Right label", "Label rechts"),
            words("What the highest position means.", "Wat de hoogste positie betekent."),
            required=True,
        ),
        Field(
            "mid_label",
            "text",
            words("Middle label", "Label midden"),
            words("What the middle means.", "Wat het midden betekent."),
        ),
        Field(
            "placeholder",
            "boolean",
            words("Provisional", "Voorlopig"),
            words("The labels are provisional.", "De labels zijn voorlopig."),
            default=False,
        ),
    ),
)
WHY = Field(
    "why",
    "object",
    words("Why", "Waarom"),
    words("An optional text explaining the position.", "Een optionele uitleg bij de positie."),
    fields=(
        Field(
            "prompt",
            "text",
            words("Question", "Vraag"),
            words("The question above the text field.", "De vraag boven het tekstveld."),
            required=True,
        ),
        Field(
            "max_length",
            "integer",
            words("Longest", "Langste"),
            words("At most this many characters.", "Hoogstens zoveel tekens."),
            default=DEFAULT_TEXT_LENGTH,
            min=1,
            max=MAX_TEXT_LENGTH,
        ),
    ),
)
COMPARE_WITH = Field(
    "compare_with",
    "activity_id",
    words("Compare with", "Vergelijk met"),
    words(
        "An earlier scale with the same positions (before/after).",
        "Een eerdere schaal met dezelfde posities (voor/na).",
    ),
)


class ScaleTally(Moderated):
    """scale: a histogram over the positions, mean, median and the optional 'why' texts."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        assert activity.scale is not None
        self.scale = activity.scale
        self.histogram = dict.fromkeys(self.scale.positions, 0)
        self.total = 0
        self.whys: dict[Hashable, str] = {}
        self.first_seen: dict[Hashable, None] = {}
        #: the earlier scale this one is compared with (before/after): ``compare``
        self.before: ScaleTally | None = None

    def listed(self) -> Collection[Hashable]:
        return self.whys

    def compare(self, before: Tally) -> None:
        """Show the earlier scale's summary beside this one (``compare_with`` names a scale;
        a tally of another kind is not compared)."""
        if isinstance(before, ScaleTally):
            self.before = before

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        self.histogram[value["position"]] += 1
        self.total += value["position"]
        self.first_seen.setdefault(key, None)
        if value.get("why"):
            self.whys[key] = value["why"]

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        self.histogram[value["position"]] -= 1
        self.total -= value["position"]
        self.whys.pop(key, None)

    def median(self) -> float | None:
        n = self.respondents
        if n == 0:
            return None
        # the (n+1)/2-th value, averaging the two middle ones for even n
        lo_rank, hi_rank = (n + 1) // 2, n // 2 + 1
        lo = hi = None
        seen = 0
        for position, count in self.histogram.items():
            seen += count
            if lo is None and seen >= lo_rank:
                lo = position
            if seen >= hi_rank:
                hi = position
                break
        assert lo is not None and hi is not None
        return (lo + hi) / 2

    def summary(self) -> dict[str, Any]:
        n = self.respondents
        return {
            "histogram": [{"value": v, "count": c} for v, c in self.histogram.items()],
            "n": n,
            "mean": round(self.total / n, 2) if n else None,
            "median": self.median(),
        }

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        out: dict[str, Any] = {
            "min": self.scale.min,
            "max": self.scale.max,
            "step": self.scale.step,
        }
        out.update(self.summary())
        whys, unlisted, statuses = self.listing(
            [k for k in self.first_seen if k in self.whys], self.whys.__getitem__, audience
        )
        out["whys"] = whys
        if unlisted is not None:
            out["whys_unlisted"] = unlisted
        if statuses is not None:
            out["whys_statuses"] = statuses
        if self.before is not None:
            out["before"] = self.before.summary()
        return out


class Scale(Kind):
    name = "scale"
    label = words("Scale", "Schaal")
    help = words(
        "Participants choose a position on a numbered scale.",
        "Deelnemers kiezen een positie op een genummerde schaal.",
    )
    breakdown = True
    moderates = "entries"
    fields = (SCALE, WHY, COMPARE_WITH)
    view_follows: ClassVar[Mapping[str, str]] = {
        "scale": "presenter_notes",
        "compare_with": "presenter_notes",
    }

    def moderated_text(self, value: Any) -> str | None:
        return value.get("why") or None if isinstance(value, dict) else None

    def validate(self, v: Checks, a: Mapping[str, Any], where: str) -> dict[str, Any]:
        f: dict[str, Any] = {"scale": scale(v, where, a.get("scale"))}
        if a.get("why") is not None:
            f["why"] = why(v, where, a["why"])
        if a.get("compare_with") is not None:
            cw = a["compare_with"]
            f["compare_with"] = cw if isinstance(cw, str) else None
            path, source = f"{where}.compare_with", a.get("id")
            v.later(lambda activities: self.check_compare(v, path, cw, source, activities))
        return f

    def check_compare(
        self, v: Checks, path: str, target: Any, source: Any, activities: Sequence[Activity]
    ) -> None:
        """``compare_with`` names an earlier scale with the same positions."""
        by_id = {a.id: a for a in activities}
        act = by_id.get(target) if isinstance(target, str) else None
        mine = by_id.get(source) if isinstance(source, str) else None
        if act is None or act.kind != self.name:
            v.fail(path, f"{shown(target)} is not the id of a scale activity")
        elif mine is not None and activities.index(act) >= activities.index(mine):
            v.fail(path, f"'{target}' must come before '{source}' in the programme")
        elif (
            mine is not None
            and act.scale
            and mine.scale
            and act.scale.positions != mine.scale.positions
        ):
            v.fail(
                path,
                f"'{target}' has other positions than '{source}' (expected the "
                "same min, max and step to compare)",
            )

    def clean(self, activity: Activity, value: Any) -> dict[str, Any]:
        spec = activity.scale
        assert spec is not None
        if not isinstance(value, dict):
            raise InvalidResponse("invalid_response", "value must be {position, why}")
        extra = set(value) - {"position", "why"}
        if extra:
            raise InvalidResponse("invalid_response", f"unexpected field '{sorted(extra)[0]}'")
        position = value.get("position")
        if (
            isinstance(position, bool)
            or not isinstance(position, int | float)
            or not math.isfinite(position)
            or position != int(position)
        ):
            raise InvalidResponse("invalid_response", "position must be a whole number")
        position = int(position)
        if position < spec.min or position > spec.max or (position - spec.min) % spec.step:
            raise InvalidResponse(
                "invalid_response",
                f"position {position} is not on the "
                f"scale ({spec.min} to {spec.max}, step {spec.step})",
            )
        text = None
        if value.get("why") is not None:
            if activity.why is None:
                raise InvalidResponse("invalid_response", "this scale takes no 'why' text")
            text = clean_text(value["why"], activity.why.max_length, "why", required=False)
        return {"position": position, "why": text}

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        return ScaleTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        out = super().view(activity, role)
        if activity.scale:
            s = activity.scale
            out["scale"] = {
                "min": s.min,
                "max": s.max,
                "step": s.step,
                "slider": s.slider,
                "left": s.left_label,
                "right": s.right_label,
                "mid": s.mid_label,
                "placeholder": s.placeholder,
                "why": (
                    {"prompt": activity.why.prompt, "max_length": activity.why.max_length}
                    if activity.why
                    else None
                ),
            }
            out["compare_with"] = activity.compare_with
        return out

    def form_value(self, activity: Activity, form: Form) -> Any:
        raw = form.get("position", "").strip()
        if not raw:
            raise FormError("empty")
        if not re.fullmatch(r"-?[0-9]{1,9}", raw):
            raise FormError("invalid_response")
        out: dict[str, Any] = {"position": int(raw)}
        text = form.get("why", "").strip()
        if text and activity.why is not None:
            out["why"] = text
        return out

    def sample_answers(self, activity: Activity, n: int) -> list[Any]:
        if activity.scale is None:
            return []
        pos = activity.scale.positions
        return [{"position": pos[(i * 2 + len(pos) // 2) % len(pos)]} for i in range(n)]

    # -- exports

    def tidy_cells(
        self, activity: Activity, value: Any, status: str | None, words: WordMarks
    ) -> Sequence[Cells]:
        """The position; the why (if any) as the text, with its moderation status."""
        why = value.get("why")
        return ((None, None, None, None, value["position"], why, status if why else None, None),)

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
        return [
            ("scale_end", str(sc.min), sc.left_label, ""),
            ("scale_end", str(sc.max), sc.right_label, ""),
        ]

    def xlsx_sheet(
        self,
        sheet: Sheet,
        activity: Activity,
        result: dict[str, Any],
        control: dict[str, Any] | None,
    ) -> None:
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
        sheet.line(["median", result["median"]] + ([before["median"]] if before else []), "bold")
        sheet.line(
            [f"{sc.min} = {sheet.pick(sc.left_label)}; {sc.max} = {sheet.pick(sc.right_label)}"],
            "muted",
        )
        if before:
            sheet.line([f"before = {activity.compare_with}"], "muted")
        chart = sheet.chart("column")
        if before:
            chart.add_series(
                {
                    "name": f"before ({activity.compare_with})",
                    "categories": sheet.cells(first, 0, last, 0),
                    "values": sheet.cells(first, 2, last, 2),
                    "pattern": {
                        "pattern": "wide_upward_diagonal",
                        "fg_color": sheet.colour(1),
                        "bg_color": "#FFFFFF",
                    },
                    "border": {"color": sheet.colour(1)},
                }
            )
        chart.add_series(
            {
                "name": "count",
                "categories": sheet.cells(first, 0, last, 0),
                "values": sheet.cells(first, 1, last, 1),
                "fill": {"color": sheet.colour(0)},
                "data_labels": {"value": True},
            }
        )
        chart.set_size({"width": 620, "height": 300})
        sheet.insert_chart(first - 1, 7, chart)
        whys = (control or {}).get("whys") or []
        if whys:
            sheet.skip()
            sheet.line(["why", "status"], "head")
            for w in whys:
                sheet.line([w["text"], w.get("status")])

    def xlsx_breakdown(
        self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]], small: str
    ) -> None:
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

    def report_block(
        self, report: Report, activity: Activity, result: dict[str, Any], block: dict[str, Any]
    ) -> None:
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
            markers.append(
                (
                    _("Mean") + " " + report.number(result["mean"]),
                    (result["mean"] - sc.min) / sc.step,
                )
            )
        if result["median"] is not None:
            markers.append(
                (
                    _("Median") + " " + report.number(result["median"]),
                    (result["median"] - sc.min) / sc.step,
                )
            )
        ends = (
            f"{sc.min} = {report.pick(sc.left_label)}",
            f"{sc.max} = {report.pick(sc.right_label)}",
        )
        block["chart"] = report.columns(columns, series=series, markers=markers, ends=ends)
        block["facts"] = [
            (_("Respondents"), str(result["n"])),
            (_("Mean"), report.number(result["mean"])),
            (_("Median"), report.number(result["median"])),
        ]
        if before:
            block["facts"] += [
                (_("Before: respondents"), str(before["n"])),
                (_("Before: mean"), report.number(before["mean"])),
                (_("Before: median"), report.number(before["median"])),
            ]
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

    def report_breakdown(
        self,
        report: Report,
        activity: Activity,
        groups: list[dict[str, Any]],
        label: str,
        small: str,
    ) -> dict[str, Any] | None:
        """Per group: n, mean and median."""
        _ = report.gettext
        rows = []
        for g in groups:
            res = g["result"]
            cells = [report.pick(g["label"]), small if g["suppressed"] else str(g["n"])]
            cells += (
                [report.number(res["mean"]), report.number(res["median"])]
                if res is not None
                else ["", ""]
            )
            rows.append(cells)
        return {"head": [label, "n", _("Mean"), _("Median")], "rows": rows}


def scale(v: Checks, where: str, value: Any) -> ScaleSpec | None:
    from ..programme import Scale as ScaleSpec

    w = f"{where}.scale"
    m = v.mapping(w, value) if value is not None else None
    if m is None:
        if value is None:
            v.fail(
                where, "missing field 'scale' (expected {min, max, step, left_label, right_label})"
            )
        return None
    v.keys(
        w,
        m,
        {"min", "max", "left_label", "right_label"},
        {"step", "slider", "mid_label", "placeholder"},
    )
    lo = v.integer(f"{w}.min", m.get("min"), -1000, 1000)
    hi = v.integer(f"{w}.max", m.get("max"), -1000, 1000)
    step = v.integer(f"{w}.step", m.get("step", 1), 1, 1000)
    left = v.text(f"{w}.left_label", m.get("left_label"))
    right = v.text(f"{w}.right_label", m.get("right_label"))
    mid = v.text(f"{w}.mid_label", m.get("mid_label"), required=False)
    slider = v.boolean(f"{w}.slider", m.get("slider"))
    placeholder = v.boolean(f"{w}.placeholder", m.get("placeholder"))
    if lo is None or hi is None or step is None:
        return None
    if hi <= lo:
        v.fail(w, f"max ({hi}) must be greater than min ({lo})")
        return None
    if (hi - lo) % step:
        v.fail(w, f"max - min ({hi - lo}) must be a multiple of step ({step})")
        return None
    if (hi - lo) // step + 1 > MAX_SCALE_POSITIONS:
        v.fail(
            w,
            f"{(hi - lo) // step + 1} positions is too many "
            f"(expected at most {MAX_SCALE_POSITIONS})",
        )
        return None
    if not (left and right):
        return None
    return ScaleSpec(lo, hi, step, slider, left, right, mid, placeholder)


def why(v: Checks, where: str, value: Any) -> Why | None:
    from ..programme import Why

    w = f"{where}.why"
    m = v.mapping(w, value)
    if m is None:
        return None
    v.keys(w, m, {"prompt"}, {"max_length"})
    prompt = v.text(f"{w}.prompt", m.get("prompt"))
    ml = v.integer(f"{w}.max_length", m.get("max_length", DEFAULT_TEXT_LENGTH), 1, MAX_TEXT_LENGTH)
    if prompt is None or ml is None:
        return None
    return Why(prompt, ml)


register(Scale())
