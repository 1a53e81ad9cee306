"""Clean and validate one participant's response to an activity, per kind.

Pure core. ``clean_response(activity, value)`` returns the value as it will be stored, or raises
``InvalidResponse`` with a code from docs/protocol.md and a message saying what was wrong.

Stored value shapes:
- single_choice: the option id (str)
- multi_choice:  option ids (list[str]) in programme order, distinct
- scale:         {"position": int, "why": str | None}
- open_text:     str
"""

from __future__ import annotations

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
            or position != int(position):
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


_CLEANERS = {
    "single_choice": _single_choice,
    "multi_choice": _multi_choice,
    "scale": _scale,
    "open_text": _open_text,
}
