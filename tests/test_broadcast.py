"""The coalescer's flush (facilitator/broadcast.py), with the emits recorded instead of sent:
results go once per flush however often they changed, and in scale-out mode (``settle``) the
last results of an activity go once more after a quiet second, and only once."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator import broadcast
from facilitator.broadcast import Coalescer


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, Any]]:
    out: list[tuple[str, Any, Any]] = []
    monkeypatch.setattr(
        broadcast.socketio, "emit", lambda event, data, to=None, **kw: out.append((event, data, to))
    )
    return out


def coalescer(
    settle: float | None, clock: list[float], monkeypatch: pytest.MonkeyPatch
) -> Coalescer:
    c = Coalescer()
    c._results_provider = lambda code, aid: (
        {"activity": aid, "for": "control"},
        {"activity": aid, "for": "projector"},
    )
    c._counts_provider = lambda code: None
    c._questions_provider = lambda code, aid: None
    c.settle = settle
    monkeypatch.setattr(broadcast.time, "monotonic", lambda: clock[0])
    return c


def results_sent(sent: list[tuple[str, Any, Any]]) -> list[tuple[str, str]]:
    out = [(d["activity"], to) for e, d, to in sent if e == "results"]
    sent.clear()
    return out


def test_one_results_per_flush(sent: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    c = coalescer(None, clock, monkeypatch)
    for _ in range(50):
        c.results_changed("ABC", "kies")
    c.flush()
    assert results_sent(sent) == [("kies", "live:ABC:control"), ("kies", "live:ABC:projector")]
    clock[0] += 5
    c.flush()
    assert results_sent(sent) == []  # no settle in one process


def test_settled_results_are_sent_once_more(
    sent: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [100.0]
    c = coalescer(1.0, clock, monkeypatch)
    c.results_changed("ABC", "kies")
    c.flush()
    assert len(results_sent(sent)) == 2
    clock[0] += 0.5
    c.results_changed("ABC", "kies")  # still changing: the quiet second starts again
    c.flush()
    assert len(results_sent(sent)) == 2
    clock[0] += 0.9
    c.flush()
    assert results_sent(sent) == []  # 0.9 s since the last change
    clock[0] += 0.2
    c.flush()
    assert results_sent(sent) == [("kies", "live:ABC:control"), ("kies", "live:ABC:projector")]
    clock[0] += 5
    c.flush()
    assert results_sent(sent) == []  # once only


def test_the_answer_path_flushes_once_an_interval_is_over(
    sent: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``flush_if_due`` (called after each committed batch of answers) sends what is dirty when
    the last flush is an interval ago, whoever made it, and nothing before: while a burst keeps
    the event loop busy the screens still get a result every interval, and never more often."""
    clock = [100.0]
    c = coalescer(None, clock, monkeypatch)
    c.interval = 1.0
    c.results_changed("ABC", "kies")
    c.flush()  # the background task's flush
    results_sent(sent)
    c.results_changed("ABC", "kies")
    clock[0] += 0.5
    c.flush_if_due()
    assert results_sent(sent) == []  # half an interval: not yet
    clock[0] += 0.5
    c.flush_if_due()
    assert results_sent(sent) == [("kies", "live:ABC:control"), ("kies", "live:ABC:projector")]
    c.results_changed("ABC", "meer")
    clock[0] += 0.75
    c.flush_if_due()
    assert results_sent(sent) == []
    clock[0] += 0.25
    c.flush_if_due()
    assert [a for a, _to in results_sent(sent)] == ["meer", "meer"]


def test_a_slow_flush_makes_the_next_one_wait_four_times_as_long(
    sent: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A result that costs much to build (an open text listing thousands of entries) is sent
    less often than every interval: the flushes take at most a quarter of the time."""
    clock = [100.0]
    c = coalescer(None, clock, monkeypatch)
    c.interval = 1.0
    build = c._results_provider

    def slow(code: str, aid: str) -> Any:
        clock[0] += 2.0  # building this result took two seconds
        return build(code, aid)  # type: ignore[misc]

    c._results_provider = slow
    c.results_changed("ABC", "tekst")
    c.flush_if_due()
    assert len(results_sent(sent)) == 2
    c.results_changed("ABC", "tekst")
    clock[0] += 5.0  # 7 s after the start: more than the interval, less than 4 x 2 s
    c.flush_if_due()
    assert results_sent(sent) == []
    clock[0] += 1.0
    c.flush_if_due()
    assert len(results_sent(sent)) == 2
