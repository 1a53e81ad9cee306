"""Clean and validate one participant's response to an activity, per kind.

Pure core. ``clean_response(activity, value)`` returns the value as it will be stored, or raises
``InvalidResponse`` with a code from docs/protocol.md and a message saying what was wrong.

Stored value shapes:
- single_choice: the option id (str)
- multi_choice:  option ids (list[str]) in programme order, distinct
- scale:         {"position": int, "why": str | None}
- open_text:     str
- word_cloud:    list[str], 1 to max_words entries, lower-case, spaces collapsed, accents kept
- ranking:       list[str], every option id once, first = rank 1
- matrix:        {item_id: rating_id}, at least one item
Q&A questions are not responses (a participant may ask several); ``clean_question`` cleans them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from .programme import Activity

# Bidi embeddings/overrides/isolates, zero-width and other invisible format characters that can
# reorder or hide text on the projector.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t]+")
# More than 3 combining marks in a row ("zalgo text") are cut back to 3.
_ZALGO = re.compile(r"([\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{3})"
                    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


class InvalidResponse(ValueError):
    """A response that does not fit its activity. ``code`` is the protocol error code."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(message)


def clean_text(value: Any, max_length: int, field: str = "value", *, required: bool = True
               ) -> str | None:
    """Normalise participant text (NFC, no control or invisible characters, trimmed) and cap it.

    Returns None for an empty optional text; raises InvalidResponse when it is too long, empty
    and required, or not a string.
    """
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidResponse("invalid_response", f"{field} must be text")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    text = _ZALGO.sub(r"\1", text)
    text = _MANY_BLANK_LINES.sub("\n\n", "\n".join(_SPACES.sub(" ", ln).strip()
                                                   for ln in text.split("\n"))).strip()
    if not text:
        if required:
            raise InvalidResponse("invalid_response", f"{field} is empty")
        return None
    if len(text) > max_length:
        raise InvalidResponse("invalid_response", f"{field} is {len(text)} characters long "
                              f"(at most {max_length})")
    return text


def clean_response(activity: Activity, value: Any) -> Any:
    """The value to store for this activity, or InvalidResponse."""
    cleaner = _CLEANERS.get(activity.kind)
    if cleaner is None:
        raise InvalidResponse("not_answerable",
                              f"activity '{activity.id}' ({activity.kind}) takes no answers")
    return cleaner(activity, value)


def _single_choice(activity: Activity, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidResponse("invalid_response", "value must be one option id (a string)")
    if value not in activity.option_ids:
        raise InvalidResponse("invalid_response", f"'{value[:40]}' is not an option of "
                              f"'{activity.id}'")
    return value


def _multi_choice(activity: Activity, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidResponse("invalid_response", "value must be a list of option ids")
    chosen = set(value)
    if len(chosen) != len(value):
        raise InvalidResponse("invalid_response", "an option is chosen more than once")
    if not chosen:
        raise InvalidResponse("invalid_response", "choose at least one option")
    unknown = [v for v in value if v not in activity.option_ids]
    if unknown:
        raise InvalidResponse("invalid_response", f"'{unknown[0][:40]}' is not an option of "
                              f"'{activity.id}'")
    limit = activity.max_choices or len(activity.options)
    if len(chosen) > limit:
        raise InvalidResponse("invalid_response", f"{len(chosen)} options chosen (at most "
                              f"{limit})")
    return [oid for oid in activity.option_ids if oid in chosen]


def _scale(activity: Activity, value: Any) -> dict[str, Any]:
    scale = activity.scale
    assert scale is not None
    if not isinstance(value, dict):
        raise InvalidResponse("invalid_response", "value must be {position, why}")
    extra = set(value) - {"position", "why"}
    if extra:
        raise InvalidResponse("invalid_response", f"unexpected field '{sorted(extra)[0]}'")
    position = value.get("position")
    if isinstance(position, bool) or not isinstance(position, int | float) \
            or not math.isfinite(position) or position != int(position):
        raise InvalidResponse("invalid_response", "position must be a whole number")
    position = int(position)
    if position < scale.min or position > scale.max or (position - scale.min) % scale.step:
        raise InvalidResponse("invalid_response", f"position {position} is not on the scale "
                              f"({scale.min} to {scale.max}, step {scale.step})")
    why = None
    if value.get("why") is not None:
        if activity.why is None:
            raise InvalidResponse("invalid_response", "this scale takes no 'why' text")
        why = clean_text(value["why"], activity.why.max_length, "why", required=False)
    return {"position": position, "why": why}


def _open_text(activity: Activity, value: Any) -> str:
    text = clean_text(value, activity.max_length or 280)
    assert text is not None
    return text


_EDGE_PUNCTUATION = "\"'`.,;:!?()[]{}<>«»“”„‘’*_-–—/\\|#"


def normalise_word(raw: str) -> str:
    """A word-cloud entry as it is counted: lower case, one space between words, no punctuation
    at either end; accents are kept ("één" and "een" are different words)."""
    return " ".join(raw.lower().split()).strip(_EDGE_PUNCTUATION).strip()


def _word_cloud(activity: Activity, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    limit = activity.max_words or 3
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidResponse("invalid_response", "value must be a list of words")
    if len(value) > limit:
        raise InvalidResponse("invalid_response", f"{len(value)} entries (at most {limit})")
    words: list[str] = []
    for raw in value:
        text = clean_text(raw, 10 * (activity.max_length or 30), "word", required=False)
        word = normalise_word(text or "")
        if not word:
            continue
        if len(word) > (activity.max_length or 30):
            raise InvalidResponse("invalid_response", f"'{word[:40]}' is {len(word)} characters "
                                  f"long (at most {activity.max_length})")
        if word not in words:
            words.append(word)
    if not words:
        raise InvalidResponse("invalid_response", "type at least one word")
    return words


def _ranking(activity: Activity, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidResponse("invalid_response", "value must be the list of option ids in "
                              "your order")
    ids = activity.option_ids
    if sorted(value) != sorted(ids):
        missing = [i for i in ids if i not in value]
        unknown = [v for v in value if v not in ids]
        if unknown:
            raise InvalidResponse("invalid_response", f"'{unknown[0][:40]}' is not an option of "
                                  f"'{activity.id}'")
        if missing:
            raise InvalidResponse("invalid_response", f"'{missing[0]}' is missing: rank every "
                                  "option once")
        raise InvalidResponse("invalid_response", "an option is ranked more than once")
    return list(value)


def _matrix(activity: Activity, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise InvalidResponse("invalid_response", "value must map items to ratings, at least "
                              "one")
    items = [o.id for o in activity.items]
    ratings = {o.id for o in activity.ratings}
    out: dict[str, str] = {}
    for item, rating in value.items():
        if item not in items:
            raise InvalidResponse("invalid_response", f"'{str(item)[:40]}' is not an item of "
                                  f"'{activity.id}'")
        if not isinstance(rating, str) or rating not in ratings:
            raise InvalidResponse("invalid_response", f"'{str(rating)[:40]}' is not a rating "
                                  f"of '{activity.id}'")
    for item in items:  # programme order
        if item in value:
            out[item] = value[item]
    return out


def clean_question(activity: Activity, text: Any) -> str:
    """A Q&A question as stored."""
    if activity.kind != "qna":
        raise InvalidResponse("not_answerable", f"activity '{activity.id}' takes no questions")
    cleaned = clean_text(text, activity.max_length or 280, "question")
    assert cleaned is not None
    return cleaned


_CLEANERS = {
    "word_cloud": _word_cloud,
    "ranking": _ranking,
    "matrix": _matrix,
    "single_choice": _single_choice,
    "multi_choice": _multi_choice,
    "scale": _scale,
    "open_text": _open_text,
}
