"""The ``word_cloud`` kind: a few short words each; the cloud counts who gave each word."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from . import register
from .answers import FormError, InvalidResponse, clean_text, normalise_word
from .base import Field, Form, Kind, words

if TYPE_CHECKING:  # pragma: no cover
    from ..aggregate import Tally
    from ..programme import Activity

MAX_WORDS = 5
MAX_WORD_LENGTH = 60
DEFAULT_WORDS = 3
DEFAULT_WORD_LENGTH = 30


class WordCloud(Kind):
    name = "word_cloud"
    label = words("Word cloud", "Woordwolk")
    help = words("Participants give a few words; the cloud counts them.",
                 "Deelnemers geven enkele woorden; de wolk telt ze.")
    breakdown = True
    moderates = "words"
    fields = (
        Field("max_words", "integer", words("Words", "Woorden"),
              words("How many words one participant may give.",
                    "Hoeveel woorden één deelnemer mag geven."),
              default=DEFAULT_WORDS, min=1, max=MAX_WORDS),
        Field("max_length", "integer", words("Longest word", "Langste woord"),
              words("At most this many characters per word.", "Hoogstens zoveel tekens per woord."),
              default=DEFAULT_WORD_LENGTH, min=1, max=MAX_WORD_LENGTH),
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
                raise InvalidResponse("invalid_response", f"'{word[:40]}' is {len(word)} "
                                      f"characters long (at most {activity.max_length})")
            if word not in found:
                found.append(word)
        if not found:
            raise InvalidResponse("invalid_response", "type at least one word")
        return found

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        from ..aggregate import WordCloudTally

        return WordCloudTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {"max_words": activity.max_words, "max_length": activity.max_length,
                **super().view(activity, role)}

    def form_value(self, activity: Activity, form: Form) -> Any:
        entered = [w for w in form.getlist("word") if w.strip()]
        if not entered:
            raise FormError("empty")
        return entered


register(WordCloud())
