"""Participant text and the error of an answer that does not fit: shared by every kind.

Pure core, standard library only (``facilitator.activities`` re-exports these names).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Bidi embeddings/overrides/isolates, zero-width and other invisible format characters that can
# reorder or hide text on the projector.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t]+")
# More than 3 combining marks in a row ("zalgo text") are cut back to 3.
_ZALGO = re.compile(
    r"([\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{3})"
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)


class InvalidResponse(ValueError):
    """A response that does not fit its activity. ``code`` is the protocol error code."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(message)


class FormError(Exception):
    """A no-JavaScript form that carries no usable answer; ``code`` is one of the page's
    ``err_*`` strings (views/participant.FORM_ERRORS)."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def clean_text(
    value: Any, max_length: int, field: str = "value", *, required: bool = True
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
    text = _MANY_BLANK_LINES.sub(
        "\n\n", "\n".join(_SPACES.sub(" ", ln).strip() for ln in text.split("\n"))
    ).strip()
    if not text:
        if required:
            raise InvalidResponse("invalid_response", f"{field} is empty")
        return None
    if len(text) > max_length:
        raise InvalidResponse(
            "invalid_response", f"{field} is {len(text)} characters long (at most {max_length})"
        )
    return text


_EDGE_PUNCTUATION = "\"'`.,;:!?()[]{}<>«»“”„‘’*_-–—/\\|#"


def normalise_word(raw: str) -> str:
    """A word-cloud entry as it is counted: lower case, one space between words, no punctuation
    at either end; accents are kept ("één" and "een" are different words)."""
    return " ".join(raw.lower().split()).strip(_EDGE_PUNCTUATION).strip()
