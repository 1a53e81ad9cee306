"""The word filter of moderation ``after``: entries with a listed word wait for the facilitator.

Pure core. The Dutch and English lists are those of the ``glin-profanity`` package (PyPI, MIT,
maintained; its ``data/dictionaries/{dutch,english}.json``): only its word lists are read, not
its matcher, so matching is ours and plain: case and accents do not matter, a listed word
matches a whole word of the entry (also as a plural: ``-s``, ``-en``, ``zak``: ``zakken``), a
listed phrase the same words in a row. Those lists were made for chat rooms and hold everyday
words that a workshop uses in their plain sense ("beurt", "gat", "aftrekken", "sex", "suck"):
``EVERYDAY`` below (curated here) leaves them out, so ordinary entries are not held back.

A programme edits the filter in ``settings.word_filter`` (``WordFilter``): which built-in lists
(``lists``), words to add (``add``) and words to let through (``allow``).
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: the built-in lists: language code -> the package's file name
LISTS = {"nl": "dutch.json", "en": "english.json"}

#: words and phrases of the package's lists that a workshop uses in their everyday sense
_EVERYDAY = """
    aardappels afgieten|achter het raam zitten|afrossen|aftrekken|afzuigen|anita|asbak|balen|
    bedonderen|bekken|belazeren|beurt|boemelen|brugpieper|buffelen|de hond uitlaten|
    de koffer induiken|de pijp uitgaan|del|driehoog achter wonen|een beurt geven|engerd|flikken|
    gat|gedoogzone|gras maaien|griet|hol|huisdealer|johny|kanen|klooien|knor|lummel|mafketel|
    matje|muts|naakt|nicht|paal|palen|penoze|poot|pot|potverdorie|raaskallen|remsporen|
    reutelen|schatje|slempen|spuiten|standje|stootje|sufferd|toeter|vergallen|voor zijn|watje|
    zaadje|zuigen|
    bs|domination|erotic|escort|hard core|hardcore|how to kill|how to murder|intercourse|
    lmfao|mf|omfg|sex|sexy|suck|sucks|taste my|testbad01|tied up|tight white|tongue in a|
    girl on|big black|undressing|wtf|xx|nude|nudity|playboy|voyeur|eunuch|grope
"""
EVERYDAY = frozenset(w.strip() for w in _EVERYDAY.replace("\n", "").split("|") if w.strip())

_STRIP = ".,;:!?\"'()[]{}<>«»“”‘’…/\\"


def normalise(text: str) -> tuple[str, ...]:
    """The words of a text as the filter compares them: case-folded, without accents, split
    on white space, punctuation around a word removed."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    words = (w.strip(_STRIP) for w in re.split(r"\s+", plain))
    return tuple(w for w in words if w)


def _package_folder() -> Path | None:
    spec = importlib.util.find_spec("glin_profanity")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "dictionaries"


@lru_cache(maxsize=4)
def builtin(language: str) -> tuple[str, ...]:
    """The package's list for a language (``nl``, ``en``), without ``EVERYDAY``."""
    folder = _package_folder()
    if folder is None:
        raise RuntimeError("the word lists need the glin-profanity package (pip install)")
    data = json.loads((folder / LISTS[language]).read_text(encoding="utf-8"))
    entries = data["words"] if isinstance(data, dict) else data
    return tuple(
        w for w in (str(e).strip() for e in entries if isinstance(e, str)) if w not in EVERYDAY
    )


@dataclass(frozen=True)
class WordFilter:
    """A programme's word filter (``settings.word_filter``)."""

    #: the built-in lists used (``nl``, ``en``)
    lists: tuple[str, ...] = ("nl", "en")
    #: more words or phrases to hold back
    add: tuple[str, ...] = ()
    #: words or phrases of the lists to let through
    allow: tuple[str, ...] = ()

    def held_back(self, text: str) -> bool:
        """Whether an entry contains a listed word or phrase (the verdict of a text is kept:
        a word cloud asks again for every word each time its result is sent)."""
        return _held_back(self, text)

    def match(self, text: str) -> str | None:
        """The first listed word or phrase in ``text`` (as listed), or None."""
        return _matcher(self.lists, self.add, self.allow).search(normalise(text))


@lru_cache(maxsize=65536)
def _held_back(word_filter: WordFilter, text: str) -> bool:
    return word_filter.match(text) is not None


class _Matcher:
    def __init__(self, entries: set[tuple[str, ...]]) -> None:
        self.single: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[str, ...]]] = {}
        for words in entries:
            if len(words) == 1:
                self.single[words[0]] = words[0]
                w = words[0]
                for form in (w + "s", w + "en", w + w[-1] + "en"):
                    self.single.setdefault(form, w)
            else:
                self.phrases.setdefault(words[0], []).append(words)

    def search(self, words: tuple[str, ...]) -> str | None:
        for i, word in enumerate(words):
            if word in self.single:
                return self.single[word]
            for phrase in self.phrases.get(word, ()):
                if words[i : i + len(phrase)] == phrase:
                    return " ".join(phrase)
        return None


@lru_cache(maxsize=16)
def _matcher(lists: tuple[str, ...], add: tuple[str, ...], allow: tuple[str, ...]) -> _Matcher:
    entries = {normalise(w) for lang in lists for w in builtin(lang)}
    entries |= {normalise(w) for w in add}
    entries -= {normalise(w) for w in allow}
    entries.discard(())
    return _Matcher(entries)
