"""Results per kind: exact counts, percentages of respondents, median and mean, text order;
and the incremental tally equals a recount after any sequence of changes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from facilitator.activities import clean_response
from facilitator.aggregate import aggregate, new_tally, percent
from facilitator.programme import load_programme

P = load_programme(Path(__file__).resolve().parent / "programmes" / "mini.yaml")


def opts(result):
    return [(o["id"], o["count"], o["percent"]) for o in result["options"]]


def test_single_choice_counts_and_percentages() -> None:
    r = aggregate(P.activity("kies"), enumerate(["rood", "rood", "blauw"]))
    assert opts(r) == [("rood", 2, 66.7), ("groen", 0, 0.0), ("blauw", 1, 33.3)]
    assert r["respondents"] == 3 and r["votes"] == 3


def test_multi_choice_percent_is_of_respondents_and_may_pass_100() -> None:
    values = [["a", "b"], ["a"], ["a", "c"], ["b", "d"]]
    r = aggregate(P.activity("meer"), enumerate(values))
    assert opts(r) == [("a", 3, 75.0), ("b", 2, 50.0), ("c", 1, 25.0), ("d", 1, 25.0)]
    assert r["respondents"] == 4 and r["votes"] == 7
    assert sum(o["percent"] for o in r["options"]) == 175.0


def test_empty_results() -> None:
    assert opts(aggregate(P.activity("kies"), [])) == [
        ("rood", 0, 0.0),
        ("groen", 0, 0.0),
        ("blauw", 0, 0.0),
    ]
    r = aggregate(P.activity("schaal"), [])
    assert (r["n"], r["mean"], r["median"], r["whys"]) == (0, None, None, [])
    assert [h["count"] for h in r["histogram"]] == [0, 0, 0, 0, 0]
    assert aggregate(P.activity("tekst"), []) == {"entries": [], "n": 0}
    assert aggregate(P.activity("welkom"), []) is None


@pytest.mark.parametrize(
    ("positions", "mean", "median"),
    [
        ([3], 3.0, 3.0),
        ([1, 5], 3.0, 3.0),
        ([1, 2, 5], 2.67, 2.0),
        ([1, 1, 4, 5], 2.75, 2.5),
        ([5, 5, 5, 1], 4.0, 5.0),
        ([2, 2, 3, 3, 3, 4], 2.83, 3.0),
    ],
)
def test_scale_mean_and_median(positions, mean, median) -> None:
    r = aggregate(P.activity("schaal"), enumerate({"position": p, "why": None} for p in positions))
    assert (r["n"], r["mean"], r["median"]) == (len(positions), mean, median)
    assert sum(h["count"] for h in r["histogram"]) == len(positions)
    assert {h["value"]: h["count"] for h in r["histogram"]}[positions[0]] == positions.count(
        positions[0]
    )


def test_scale_whys_in_first_answer_order() -> None:
    t = new_tally(P.activity("schaal"))
    t.add(7, {"position": 2, "why": "eerst"})
    t.add(8, {"position": 4, "why": None})
    t.add(9, {"position": 5, "why": "derde"})
    t.replace(7, {"position": 2, "why": "eerst"}, {"position": 3, "why": "eerst, anders"})
    r = t.result()
    assert r["whys"] == [
        {"id": "7", "text": "eerst, anders", "status": "approved"},
        {"id": "9", "text": "derde", "status": "approved"},
    ]
    assert (r["n"], r["mean"], r["median"]) == (3, 4.0, 4.0)


def test_open_text_keeps_first_sent_order_when_changed() -> None:
    t = new_tally(P.activity("tekst"))
    for k, text in [(1, "een"), (2, "twee"), (3, "drie")]:
        t.add(k, text)
    t.replace(1, "een", "één!")
    assert t.result() == {
        "entries": [
            {"id": "1", "text": "één!", "status": "approved"},
            {"id": "2", "text": "twee", "status": "approved"},
            {"id": "3", "text": "drie", "status": "approved"},
        ],
        "n": 3,
    }
    assert t.result("projector")["entries"][0] == {"id": "1", "text": "één!"}


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 3, 33.3), (2, 3, 66.7), (0, 0, 0.0), (5, 5, 100.0), (1, 8, 12.5)],
)
def test_percent(part, whole, expected) -> None:
    assert percent(part, whole) == expected


def _random_value(rng: random.Random, aid: str):
    activity = P.activity(aid)
    if aid == "kies":
        raw = rng.choice(activity.option_ids)
    elif aid == "meer":
        raw = rng.sample(activity.option_ids, rng.randint(1, 2))
    elif aid in ("schaal", "schuif"):
        raw = {"position": rng.choice(activity.scale.positions)}
        if aid == "schaal" and rng.random() < 0.5:
            raw["why"] = rng.choice(["a", "b", "omdat"])
    else:
        raw = rng.choice(["x", "y", "z z"])
    return clean_response(activity, raw)


@pytest.mark.parametrize("aid", ["kies", "meer", "schaal", "schuif", "tekst"])
@pytest.mark.parametrize("seed", range(5))
def test_incremental_tally_equals_recount(aid: str, seed: int) -> None:
    """Any sequence of new and changed answers: the tally equals a recount of the final state."""
    rng = random.Random(seed)
    activity = P.activity(aid)
    tally = new_tally(activity)
    stored: dict[int, object] = {}
    first: list[int] = []
    for _ in range(300):
        key = rng.randrange(60)
        value = _random_value(rng, aid)
        if key in stored:
            tally.replace(key, stored[key], value)
        else:
            tally.add(key, value)
            first.append(key)
        stored[key] = value
    assert tally.result() == aggregate(activity, [(k, stored[k]) for k in first])
    assert tally.respondents == len(stored)
