"""The ``table_report`` kind: each dialogue table reports back to the room.

A table sends its synthesis: a short title, a text and optionally picks from the activity's
options (the building block the table chooses). It is answered per table (``per_table``): a
phone without a table may not send. ``reporter`` says who sends: ``any`` member of the table
(the newest edit is the table's report; the projector shows it as edited) or ``one`` phone per
table (the first phone to send holds the role; another phone that sends asks for it, and the
facilitator hands it over, ``hand_holder``, or frees it, ``release_holder``). Moderated like
free text when the activity is moderated.

Stored value (one per phone that sent): ``{"title", "text", "picks", "table", "edits", "at"}``;
``edits`` counts the table's earlier versions, ``at`` orders them (server time, seconds).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from . import register
from .answers import FormError, InvalidResponse, clean_text
from .base import MAX_OPTIONS, Checks, Field, Form, Kind, option_views, words
from .tally import CONTROL, Moderated, Tally

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, Report, Sheet, WordMarks

REPORTERS = ("any", "one")
DEFAULT_TITLE_LENGTH = 80
DEFAULT_TEXT_LENGTH = 600
MAX_TEXT = 2000

OPTIONS = Field(
    "options",
    "options",
    words("Options", "Opties"),
    words(
        "What a table may pick (optional): up to 30, or the name of an option set.",
        "Waaruit een tafel mag kiezen (optioneel): tot 30, of de naam van een optieset.",
    ),
    min=2,
    max=MAX_OPTIONS,
)
MAX_PICKS = Field(
    "max_picks",
    "integer",
    words("Picks", "Keuzes"),
    words(
        "How many options a table picks at most (default 1).",
        "Hoeveel opties een tafel hoogstens kiest (standaard 1).",
    ),
    default=1,
    min=1,
    max=MAX_OPTIONS,
)
TITLE_LENGTH = Field(
    "title_length",
    "integer",
    words("Longest title", "Langste titel"),
    words("A report's title has at most this many characters.", "Hoogstens zoveel tekens."),
    default=DEFAULT_TITLE_LENGTH,
    min=10,
    max=200,
)
TEXT_LENGTH = Field(
    "text_length",
    "integer",
    words("Longest text", "Langste tekst"),
    words("A report's text has at most this many characters.", "Hoogstens zoveel tekens."),
    default=DEFAULT_TEXT_LENGTH,
    min=20,
    max=MAX_TEXT,
)
REPORTER = Field(
    "reporter",
    "choice",
    words("Who reports", "Wie rapporteert"),
    words(
        "any: every phone at the table may send and edit (the last edit wins); one: the first "
        "phone to send is the table's reporter (the facilitator can hand the role to another "
        "phone that asks for it).",
        "any: elke telefoon aan de tafel mag insturen en aanpassen (de laatste versie telt); "
        "one: de eerste telefoon die instuurt is de rapporteur van de tafel (de begeleider kan "
        "de rol doorgeven aan een andere telefoon die erom vraagt).",
    ),
    default="any",
    values=REPORTERS,
)


#: what the phone says (the screens pick the language)
PHONE_WORDS = {
    "no_table": words(
        "Each table sends one report. Choose your table first.",
        "Elke tafel stuurt één terugkoppeling. Kies eerst je tafel.",
    ),
    "choose_table": words("Choose my table", "Kies mijn tafel"),
    "heading": words("Report of table {n}", "Terugkoppeling van tafel {n}"),
    "hint_any": words(
        "Everyone at your table can write and change this report; the last version sent counts.",
        "Iedereen aan je tafel kan deze terugkoppeling schrijven en aanpassen; de laatst "
        "verstuurde versie telt.",
    ),
    "hint_one": words(
        "One phone per table reports: the first one to send. Agree on who does it.",
        "Eén telefoon per tafel rapporteert: de eerste die instuurt. Spreek af wie het doet.",
    ),
    "title": words("Title", "Titel"),
    "text": words("What your table concluded", "Wat jullie tafel concludeerde"),
    "picks": words("Your table's choice", "De keuze van jullie tafel"),
    "picks_max": words("Choose up to {max}.", "Kies er hoogstens {max}."),
    "empty": words("Write a title and a text first.", "Schrijf eerst een titel en een tekst."),
    "latest": words(
        "This is your table's latest version, sent from another phone: change it and send.",
        "Dit is de laatste versie van jullie tafel, verstuurd vanaf een andere telefoon: pas "
        "haar aan en verstuur.",
    ),
    "draft_kept": words(
        "Your draft is kept on this phone.", "Je concept blijft bewaard op deze telefoon."
    ),
    "send": words("Send the report", "Verstuur de terugkoppeling"),
    "send_change": words("Send my changes", "Verstuur mijn aanpassingen"),
}
#: what the control screen and the projector say
SCREEN_WORDS = {
    "table": words("Table {n}", "Tafel {n}"),
    "writing": words("still writing…", "schrijft nog…"),
    "no_report": words("no report", "geen terugkoppeling"),
    "edited": words("edited", "aangepast"),
    "edited_n": words("edited {n}×", "{n}× aangepast"),
    "pending": words("waiting for approval", "wacht op goedkeuring"),
    "hidden": words("hidden", "verborgen"),
    "connected": words("{n} of {m} phones connected", "{n} van {m} telefoons verbonden"),
    "page": words("Tables {first}–{last} of {total}", "Tafels {first}–{last} van {total}"),
    "reported": words("{n} of {total} tables reported", "{n} van {total} tafels rapporteerden"),
    "spotlight": words("Full screen", "Volledig scherm"),
    "spotlight_label": words("Full screen: table {n}", "Volledig scherm: tafel {n}"),
    "grid": words("All tables", "Alle tafels"),
    "previous": words("Previous table", "Vorige tafel"),
    "next": words("Next table", "Volgende tafel"),
    "keys": words(
        "Keys in this panel: ← → step through the tables, Esc shows all tables.",
        "Toetsen in dit paneel: ← → door de tafels, Esc toont alle tafels.",
    ),
    "held": words("reporter chosen", "rapporteur gekozen"),
    "release": words("Free the reporter role", "Rapporteursrol vrijgeven"),
    "release_label": words(
        "Free the reporter role: table {n} (the next phone of the table that sends takes it)",
        "Rapporteursrol vrijgeven: tafel {n} (de volgende telefoon van de tafel die instuurt "
        "neemt haar over)",
    ),
    "asks": words("another phone asks to report", "een andere telefoon vraagt te rapporteren"),
    "hand": words("Hand the role over", "Geef de rol door"),
    "hand_label": words(
        "Hand the role over: table {n} (to the phone that asked)",
        "Geef de rol door: tafel {n} (aan de telefoon die erom vroeg)",
    ),
}


def _settings(activity: Activity) -> dict[str, Any]:
    s = activity.settings
    return {
        "title_length": s.get("title_length") or DEFAULT_TITLE_LENGTH,
        "text_length": s.get("text_length") or DEFAULT_TEXT_LENGTH,
        "max_picks": s.get("max_picks") or 1,
        "reporter": s.get("reporter") or "any",
    }


def table_of(value: Any) -> int | None:
    return value.get("table") if isinstance(value, dict) else None


class TableReportTally(Moderated):
    """Per phone its stored report (``entries``); per table the newest one is the table's
    report. ``respondents``: tables that reported."""

    def __init__(self, activity: Activity, label: Callable[[Hashable], str] = str):
        super().__init__(activity, label)
        self.entries: dict[Hashable, dict[str, Any]] = {}
        #: table -> its phones' versions (key -> value): a table's newest without a scan
        self.tables: dict[Any, dict[Hashable, dict[str, Any]]] = {}

    def listed(self) -> Collection[Hashable]:
        return self.entries

    def _place(self, key: Hashable, value: Any) -> None:
        self.tables.setdefault(table_of(value), {})[key] = value
        self.entries[key] = value

    def _unplace(self, key: Hashable) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            versions = self.tables.get(table_of(old), {})
            versions.pop(key, None)
            if not versions:
                self.tables.pop(table_of(old), None)

    def add(self, key: Hashable, value: Any) -> None:
        self._unplace(key)
        self._place(key, value)
        self.respondents = len(self.tables)

    def remove(self, key: Hashable, value: Any) -> None:
        self._unplace(key)
        self.respondents = len(self.tables)

    def replace(self, key: Hashable, old: Any, new: Any) -> None:
        self.add(key, new)

    def newest(self, table: Any) -> tuple[Hashable, dict[str, Any]] | None:
        """The table's report: its newest version (key, value)."""
        versions = self.tables.get(table)
        if not versions:
            return None
        return max(versions.items(), key=lambda kv: kv[1].get("at", 0))

    def entry(self, table: Any, audience: str = CONTROL) -> dict[str, Any] | None:
        """The table's report as a screen shows it (None: none, or not for this one)."""
        found = self.newest(table)
        if found is None or not self.shown(found[0], audience):
            return None
        key, value = found
        entry: dict[str, Any] = {
            "table": table,
            "id": self.label(key),
            "title": value.get("title", ""),
            "text": value.get("text", ""),
            "picks": list(value.get("picks", ())),
            "edits": int(value.get("edits", 0)),
        }
        if audience == CONTROL:
            entry["status"] = self.status(key)
        return entry

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        tables: list[dict[str, Any]] = []
        picks = dict.fromkeys(self.activity.option_ids, 0)
        for table in sorted(t for t in self.tables if t is not None):
            entry = self.entry(table, audience)
            if entry is None:
                continue
            for oid in entry["picks"]:
                if oid in picks:
                    picks[oid] += 1
            tables.append(entry)
        return {
            "tables": tables,
            "picks": [{"id": oid, "count": c} for oid, c in picks.items()],
            "respondents": self.respondents,
        }


class TableReport(Kind):
    name = "table_report"
    label = words("Table report-back", "Terugkoppeling per tafel")
    help = words(
        "Each table sends its conclusion: a title, a text and optionally its pick.",
        "Elke tafel stuurt haar conclusie: een titel, een tekst en eventueel haar keuze.",
    )
    moderates = "entries"
    per_table = True
    fields = (OPTIONS, MAX_PICKS, TITLE_LENGTH, TEXT_LENGTH, REPORTER)
    view_follows: ClassVar[Mapping[str, str]] = {}

    def validate(self, v: Checks, a: Mapping[str, Any], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if a.get("options") is not None:
            out["options"] = (
                v.option_list(f"{where}.options", a.get("options"), v.option_sets) or ()
            )
        for f in (TITLE_LENGTH, TEXT_LENGTH):
            out[f.name] = v.integer(f"{where}.{f.name}", a.get(f.name, f.default), f.min, f.max)
        n_options = len(out.get("options") or ())
        if a.get("max_picks") is not None:
            if not n_options:
                v.fail(f"{where}.max_picks", "picks need options to pick from")
            else:
                out["max_picks"] = v.integer(f"{where}.max_picks", a["max_picks"], 1, n_options)
        reporter = a.get("reporter", "any")
        out["reporter"] = v.choice(f"{where}.reporter", reporter, REPORTERS)
        return out

    def moderated_text(self, value: Any) -> str | None:
        if not isinstance(value, dict):
            return None
        return "\n".join(str(value.get(k) or "") for k in ("title", "text")).strip() or None

    def clean(self, activity: Activity, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise InvalidResponse(
                "invalid_response", "value must be an object {title, text, picks}"
            )
        unknown = set(value) - {"title", "text", "picks"}
        if unknown:
            raise InvalidResponse(
                "invalid_response",
                f"unknown field '{sorted(unknown)[0][:20]}' (title, text, picks)",
            )
        s = _settings(activity)
        title = clean_text(value.get("title"), s["title_length"], "title")
        text = clean_text(value.get("text"), s["text_length"], "text")
        picks = value.get("picks", [])
        if picks is None:
            picks = []
        if not isinstance(picks, list) or not all(isinstance(p, str) for p in picks):
            raise InvalidResponse("invalid_response", "picks must be a list of option ids")
        if len(set(picks)) != len(picks):
            raise InvalidResponse("invalid_response", "an option is picked more than once")
        bad = [p for p in picks if p not in activity.option_ids]
        if bad:
            raise InvalidResponse(
                "invalid_response", f"'{bad[0][:40]}' is not an option of '{activity.id}'"
            )
        if len(picks) > s["max_picks"]:
            raise InvalidResponse(
                "invalid_response", f"{len(picks)} options picked (at most {s['max_picks']})"
            )
        return {
            "title": title,
            "text": text,
            "picks": [o for o in activity.option_ids if o in picks],
        }

    def at_table(
        self,
        activity: Activity,
        value: Any,
        table: int,
        participant_id: int,
        tally: Tally,
        holder: int | None,
    ) -> tuple[Any, bool]:
        claims = False
        if _settings(activity)["reporter"] == "one":
            if holder is not None and holder != participant_id:
                raise InvalidResponse(
                    "not_reporter",
                    f"another phone reports for table {table} (this phone now asks for the "
                    "role: the facilitator can hand it over)",
                )
            claims = holder is None
        assert isinstance(tally, TableReportTally)
        before = tally.newest(table)
        edits = 0 if before is None else int(before[1].get("edits", 0)) + 1
        at = time.time()
        if before is not None:
            at = max(at, float(before[1].get("at", 0)) + 1e-6)
        return {**value, "table": table, "edits": edits, "at": at}, claims

    def table_result(self, tally: Tally, table: int) -> dict[str, Any] | None:
        assert isinstance(tally, TableReportTally)
        entry = tally.entry(table)
        own = [entry] if entry is not None else []
        return {"tables": own, "picks": [], "respondents": len(own)}

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        return TableReportTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        s = _settings(activity)
        return {
            **super().view(activity, role),
            "options": option_views(activity.options),
            "per_table": True,
            **s,
            "ui": PHONE_WORDS if role == "participant" else SCREEN_WORDS,
        }

    def form_value(self, activity: Activity, form: Form) -> Any:
        title = form.get("title", "").strip()
        text = form.get("text", "").strip()
        if not title or not text:
            raise FormError("empty")
        return {"title": title, "text": text, "picks": form.getlist("picks")}

    def sample_answers(self, activity: Activity, n: int) -> list[Any]:
        s = _settings(activity)
        ids = activity.option_ids
        return [
            {
                "title": f"Tafel {i + 1}: onze conclusie"[: s["title_length"]],
                "text": f"Voorbeeldsynthese van tafel {i + 1}."[: s["text_length"]],
                "picks": [ids[i % len(ids)]] if ids else [],
            }
            for i in range(n)
        ]

    # -- exports

    def tidy_cells(
        self, activity: Activity, value: Any, status: str | None, words: WordMarks
    ) -> Sequence[Cells]:
        """One row per stored report: option = the picks joined with '|', value = the
        title, text = the text, rank = the table's edits before this version."""
        picks = "|".join(value.get("picks", ())) or None
        return (
            (
                None,
                picks,
                value.get("edits", 0),
                None,
                value.get("title"),
                value.get("text"),
                status,
                None,
            ),
        )

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return 1

    def codebook_notes(self, activity: Activity) -> list[str]:
        s = _settings(activity)
        return [
            f"one report per table (reporter: {s['reporter']}); value = title, text = text, "
            f"option = picks joined with '|', rank = the table's earlier versions (edits)"
        ]

    def xlsx_sheet(
        self,
        sheet: Sheet,
        activity: Activity,
        result: dict[str, Any],
        control: dict[str, Any] | None,
    ) -> None:
        """One row per table: its report as the control screen saw it (every status)."""
        tables = (control or result).get("tables") or []
        labels = {o.id: sheet.pick(o.label) for o in activity.options}
        sheet.line(["table", "title", "text", "picks", "edits", "status"], "head")
        for t in tables:
            sheet.line(
                [
                    t["table"],
                    t["title"],
                    t["text"],
                    ", ".join(labels.get(p, p) for p in t["picks"]),
                    t["edits"],
                    t.get("status", "approved"),
                ]
            )
        sheet.line(["n", len(tables)], "bold")
        sheet.set_column(2, 2, 80, "wrap")

    def report_block(
        self, report: Report, activity: Activity, result: dict[str, Any], block: dict[str, Any]
    ) -> None:
        """ "What the tables said": table by table, title, text and picks (approved only)."""
        labels = {o.id: report.pick(o.label) for o in activity.options}
        block["texts_title"] = report.gettext("What the tables said")
        block["texts"] = [
            f"{report.gettext('Table %(number)s', number=t['table'])}: {t['title']}. {t['text']}"
            + (f" ({', '.join(labels.get(p, p) for p in t['picks'])})" if t["picks"] else "")
            for t in result.get("tables", [])
        ]


register(TableReport())
