"""The word filter of moderation ``after`` and the programme's moderation settings (pure logic,
table tests)."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator import kinds
from facilitator.programme import Programme, ProgrammeError, parse_programme
from facilitator.wordfilter import EVERYDAY, WordFilter, builtin

DEFAULT = WordFilter()


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("Meer tijd voor elkaar", None),
        ("een klootzak", "klootzak"),  # the Dutch list
        ("KLOOTZAKKEN!", "klootzak"),  # case, punctuation, a plural (-ken)
        ("hufters", "hufter"),  # plural -s
        ("Wat een shit", "shit"),  # the English list
        ("Shít", "shit"),  # accents do not matter
        ("f*ck this", "f*ck"),  # listed with a symbol
        ("da's kloten van de bok", "da's kloten van de bok"),  # a phrase, from its first word
        ("Het gat in de markt", None),  # everyday words of the package's list are left out
        ("Een beurt om te spreken", None),
        ("Voor zijn kinderen zorgen", None),
        ("sex education", None),
        ("klootzakje", None),  # not a whole word
        ("", None),
    ],
)
def test_the_default_filter(text: str, held: str | None) -> None:
    assert DEFAULT.match(text) == held
    assert DEFAULT.held_back(text) is (held is not None)


@pytest.mark.parametrize(
    ("word_filter", "text", "held"),
    [
        (WordFilter(add=("boterham",)), "Een Boterham!", "boterham"),
        (WordFilter(add=("tweede kans",)), "geef een tweede kans", "tweede kans"),
        (WordFilter(allow=("kut",)), "het is kut", None),
        (WordFilter(lists=("nl",)), "fuck", None),
        (WordFilter(lists=("en",)), "klootzak", None),
        (WordFilter(lists=()), "klootzak", None),
        (WordFilter(lists=(), add=("x",)), "x y", "x"),
    ],
)
def test_a_programme_edits_the_filter(word_filter: WordFilter, text: str, held: str | None) -> None:
    assert word_filter.match(text) == held


def test_the_lists_come_from_the_package_without_the_everyday_words() -> None:
    dutch, english = builtin("nl"), builtin("en")
    assert len(dutch) > 100 and len(english) > 300
    assert "klootzak" in dutch and "fuck" in english
    assert not EVERYDAY & set(dutch + english)
    assert {"beurt", "gat", "sex"} <= EVERYDAY


def programme(settings: dict[str, Any] | None = None, **activity: Any) -> dict[str, Any]:
    return {
        "programme": {
            "id": "p",
            "version": "1",
            "languages": ["nl", "en"],
            "default_language": "nl",
            "title": {"nl": "P", "en": "P"},
            **({"settings": settings} if settings is not None else {}),
            "sections": [
                {
                    "id": "s",
                    "title": {"nl": "S", "en": "S"},
                    "activities": [
                        {
                            "id": "t",
                            "kind": "open_text",
                            "prompt": {"nl": "?", "en": "?"},
                            **activity,
                        }
                    ],
                }
            ],
        }
    }


@pytest.mark.parametrize(
    ("settings", "activity", "moderation"),
    [
        (None, {}, "before"),  # the default
        ({"moderation": "after"}, {}, "after"),
        ({"moderation": "none"}, {"moderation": "before"}, "before"),
        ({"moderation": True}, {}, "before"),  # the first spelling
        ({"moderation": False}, {}, "none"),
        (None, {"moderation": False}, "none"),
    ],
)
def test_moderation_per_activity(
    settings: dict[str, Any] | None, activity: dict[str, Any], moderation: str
) -> None:
    a = parse_programme(programme(settings, **activity)).activities[0]
    assert a.moderation == moderation and a.moderated is (moderation == "before")
    assert (a.word_filter is not None) is (moderation == "after")


@pytest.mark.parametrize(
    ("settings", "activity", "problem"),
    [
        (None, {"moderation": "later"}, "activity 't'.moderation"),
        ({"moderation": "maybe"}, {}, "programme.settings.moderation"),
        ({"word_filter": {"lists": ["fr"]}}, {}, "unknown list 'fr' (lists: nl, en)"),
        ({"word_filter": {"add": "boterham"}}, {}, "programme.settings.word_filter.add"),
        ({"word_filter": {"block": []}}, {}, "unknown field 'block'"),
        (None, {"keep_open": "yes"}, "activity 't'.keep_open"),
    ],
)
def test_bad_settings_say_where(
    settings: dict[str, Any] | None, activity: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ProgrammeError) as err:
        parse_programme(programme(settings, **activity))
    assert any(problem in str(p) for p in err.value.problems), err.value.problems


def test_keep_open_only_for_kinds_that_take_answers() -> None:
    info = kinds.get("info")
    assert info is not None and "keep_open" not in {f.name for f in info.all_fields()}
    assert parse_programme(programme(keep_open=True)).activities[0].keep_open is True


def test_snapshots_keep_the_filter_and_read_the_first_spelling() -> None:
    p = parse_programme(
        programme({"moderation": "after", "word_filter": {"add": ["boterham"], "allow": ["kut"]}})
    )
    again = Programme.from_dict(p.to_dict())
    assert again == p
    assert again.activities[0].word_filter == WordFilter(add=("boterham",), allow=("kut",))
    # a live session stored before moderation had three values
    old = p.to_dict()
    old["moderation"] = True
    for a in old["activities"]:
        a.pop("moderation"), a.pop("word_filter"), a.pop("keep_open")
        a["moderated"] = False
    loaded = Programme.from_dict(old)
    assert loaded.moderation == "before" and loaded.activities[0].moderation == "none"
