"""What single_choice and multi_choice share: options, a profile question's segment label and a
published reference to compare the room with."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from .base import (
    Checks,
    Field,
    Kind,
    option_views,
    shown,
    words,
)
from .tally import CONTROL, Label, Tally, percent

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity, Option, Reference

#: a profile question's segment label: short, it heads a breakdown on the projector
MAX_SEGMENT_LABEL = 40
UNITS = ("percent_reported", "percent_of_respondents", "count")

OPTIONS = Field(
    "options",
    "options",
    words("Options", "Opties"),
    words(
        "The answers to choose from (2 to 30), or the name of an option set.",
        "De antwoorden om uit te kiezen (2 tot 30), of de naam van een optieset.",
    ),
    required=True,
    min=2,
    max=30,
)
REFERENCE = Field(
    "reference",
    "object",
    words("Reference", "Referentie"),
    words(
        "Published figures the projector shows beside the room's answers.",
        "Gepubliceerde cijfers die de projector naast de antwoorden van de zaal toont.",
    ),
    fields=(
        Field(
            "source",
            "id",
            words("Source", "Bron"),
            words(
                "A key of programme.reference_sources.",
                "Een sleutel uit programme.reference_sources.",
            ),
            required=True,
        ),
        Field(
            "values",
            "object",
            words("Values", "Waarden"),
            words(
                "Option id to a number (or null when unknown).",
                "Optie-id naar een getal (of null als het onbekend is).",
            ),
            required=True,
            keyed_by_options=True,
        ),
        Field(
            "sums_to_100",
            "boolean",
            words("Sums to 100", "Telt op tot 100"),
            words(
                "Whether the values add up to 100 (one answer each).",
                "Of de waarden optellen tot 100 (één antwoord per persoon).",
            ),
            required=True,
        ),
        Field(
            "unit",
            "choice",
            words("Unit", "Eenheid"),
            words("What the values are.", "Wat de waarden zijn."),
            default="percent_reported",
            values=UNITS,
        ),
        Field(
            "n",
            "integer",
            words("Respondents", "Respondenten"),
            words(
                "How many answered (default: the source's n).",
                "Hoeveel mensen antwoordden (standaard: n van de bron).",
            ),
            min=1,
        ),
        Field(
            "title",
            "text",
            words("Title", "Titel"),
            words("What the reference is called.", "Hoe de referentie heet."),
        ),
        Field(
            "notes",
            "text",
            words("Notes", "Notities"),
            words("A footnote under the reference.", "Een voetnoot onder de referentie."),
        ),
    ),
)
PROFILE = Field(
    "profile",
    "boolean",
    words("Profile question", "Profielvraag"),
    words(
        "The answer becomes the participant's segment: results can be broken down by it.",
        "Het antwoord wordt het segment van de deelnemer: resultaten kunnen erop "
        "uitgesplitst worden.",
    ),
    default=False,
)
SEGMENT_LABEL = Field(
    "segment_label",
    "text",
    words("Segment label", "Segmentnaam"),
    words(
        f"A profile question's short name in breakdowns (at most {MAX_SEGMENT_LABEL} characters).",
        f"De korte naam van een profielvraag in uitsplitsingen (hoogstens "
        f"{MAX_SEGMENT_LABEL} tekens).",
    ),
)


class ChoiceTally(Tally):
    """single_choice and multi_choice: counts per option; percentages of respondents."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.counts = dict.fromkeys(activity.option_ids, 0)
        self.votes = 0

    def _ids(self, value: Any) -> list[str]:
        return [value] if isinstance(value, str) else list(value)

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        for oid in self._ids(value):
            self.counts[oid] += 1
            self.votes += 1

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        for oid in self._ids(value):
            self.counts[oid] -= 1
            self.votes -= 1

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        n = self.respondents
        return {
            "options": [
                {"id": oid, "count": c, "percent": percent(c, n)} for oid, c in self.counts.items()
            ],
            "respondents": n,
            "votes": self.votes,
        }


class ChoiceKind(Kind):
    """Options to choose from; an optional reference (control and projector see it)."""

    breakdown = True
    view_follows: ClassVar[Mapping[str, str]] = {"reference": "timer"}

    def validate(self, v: Checks, a: Mapping[str, Any], where: str) -> dict[str, Any]:
        f: dict[str, Any] = {}
        options = v.option_list(f"{where}.options", a.get("options"), v.option_sets)
        f["options"] = options or ()
        f["profile"] = v.boolean(f"{where}.profile", a.get("profile"))
        if a.get("segment_label") is not None:
            f["segment_label"] = segment_label(v, where, a["segment_label"], f["profile"])
        f.update(self.validate_choices(v, a, where, options))
        if a.get("reference") is not None and options:
            f["reference"] = reference(v, where, a["reference"], options)
        return f

    def validate_choices(
        self, v: Checks, a: Mapping[str, Any], where: str, options: tuple[Option, ...] | None
    ) -> dict[str, Any]:
        """A kind's own limits on how many options one answer chooses."""
        return {}

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        return ChoiceTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        out: dict[str, Any] = {"options": option_views(activity.options)}
        if role in ("control", "projector"):
            ref = activity.reference
            out["reference"] = (
                None
                if ref is None
                else {
                    "title": ref.title,
                    "source": ref.source_name,
                    "n": ref.n,
                    "year": ref.year,
                    "unit": ref.unit,
                    "values": dict(ref.values),
                    "sums_to_100": ref.sums_to_100,
                    "notes": ref.notes,
                }
            )
        return out


def segment_label(v: Checks, where: str, value: Any, profile: bool) -> dict[str, str] | None:
    """A profile question's short name in breakdowns: a text of at most MAX_SEGMENT_LABEL
    characters per language, on a profile question only."""
    path = f"{where}.segment_label"
    if not profile:
        v.fail(path, "only a profile question (profile: true) has a segment label")
        return None
    label = v.text(path, value)
    if label is None:
        return None
    too_long = [lang for lang, t in label.items() if len(t) > MAX_SEGMENT_LABEL]
    if too_long:
        v.fail(
            path,
            f"the '{too_long[0]}' text has {len(label[too_long[0]])} "
            f"characters (expected at most {MAX_SEGMENT_LABEL}: it names a "
            "breakdown on the projector; the prompt says the rest)",
        )
        return None
    return label


def reference(v: Checks, where: str, value: Any, options: tuple[Option, ...]) -> Reference | None:
    from ..programme import Reference

    sources = v.sources
    w = f"{where}.reference"
    m = v.mapping(w, value)
    if m is None:
        return None
    v.keys(w, m, {"source", "values", "sums_to_100"}, {"title", "n", "unit", "notes"})
    source = m.get("source")
    if source not in sources:
        v.fail(
            f"{w}.source",
            f"unknown reference source {shown(source)} (defined in "
            f"programme.reference_sources: {', '.join(sorted(sources)) or 'none'})",
        )
        return None
    values = m.get("values")
    ids = {o.id for o in options}
    clean: dict[str, float | None] = {}
    if not isinstance(values, Mapping) or not values:
        v.fail(f"{w}.values", "expected a mapping of option id to a number or null")
        return None
    for oid, x in values.items():
        if oid not in ids:
            v.fail(
                f"{w}.values",
                f"'{oid}' is not an option id of this activity "
                f"(options: {', '.join(o.id for o in options)})",
            )
        elif x is not None and (isinstance(x, bool) or not isinstance(x, int | float)):
            v.fail(f"{w}.values.{oid}", f"expected a number or null, got {shown(x)}")
        else:
            clean[oid] = None if x is None else float(x)
    sums = m.get("sums_to_100")
    if not isinstance(sums, bool):
        v.fail(f"{w}.sums_to_100", f"expected true or false, got {shown(sums)}")
    unit = v.choice(f"{w}.unit", m.get("unit", "percent_reported"), UNITS)
    n = m.get("n", sources[source]["n"])
    if n is not None:
        n = v.integer(f"{w}.n", n, 1)
    title = v.text(f"{w}.title", m.get("title"), required=False)
    notes = v.text(f"{w}.notes", m.get("notes"), required=False)
    if len(clean) != len(values) or not isinstance(sums, bool) or unit is None:
        return None
    return Reference(
        source=source,
        source_name=sources[source]["name"],
        values=clean,
        sums_to_100=sums,
        unit=unit,
        title=title,
        n=n,
        year=sources[source]["year"],
        notes=notes,
    )
