"""app.py's garbage-collector setting (DIALOOGTAFEL_GC) and its pause log (DIALOOGTAFEL_GC_LOG),
and bench/load.py's reading of that log. Each case runs in a child interpreter: freezing or
re-tuning the collector of the test process itself would change every later test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_tuned_freezes_and_sets_the_thresholds() -> None:
    out = child(
        "import gc, app\n"
        "said = app.tune_gc('tuned')\n"
        "print(gc.get_threshold(), gc.get_freeze_count() > 0, said.startswith("
        "'thresholds (1000, 10, 1000)'))"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[0] == "(1000, 10, 1000) True True"


def test_three_numbers_and_default() -> None:
    out = child("import gc, app\napp.tune_gc(' 1000,5,7 ')\nprint(gc.get_threshold())")
    assert out.stdout.strip() == "(1000, 5, 7)", out.stderr
    out = child(
        "import gc, app\n"
        "before = gc.get_threshold()\n"
        "said = app.tune_gc('default')\n"
        "print(gc.get_threshold() == before, gc.get_freeze_count(), said)"
    )
    assert out.stdout.strip() == "True 0 CPython's defaults (700, 10, 10), nothing frozen", (
        out.stderr
    )


def test_a_bad_setting_says_what_and_where() -> None:
    for bad in ("1,2", "fast", "0,10,10", "10,-1,10"):
        out = child(f"import app\napp.tune_gc({bad!r})")
        assert out.returncode == 1
        assert f"DIALOOGTAFEL_GC={bad!r}: use tuned, default, or three thresholds" in out.stderr


def test_the_log_has_a_line_per_full_collection_and_the_bench_reads_it(tmp_path: Path) -> None:
    log = tmp_path / "gc.jsonl"
    out = child(
        "import gc, time, app\n"
        f"app.tune_gc('default', {str(log)!r})\n"
        "t0 = time.monotonic()\n"
        "gc.collect(2); gc.collect(1); gc.collect(2)\n"
        "print(t0, time.monotonic())"
    )
    assert out.returncode == 0, out.stderr
    t0, t1 = (float(x) for x in out.stdout.split())
    rows = [json.loads(x) for x in log.read_text().splitlines()]
    mine = [r for r in rows if t0 <= r["t"] <= t1]
    assert [r["gen"] for r in mine] == [2, 1, 2]
    assert all(r["ms"] >= 0 for r in mine)

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import load
    finally:
        sys.path.pop(0)
    summary = load.gc_summary(log, [("inside", t0, t1), ("after", t1 + 1, t1 + 2)])
    assert summary is not None
    assert summary["phases"]["inside"]["gen2"] == 2
    assert summary["phases"]["inside"]["gen1"] == 1
    assert summary["phases"]["after"] == {"gen2": 0, "gen1": 0, "gen2_ms": 0, "max_ms": 0.0}
    assert load.gc_summary(tmp_path / "missing.jsonl", []) is None


def test_a_full_collection_waits_for_a_quiet_room() -> None:
    """app.quiet_enough: nothing happened for GC_QUIET (5 s) and the last full collection is
    GC_EVERY (60 s) ago."""
    cases = [
        (100.0, 94.0, 30.0),  # quiet for 6 s, the last full collection 70 s ago: yes
        (100.0, 95.0, 40.0),  # exactly 5 s and 60 s: yes
        (100.0, 95.1, 30.0),  # something happened 4.9 s ago: no
        (100.0, 90.0, 40.1),  # quiet, but the last one is 59.9 s ago: no
        (100.0, 0.0, 0.0),  # nothing ever happened: yes
    ]
    out = child(
        "import app\n"
        f"print([app.quiet_enough(n, b, l, app.GC_QUIET, app.GC_EVERY) for n, b, l in {cases}])\n"
        "print(app.GC_QUIET, app.GC_EVERY)"
    )
    assert out.stdout.split("\n")[:2] == ["[True, True, False, False, True]", "5.0 60.0"], (
        out.stderr
    )
