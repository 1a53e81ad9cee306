"""bench/load.py's own arithmetic (the scenarios, the page phones, projector updates per second,
issue 16's targets per run): pure functions, no server."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
try:
    import load
finally:
    sys.path.pop(0)


def test_scenarios() -> None:
    assert load.scenario_window("burst10") == 10.0
    assert load.scenario_window("burst2") == 2.0
    assert load.scenario_window("burst0.5") == 0.5
    assert load.scenario_window("connect") is None
    for bad in ("burst", "burst0", "burstx", "storm"):
        with pytest.raises(ValueError, match=f"unknown scenario '{bad}'"):
            load.scenario_window(bad)


def test_page_phones_are_the_share_spread_evenly() -> None:
    pages = [i for i in range(1000) if load.is_page_phone(i, 0.1)]
    assert len(pages) == 100
    assert pages[:3] == [9, 19, 29]
    assert not any(load.is_page_phone(i, 0.0) for i in range(100))
    assert sum(load.is_page_phone(i, 1 / 3) for i in range(300)) == 100


def test_update_rate_counts_whole_seconds_of_the_burst() -> None:
    t0 = 100.0
    series = (
        [(t0 - 0.5, 1, 1)] + [(t0 + 0.1 * k, k, k) for k in range(1, 25)] + [(t0 + 5.0, 99, 99)]
    )
    rate = load.update_rate(series, t0, t0 + 2.45)
    # inside [t0, t0 + 2.45]: 0.1 .. 2.4 (24 messages); whole seconds: [0, 1) has 9, [1, 2) 10
    assert rate["count"] == 24
    assert rate["per_s"] == [9, 10]
    assert rate["min_per_s"] == 9
    short = load.update_rate(series, t0, t0 + 0.35)
    assert short["per_s"] == [3] and short["min_per_s"] == 3
    empty = load.update_rate([], t0, t0 + 3)
    assert empty == {"count": 0, "burst_s": 3, "min_per_s": 0, "per_s": [0, 0, 0]}


def run(
    scenario: str,
    window: float | None,
    ack99: float,
    prj99: float,
    min_rate: int,
    per_answer: float,
    connect_s: float,
    per_connect: float,
    per_page: float | None,
    kb: float,
) -> dict:
    n = 1000
    acts = (
        {}
        if window is None
        else {
            "a": {
                "sent": 10,
                "acked": 10,
                "projector_final": 10,
                "statuses": {"ok": 10},
                "projector_counts": {"o1": 10},
                "expected_counts": {"o1": 10},
                "projector_never": 0,
                "generator_max_lag_s": 0.0,
                "other_load_cores": 0.0,
                "projector_rate": {"min_per_s": min_rate, "count": 30},
            }
        }
    )
    r = {
        "server": "dialoogtafel",
        "n": n,
        "scenario": scenario,
        "window": window,
        "ok": True,
        "error": None,
        "activities": acts,
        "pooled": {
            "ack_s": {"p50": 0.001, "p99": ack99},
            "projector_s": {"p50": 0.05, "p99": prj99},
        },
        "cpu_per_answer_ms": per_answer,
        "connect": {
            "connected": n,
            "all_s": connect_s,
            "cpu_per_phone_ms": per_connect,
            "kb_per_phone": kb,
            "pages": None if per_page is None else {"cpu_per_page_ms": per_page},
        },
    }
    r["verdict"] = load.verdict(r)
    return r


def test_targets_per_scenario() -> None:
    ok10 = run("burst10", 10, 0.4, 0.9, 1, 0.5, 1, 9, None, 60)
    assert load.run_targets(ok10, None) == [
        ("0 lost / 0 twice", True),
        ("ack p99 < 0.5 s", True),
        ("projector p99 < 1.0 s", True),
        ("CPU/answer ≤ 0.6 ms", True),
        ("< 100 KB/phone", True),
    ]
    bad10 = run("burst10", 10, 0.6, 0.9, 1, 0.7, 1, 9, None, 120)
    assert [name for name, held in load.run_targets(bad10, None) if not held] == [
        "ack p99 < 0.5 s",
        "CPU/answer ≤ 0.6 ms",
        "< 100 KB/phone",
    ]
    hard = run("burst2", 2, 1.4, 2.1, 4, 0.7, 1, 9, None, 60)
    assert [(name, held) for name, held in load.run_targets(hard, None)][1:4] == [
        ("ack p99 < 1.5 s", True),
        ("projector p99 < 2.0 s", False),
        ("≥ 5 projector updates/s", False),
    ]
    storm = run("connect", None, 0, 0, 0, 0, 7.0, 0.9, 2.5, 60)
    ref = {"connect": {"all_s": 3.0}}
    small = dict(storm, n=999, connect=dict(storm["connect"], connected=999))
    assert "< 100 KB/phone" not in [name for name, _ in load.run_targets(small, ref)]
    assert load.run_targets(storm, ref) == [
        ("0 lost / 0 twice", True),
        ("connect ≤ 2× ref", False),
        ("CPU/connect ≤ 1 ms", True),
        ("CPU/page ≤ 2 ms", False),
        ("< 100 KB/phone", True),
    ]
    table = load.runs_table(
        [
            dict(storm, rep=0, mode="eventlet"),
            dict(
                storm,
                server="ref",
                rep=0,
                mode="eventlet",
                connect=dict(storm["connect"], all_s=3.0),
            ),
            dict(ok10, rep=0, mode="eventlet"),
        ]
    )
    lines = table.splitlines()
    assert len(lines) == 5
    assert lines[2].startswith("| burst10 | 1000 | eventlet | dialoogtafel | 1 |")
    assert lines[2].endswith("| PASS |")
    assert "| connect | 1000 | eventlet | ref | 1 | 3.00 |" in lines[3]
    assert "7.00 (2.3× ref)" in lines[4]
    assert lines[4].endswith("| FAIL: connect ≤ 2× ref, CPU/page ≤ 2 ms |")
    # with the bare websocket reference of the same repetition, the connect target is its
    bare = dict(
        storm, server="bare", rep=0, mode="eventlet", connect=dict(storm["connect"], all_s=4.0)
    )
    assert ("connect ≤ 2× bare", True) in load.run_targets(storm, ref, bare)
    table = load.runs_table(
        [
            dict(storm, rep=0, mode="gevent"),
            dict(storm, server="ref", rep=0, mode="gevent", connect=ref["connect"]),
            bare,
        ]
    )
    lines = table.splitlines()
    assert "| connect | 1000 | eventlet | bare | 1 | 4.00 |" in lines[2]
    assert "| ref | 1 | 3.00 (0.8× bare) |" in lines[3]
    assert "| gevent | dialoogtafel | 1 | 7.00 (2.3× ref, 1.8× bare) |" in lines[4]
    assert lines[4].endswith("| FAIL: CPU/page ≤ 2 ms |")
