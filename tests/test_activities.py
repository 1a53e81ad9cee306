"""Response cleaning per kind: what is stored, and what is refused with which code."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.activities import InvalidResponse, clean_response, clean_text
from facilitator.programme import load_programme

P = load_programme(Path(__file__).resolve().parent / "programmes" / "mini.yaml")


def act(aid: str):
    return P.activity(aid)


GOOD = [
    ("kies", "groen", "groen"),
    ("meer", ["c", "a"], ["a", "c"]),  # stored in programme order
    ("meer", ["d"], ["d"]),
    ("schaal", {"position": 3}, {"position": 3, "why": None}),
    (
        "schaal",
        {"position": 5, "why": "  omdat\u202e het  kan "},
        {"position": 5, "why": "omdat het kan"},
    ),
    ("schaal", {"position": 1, "why": "   "}, {"position": 1, "why": None}),
    ("schaal", {"position": 2.0}, {"position": 2, "why": None}),
    ("schuif", {"position": 0}, {"position": 0, "why": None}),
    ("schuif", {"position": 100}, {"position": 100, "why": None}),
    ("tekst", "  Hallo\r\nwereld  ", "Hallo\nwereld"),
    (
        "tekst",
        "<script>alert(1)</script>",
        "<script>alert(1)</script>",
    ),  # stored as text, drawn as text
    ("tekst", "e\u0301", "\u00e9"),  # NFC
]


@pytest.mark.parametrize(("aid", "value", "stored"), GOOD)
def test_good_responses_are_stored_clean(aid, value, stored) -> None:
    assert clean_response(act(aid), value) == stored


BAD = [
    ("welkom", "x", "not_answerable", "takes no answers"),
    ("kies", "paars", "invalid_response", "'paars' is not an option of 'kies'"),
    ("kies", ["rood"], "invalid_response", "one option id"),
    ("kies", None, "invalid_response", "one option id"),
    ("meer", [], "invalid_response", "at least one"),
    ("meer", ["a", "b", "c"], "invalid_response", "3 options chosen (at most 2)"),
    ("meer", ["a", "a"], "invalid_response", "more than once"),
    ("meer", ["a", "z"], "invalid_response", "'z' is not an option"),
    ("meer", "a", "invalid_response", "list of option ids"),
    ("meer", [1, 2], "invalid_response", "list of option ids"),
    ("schaal", 3, "invalid_response", "{position, why}"),
    (
        "schaal",
        {"position": 6},
        "invalid_response",
        "position 6 is not on the scale (1 to 5, step 1)",
    ),
    ("schaal", {"position": 0}, "invalid_response", "not on the scale"),
    ("schaal", {"position": 2.5}, "invalid_response", "whole number"),
    ("schaal", {"position": True}, "invalid_response", "whole number"),
    ("schaal", {"position": "3"}, "invalid_response", "whole number"),
    ("schaal", {"position": 3, "extra": 1}, "invalid_response", "unexpected field 'extra'"),
    (
        "schaal",
        {"position": 3, "why": "x" * 281},
        "invalid_response",
        "why is 281 characters long (at most 280)",
    ),
    ("schuif", {"position": 50, "why": "x"}, "invalid_response", "takes no 'why'"),
    ("schuif", {"position": 101}, "invalid_response", "not on the scale"),
    ("tekst", "", "invalid_response", "value is empty"),
    ("tekst", " \u200b\u200b ", "invalid_response", "value is empty"),
    ("tekst", "x" * 281, "invalid_response", "281 characters long (at most 280)"),
    ("tekst", 12, "invalid_response", "must be text"),
    ("tekst", {"a": 1}, "invalid_response", "must be text"),
]


@pytest.mark.parametrize(("aid", "value", "code", "message"), BAD)
def test_bad_responses_are_refused_with_a_reason(aid, value, code, message) -> None:
    with pytest.raises(InvalidResponse) as exc:
        clean_response(act(aid), value)
    assert exc.value.code == code
    assert message in exc.value.message


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\u202eb\u2066c\u2069", "abc"),  # bidi overrides and isolates
        ("a\x00b\x07c", "abc"),  # control characters
        ("line1\n\n\n\n\nline2", "line1\n\nline2"),  # at most one blank line
        ("a\tb    c", "a b c"),
        ("x\u0301\u0301\u0301\u0301\u0301\u0301", "x\u0301\u0301\u0301"),  # zalgo capped
        ("soft\u00adhyphen", "softhyphen"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw, 100) == clean
