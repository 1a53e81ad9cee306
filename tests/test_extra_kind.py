"""Adding a kind touches only the files docs/architecture.md lists ("Adding a kind"): this test
proves it with ``thumbs``, a kind that lives in tests/kinds_extra/ (its Python module, its JS
module and its no-JavaScript form), loaded by the real server with
``DIALOOGTAFEL_KINDS=tests.kinds_extra.thumbs``. Nothing else in the project knows it, yet it
runs through programme validation, phones (Socket.IO, the server-rendered form and the phone
page's script), the projector's payloads and the JSON export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from facilitator import kinds
from tests.livesrv import ROOT, Phone, Screen, Server, create_live, start_server, wait_for

PROGRAMME = ROOT / "tests" / "kinds_extra" / "thumbs.yaml"
ENV = {"DIALOOGTAFEL_KINDS": "tests.kinds_extra.thumbs"}


def check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in __import__("os").environ.items() if not k.startswith("DIALOOGTAFEL_")}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "programmes", "check", str(PROGRAMME)],
        cwd=ROOT,
        env={**full, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_programme_is_valid_only_where_the_kind_is_loaded() -> None:
    assert "thumbs" not in kinds.names()  # this process never loaded it
    without = check({})
    assert without.returncode != 0
    assert "duim" in without.stdout + without.stderr and "thumbs" in without.stdout + without.stderr
    with_kind = check(ENV)
    assert with_kind.returncode == 0, with_kind.stdout + with_kind.stderr


@pytest.fixture
def thumbs_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    server = start_server(tmp_path, env=ENV)
    try:
        yield server
    finally:
        server.close_clients()
        server.stop()


def _room(server: Server) -> tuple[dict[str, str], Screen, Screen]:
    live = create_live(server, PROGRAMME)
    control = Screen(server, live["code"], "control", live["control_key"]).connect()
    projector = Screen(server, live["code"], "projector", live["projector_key"]).connect()
    control.control("goto", {"activity": "duim"})
    control.control("open_answering")
    control.control("show_results")
    return live, control, projector


@pytest.mark.server
def test_an_added_kind_runs_through_the_real_server(thumbs_server: Server) -> None:
    server = thumbs_server
    live, control, projector = _room(server)
    code = live["code"]
    # the screens describe it with the kind's own view
    activity = projector.wait_state(lambda s: (s.get("activity") or {}).get("id") == "duim")
    assert activity["activity"]["kind"] == "thumbs"
    assert activity["activity"]["up_label"] == {"nl": "Nuttig", "en": "Useful"}

    ps = [Phone(server, code).connect() for _ in range(3)]
    acks = [p.respond("duim", v) for p, v in zip(ps, ["up", "up", "down"], strict=True)]
    assert [a["ok"] for a in acks] == [True, True, True]
    assert [a["value"] for a in acks] == ["up", "up", "down"]
    bad = ps[0].respond("duim", "sideways")
    assert bad["ok"] is False and bad["error"]["code"] == "invalid_response"
    # a changed answer replaces the first one
    assert ps[2].respond("duim", "up")["value"] == "up"

    def final() -> dict | None:
        for r in reversed(projector.results_for("duim")):
            result = r.get("result") or {}
            if result.get("respondents") == 3 and result["up"]["count"] == 3:
                return result
        return None

    result = wait_for(final, what="the projector's thumbs result")
    assert result == {
        "respondents": 3,
        "up": {"count": 3, "percent": 100.0},
        "down": {"count": 0, "percent": 0.0},
    }

    # the JSON export holds the answers and the result
    browser = requests.Session()
    assert (
        browser.get(
            f"{server.url}/control/{code}", params={"key": live["control_key"]}, timeout=10
        ).status_code
        == 200
    )
    r = browser.get(f"{server.url}/control/{code}/export.json", timeout=60)
    assert r.status_code == 200, r.text[:500]
    data = r.json()
    text = json.dumps(data)
    assert data["results"]["duim"]["kind"] == "thumbs"
    assert data["results"]["duim"]["respondents"] == 3
    assert data["results"]["duim"]["result"] == result
    (session,) = data["sessions"]
    answers = sorted(row["value"] for row in session["responses"] if row["activity"] == "duim")
    assert answers == ["up", "up", "up"], text[:2000]
    programme = {a["id"]: a for a in data["programme"]["activities"]}
    assert programme["duim"]["settings"] == {
        "up_label": {"nl": "Nuttig", "en": "Useful"},
        "down_label": {"nl": "Niet nuttig", "en": "Not useful"},
    }


@pytest.mark.server
def test_an_added_kind_has_its_no_javascript_form(thumbs_server: Server) -> None:
    server = thumbs_server
    live, _control, projector = _room(server)
    phone = requests.Session()
    page = phone.get(f"{server.url}/j/{live['code']}", timeout=10)
    assert page.status_code == 200
    # the kind's partial (tests/kinds_extra/thumbs.html) drew the form, in Dutch
    assert page.text.count('name="value" value="up"') == 1
    assert ">Niet nuttig</span>" in page.text
    # its script module is served from the kind's folder
    js = phone.get(f"{server.url}/static/js/kinds/thumbs.js", timeout=10)
    assert js.status_code == 200 and "thumbs" in js.text
    assert js.headers["Content-Type"].startswith("text/javascript")
    # a built-in kind's module is served as before
    assert phone.get(f"{server.url}/static/js/kinds/scale.js", timeout=10).status_code == 200
    assert phone.get(f"{server.url}/static/js/kinds/nope.js", timeout=10).status_code == 404


@pytest.mark.server
@pytest.mark.browser
def test_an_added_kind_on_the_phone_page(thumbs_server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    server = thumbs_server
    live, _control, projector = _room(server)
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="nl-BE")
    try:
        page = context.new_page()
        page.goto(f"{server.url}/j/{live['code']}")
        # the kind's module takes over the server's form: its button sends over the socket
        page.wait_for_function("() => document.querySelector('button.thumbs-down')")
        page.click("button.thumbs-down")
        page.wait_for_function(
            "() => document.querySelector('button.thumbs-down').getAttribute('aria-pressed') === 'true'"
        )

        def counted() -> bool:
            return any(
                (r.get("result") or {}).get("down", {}).get("count") == 1
                for r in projector.results_for("duim")
            )

        wait_for(counted, what="the phone's thumbs-down on the projector")
    finally:
        context.close()
