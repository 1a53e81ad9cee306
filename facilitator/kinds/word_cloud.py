"""The ``word_cloud`` kind: a few short words each; the cloud counts who gave each word."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..stopwords import STOP_WORDS
from . import register
from .answers import FormError, InvalidResponse, clean_text, normalise_word
from .base import Field, Form, Kind, words
from .tally import APPROVED, CONTROL, HIDDEN, PENDING, Label, Tally

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from ..wordfilter import WordFilter
    from .exporting import Cells, Report, Sheet, WordMarks

MAX_WORDS = 5
MAX_WORD_LENGTH = 60
DEFAULT_WORDS = 3
DEFAULT_WORD_LENGTH = 30
#: the most words a cloud shows
MAX_CLOUD_WORDS = 100


def word_status(
    moderation: str,
    word_filter: WordFilter | None,
    word: str,
    hidden: Collection[str],
    approved: Collection[str],
) -> str:
    """A word cloud's word: hidden by the facilitator, approved (shown), or pending: waiting
    for approval (moderation ``before``, or ``after`` for a word the word filter holds back)."""
    if word in hidden:
        return HIDDEN
    if word in approved or moderation == "none":
        return APPROVED
    if moderation == "before":
        return PENDING
    held = word_filter is not None and word_filter.held_back(word)
    return PENDING if held else APPROVED


class WordCloudTally(Tally):
    """word_cloud: how many participants gave each word; stop words are not counted.

    The facilitator hides words; under moderation ``before`` a word reaches the projector only
    once approved (``approved``), under ``after`` only a word the word filter holds back
    waits."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.counts: Counter[str] = Counter()
        self.hidden: set[str] = set()
        self.approved: set[str] = set()
        self.moderation = activity.moderation
        self.word_filter = activity.word_filter

    def word_status(self, word: str) -> str:
        return word_status(self.moderation, self.word_filter, word, self.hidden, self.approved)

    def mark_words(self, hidden: Iterable[str], approved: Iterable[str]) -> None:
        self.hidden, self.approved = set(hidden), set(approved)

    def pending(self) -> Sequence[Hashable]:
        """The words waiting for approval, in alphabetical order."""
        return sorted(w for w in self.counts if self.word_status(w) == PENDING)

    @staticmethod
    def _words(value: Any) -> list[str]:
        return [w for w in value if w not in STOP_WORDS]

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        self.counts.update(self._words(value))

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        self.counts.subtract(self._words(value))
        for w in self._words(value):
            if self.counts[w] <= 0:
                del self.counts[w]

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        wanted = (APPROVED, PENDING) if audience == CONTROL else (APPROVED,)
        shown = sorted(
            ((w, c) for w, c in self.counts.items() if self.word_status(w) in wanted),
            key=lambda wc: (-wc[1], wc[0]),
        )[:MAX_CLOUD_WORDS]
        words = []
        for w, c in shown:
            entry: dict[str, Any] = {"word": w, "count": c}
            if audience == CONTROL:
                entry["status"] = self.word_status(w)
            words.append(entry)
        out: dict[str, Any] = {"words": words, "respondents": self.respondents}
        if audience == CONTROL:
            out["hidden"] = [
                {"word": w, "count": self.counts.get(w, 0)} for w in sorted(self.hidden)
            ]
        return out


class WordCloud(Kind):
    name = "word_cloud"
    label = words("Word cloud", "Woordwolk")
    help = words(
        "Participants give a few words; the cloud counts them.",
        "Deelnemers geven enkele woorden; de wolk telt ze.",
    )
    breakdown = True
    moderates = "words"

    def moderated_text(self, value: Any) -> str | None:
        """Words are moderated one by one (``word_status``), not the answer."""
        return None

    fields = (
        Field(
            "max_words",
            "integer",
            words("Words", "Woorden"),
            words(
                "How many words one participant may give.",
                "Hoeveel woorden één deelnemer mag geven.",
            ),
            default=DEFAULT_WORDS,
            min=1,
            max=MAX_WORDS,
        ),
        Field(
            "max_length",
            "integer",
            words("Longest word", "Langste woord"),
            words("At most this many characters per word.", "Hoogstens zoveel tekens per woord."),
            default=DEFAULT_WORD_LENGTH,
            min=1,
            max=MAX_WORD_LENGTH,
        ),
    )

    def clean(self, activity: Activity, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        limit = activity.max_words or DEFAULT_WORDS
        longest = activity.max_length or DEFAULT_WORD_LENGTH
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidResponse("invalid_response", "value must be a list of words")
        if len(value) > limit:
            raise InvalidResponse("invalid_response", f"{len(value)} entries (at most {limit})")
        found: list[str] = []
        for raw in value:
            text = clean_text(raw, 10 * longest, "word", required=False)
            word = normalise_word(text or "")
            if not word:
                continue
            if len(word) > longest:
                raise InvalidResponse(
                    "invalid_response",
                    f"'{word[:40]}' is {len(word)} characters long (at most {activity.max_length})",
                )
            if word not in found:
                found.append(word)
        if not found:
            raise InvalidResponse("invalid_response", "type at least one word")
        return found

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        return WordCloudTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {
            "max_words": activity.max_words,
            "max_length": activity.max_length,
            **super().view(activity, role),
        }

    def form_value(self, activity: Activity, form: Form) -> Any:
        entered = [w for w in form.getlist("word") if w.strip()]
        if not entered:
            raise FormError("empty")
        return entered

    def sample_answers(self, activity: Activity, n: int) -> list[Any]:
        most = activity.max_words or 1
        return [["voorbeeld", f"woord {i % 2 + 1}"][:most] for i in range(n)]

    # -- exports

    def tidy_cells(
        self, activity: Activity, value: Any, status: str | None, words: WordMarks
    ) -> Sequence[Cells]:
        """One row per word, with its own status: stop_word, hidden, approved or pending."""
        cells: list[Cells] = []
        for w in value:
            if w in STOP_WORDS:
                mark = "stop_word"
            else:
                mark = word_status(
                    activity.moderation, activity.word_filter, w, words.hidden, words.approved
                )
            cells.append((None, None, None, None, None, w, mark, None))
        return cells

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return len(value)

    def xlsx_sheet(
        self,
        sheet: Sheet,
        activity: Activity,
        result: dict[str, Any],
        control: dict[str, Any] | None,
    ) -> None:
        """The words the projector showed with their counts; a bar chart of the top 15."""
        sheet.line(["word", "count"], "head")
        first = sheet.row
        for w in result["words"]:
            sheet.line([w["word"], w["count"]])
        last = sheet.row - 1
        sheet.line(["respondents", result["respondents"]], "bold")
        sheet.line(
            [
                "the words the projector showed (at most 100; stop words are not counted; "
                "hidden and unapproved words are left out: see Responses)"
            ],
            "muted",
        )
        if result["words"]:
            top = min(last, first + 14)
            chart = sheet.chart("bar")
            chart.add_series(
                {
                    "name": "count",
                    "categories": sheet.cells(first, 0, top, 0),
                    "values": sheet.cells(first, 1, top, 1),
                    "fill": {"color": sheet.colour(0)},
                    "data_labels": {"value": True},
                }
            )
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"none": True})
            chart.set_size({"width": 520, "height": 90 + 26 * (top - first + 1)})
            sheet.insert_chart(first - 1, 4, chart)

    def xlsx_breakdown(
        self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]], small: str
    ) -> None:
        """Per group: n and its ten most given words."""
        sheet.line(["group", "n", "top words (count)"], "head")
        for g in groups:
            res = g["result"]
            top = (
                "; ".join(f"{w['word']} ({w['count']})" for w in res["words"][:10])
                if res is not None
                else None
            )
            sheet.line([sheet.pick(g["label"]), small if g["suppressed"] else g["n"], top])

    def report_block(
        self, report: Report, activity: Activity, result: dict[str, Any], block: dict[str, Any]
    ) -> None:
        """Bars of the 15 most given words, and every word the projector showed."""
        _ = report.gettext
        words = result.get("words", [])
        top = words[:15]
        if top:
            peak = max(w["count"] for w in top)
            block["chart"] = report.bars(
                [
                    {"label": w["word"], "values": [w["count"]], "texts": [str(w["count"])]}
                    for w in top
                ],
                maximum=peak,
                series=[(_("Count"), 0)],
            )
        block["words"] = [(w["word"], w["count"]) for w in words]
        block["facts"] = [
            (_("Respondents"), str(result["respondents"])),
            (_("Different words"), str(len(words))),
        ]
        block["unit_note"] = _(
            "How many participants gave each word; common words such as "
            "\u201cde\u201d or \u201cthe\u201d are not counted."
        )

    def report_breakdown(
        self,
        report: Report,
        activity: Activity,
        groups: list[dict[str, Any]],
        label: str,
        small: str,
    ) -> dict[str, Any] | None:
        """Per group: n and its eight most given words."""
        rows = []
        for g in groups:
            res = g["result"]
            top = (
                ", ".join(f"{w['word']} ({w['count']})" for w in res["words"][:8])
                if res is not None
                else ""
            )
            rows.append([report.pick(g["label"]), small if g["suppressed"] else str(g["n"]), top])
        return {"head": [label, "n", report.gettext("Most given words")], "rows": rows}


register(WordCloud())
