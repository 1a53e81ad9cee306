"""The command line: programmes check, live create/list/delete (the same database as the app)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from facilitator import live, store

HERE = Path(__file__).resolve().parent
MINI = HERE / "programmes" / "mini.yaml"
BROKEN = HERE / "programmes" / "broken"


def test_check_good_and_broken_files(app) -> None:
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["programmes", "check", str(MINI)])
    assert ok.exit_code == 0 and "ok   " in ok.output and "mini 1, 6 activities" in ok.output
    bad = runner.invoke(args=["programmes", "check", str(MINI), str(BROKEN / "unknown_kind.yaml")])
    assert bad.exit_code == 1
    assert "FAIL" in bad.output and "'poll' is not a known kind" in bad.output


def test_check_defaults_to_the_programmes_folder(app) -> None:
    result = app.test_cli_runner().invoke(args=["programmes", "check"])
    assert result.exit_code == 0 and "mini.yaml" in result.output


def test_live_create_json_then_list_and_delete(app) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["live", "create", str(MINI), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"code", "participant_url", "control_url", "projector_url"}
    code = out["code"]
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}", code)
    assert out["participant_url"] == f"http://phones.example:5000/j/{code}"
    with app.app_context():
        found = live.find(code)
        assert found is not None
        assert out["control_url"].endswith(f"/control/{code}?key={found.control_key}")
        assert out["projector_url"].endswith(f"/projector/{code}?key={found.projector_key}")
    listed = runner.invoke(args=["live", "list"])
    assert code in listed.output and "mini" in listed.output
    assert runner.invoke(args=["live", "delete", code.lower()]).exit_code == 0
    with app.app_context():
        live.reset_caches()
        assert store.get_live(code) is None
    assert runner.invoke(args=["live", "delete", code]).exit_code != 0


def test_live_create_refuses_a_broken_programme(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["live", "create", str(BROKEN / "missing_nl_text.yaml")]
    )
    assert result.exit_code != 0
    assert "missing or empty 'nl' text" in result.output
    assert "no live session was started" in result.output
    with app.app_context():
        assert store.list_lives() == []
