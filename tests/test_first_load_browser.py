"""The phone's first load, in Debian's Chromium against the real server process:

- its weight: everything a fresh phone downloads until it is live (the page with its inline
  styles, every module, the vendored Socket.IO client, the Socket.IO handshake), counted in
  bytes on the wire by the DevTools protocol (bench/pageweight.py), stays under 100 KB;
- a phone without JavaScript answers through the page's own forms: the answer is saved exactly
  once (a resent form is a duplicate, a second choice replaces the first), the phone shows it as
  saved, and the projector and the control screen count it;
- the page as the server draws it (what a slow phone shows until its module arrives) passes
  axe-core.

How *fast* the first answer is on a slow network is measured by bench/slow3g.py, never asserted
here (the machine is shared).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bench.pageweight import BUDGET_BYTES, live_phone_url, measure_phone
from tests.browser import (
    AXE_JS,
    PHONE,
    Screens,
    axe_violations,
    browser_expect,
    format_violations,
)
from tests.livesrv import BRUGFIGUREN, MINI, Screen, Server, create_live

pytestmark = pytest.mark.browser

expect = browser_expect()

NO_SCRIPT_PHONE = {**PHONE, "java_script_enabled": False}


@pytest.fixture(scope="module")
def server(browser_server: Server) -> Server:
    """This module's real server process (``browser_server`` in tests/conftest.py)."""
    return browser_server


def test_phone_first_page_weighs_under_100_kb(browser: Any, server: Server) -> None:
    """Brugfiguren, its first question open: a fresh phone downloads less than 100 KB (on the
    wire, headers included) until its module has drawn the buttons and its socket is live."""
    live, _control = live_phone_url(server, BRUGFIGUREN)
    weight = measure_phone(browser, live["participant_url"])
    print(weight.table())
    paths = [r.url.split(str(server.port), 1)[-1] for r in weight.resources]
    assert paths[0] == f"/j/{live['code']}", paths
    for needed in (
        "/static/js/participant.js",
        "/static/js/lib/socket.js",
        "/static/vendor/socket.io.esm.min.js",
    ):
        assert needed in paths, paths
    assert any(r.kind == "WebSocket" for r in weight.resources), paths
    # no stylesheet of its own: the page carries its styles
    assert not [p for p in paths if p.endswith(".css")], paths
    # every text response came compressed, and is smaller for it
    for r in weight.resources:
        if r.kind in ("Document", "Script"):
            assert r.status == 200 and r.encoding == "gzip", (r.url, r.status, r.encoding)
            assert r.body_wire < r.body_uncompressed / 2, (r.url, r.body_wire, r.body_uncompressed)
    assert 0 < weight.total_wire < BUDGET_BYTES, weight.table()
    server.assert_no_tracebacks()


def test_answer_without_javascript(screens: Screens, server: Server) -> None:
    """A phone without JavaScript answers a single-choice question and an open question with
    the page's forms; each answer is saved once, shown as saved, and counted on the projector
    and the control screen."""
    live = create_live(server, MINI)
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"]).connect()
    control.control("goto", {"activity": "kies"})
    projector = screens.projector(live["projector_url"])
    pj = projector.page
    expect(pj.locator("h1.activity-title")).to_have_text("Welke kleur?")
    expect(pj.locator(".pj-count")).to_have_text("0 antwoorden")

    phone = screens.open("phone", live["participant_url"], NO_SCRIPT_PHONE)
    page = phone.page
    expect(page.get_by_role("heading", name="Je privacy")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welke kleur?")
    group = page.get_by_role("group", name="Welke kleur?")
    expect(group.get_by_role("button")).to_have_text(["Rood", "Groen", "Blauw"])
    expect(page.locator("#main .answer-status")).to_have_count(0)
    screens.shot(phone, "1-question")

    # tap "Groen": the form is sent, the page comes back with the answer saved
    with page.expect_navigation():
        group.get_by_role("button", name="Groen").tap()
    expect(page).to_have_url(re.compile(rf"/j/{code}$"))
    box = page.locator("#main .answer-status")
    expect(box.locator(".status-line")).to_have_text("\u2713Antwoord opgeslagen")
    expect(box.locator(".status-answer-value")).to_have_text("Groen")
    expect(group.get_by_role("button", name="Groen")).to_have_attribute("aria-pressed", "true")
    expect(group.get_by_role("button", name="Rood")).to_have_attribute("aria-pressed", "false")
    # the privacy notice was read before the first answer; it is gone after it
    expect(page.get_by_role("heading", name="Je privacy")).to_have_count(0)
    screens.shot(phone, "2-saved")
    expect(pj.locator(".pj-count")).to_have_text("1 antwoord")
    control.wait_counts({"connected": 0, "participants": 1, "answered": 1})

    # the same form sent twice (a double tap, a resend after "back"): one answer
    form = {
        name: page.locator(f'#main form input[name="{name}"]').get_attribute("value")
        for name in ("csrf_token", "activity", "form")
    }
    for _ in range(2):
        resp = phone.context.request.post(
            f"{server.url}/j/{code}/answer",
            form={**form, "value": "groen"},
            headers={"Sec-Fetch-Site": "same-origin"},
            max_redirects=0,
        )
        assert resp.status == 302, resp.status
    # ... and another choice replaces the first
    with page.expect_navigation():
        group.get_by_role("button", name="Blauw").tap()
    expect(box.locator(".status-answer-value")).to_have_text("Blauw")
    expect(group.get_by_role("button", name="Blauw")).to_have_attribute("aria-pressed", "true")
    control.control("show_results")
    result = pj.locator(".pj-result")
    rows = result.locator("li.bar-row")
    expect(rows.locator(".bar-label")).to_have_text(["Rood", "Groen", "Blauw"])
    expect(rows.locator(".bar-value")).to_have_text(["0% (0)", "0% (0)", "100% (1)"])
    expect(result.locator(".result-note")).to_have_text("n = 1")
    expect(pj.locator(".pj-count")).to_have_text("1 antwoord")
    control.wait_counts({"connected": 0, "participants": 1, "answered": 1})
    screens.shot(projector, "3-counted-once")

    # an open question: reload (the page says so without a script), type, send
    control.control("goto", {"activity": "tekst"})
    expect(pj.locator("h1.activity-title")).to_have_text("Nog iets?")
    page.goto(live["participant_url"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Nog iets?")
    # sending it empty says what is missing, and stores nothing
    with page.expect_navigation():
        page.get_by_role("button", name="Versturen").tap()
    expect(box.locator(".status-line")).to_have_text(
        "\u2715Niet opgeslagen: Er is niets verstuurd: kies of typ eerst een antwoord."
    )
    page.get_by_role("textbox", name="Nog iets?").fill("Zonder <b>script</b> lukt het ook")
    with page.expect_navigation():
        page.get_by_role("button", name="Versturen").tap()
    expect(box.locator(".status-line")).to_have_text("\u2713Antwoord opgeslagen")
    expect(box.locator(".status-answer-value")).to_have_text("Zonder <b>script</b> lukt het ook")
    expect(page.get_by_role("textbox", name="Nog iets?")).to_have_value(
        "Zonder <b>script</b> lukt het ook"
    )
    control.control("show_results")
    expect(pj.locator(".pj-result li.entry")).to_have_text(["Zonder <b>script</b> lukt het ook"])
    expect(pj.locator(".pj-count")).to_have_text("1 antwoord")
    control.wait_counts({"connected": 0, "participants": 1, "answered": 1})
    screens.shot(phone, "4-text-saved")

    # closed: the form says so and takes nothing
    control.control("close_answering")
    page.reload()
    expect(box.locator(".closed-line")).to_contain_text("Antwoorden is gesloten.")
    expect(page.get_by_role("button", name="Versturen")).to_have_count(0)

    screens.assert_clean()
    server.assert_no_tracebacks()


def test_first_paint_passes_axe(screens: Screens, server: Server) -> None:
    """The page as the server draws it (what a slow phone shows until its module arrives) has
    no axe-core violation: a question under the privacy notice, and after the form's answer
    the saved answer under the table picker. (The modules are held back by the test, so the
    page stays as the server drew it while axe, injected by Playwright, looks at it.)"""
    assert AXE_JS.exists(), "tests/vendor/axe.min.js is missing: run scripts/setup.sh"
    live, _control = live_phone_url(server, BRUGFIGUREN)
    phone = screens.open("phone", None, {**PHONE, "privacy_accepted": False})
    page = phone.page
    page.route(re.compile(r"/static/(js|vendor)/"), lambda route: route.abort())
    phone.goto(live["participant_url"])
    expect(page.locator("#main form.answer-form")).to_have_count(1)
    expect(page.get_by_role("heading", name="Je privacy")).to_be_visible()
    found = []
    violations = axe_violations(phone)
    if violations:
        found.append(format_violations("first paint / question", violations))
    with page.expect_navigation():
        page.locator("#main .choices .choice").first.tap()
    expect(page.get_by_role("heading", name="Aan welke tafel zit je?")).to_be_visible()
    expect(page.locator("#main .answer-status .status-line")).to_have_text(
        "\u2713Antwoord opgeslagen"
    )
    violations = axe_violations(phone)
    if violations:
        found.append(format_violations("first paint / saved, table picker", violations))
    screens.shot(phone, "saved-table-picker", full_page=True)
    assert not found, "\n\n".join(found)


def test_privacy_notice_above_the_question_passes_axe(screens: Screens, server: Server) -> None:
    """With its script, a fresh phone shows the privacy notice above the first question (which
    can be answered at once); axe finds nothing; "OK" removes the notice and keeps the
    question; the first answer would have removed it too."""
    live, _control = live_phone_url(server, BRUGFIGUREN)
    phone = screens.open("phone", live["participant_url"], {**PHONE, "privacy_accepted": False})
    page = phone.page
    expect(page.locator("#main form.answer-form")).to_have_count(0)  # the script took over
    notice = page.get_by_role("region", name="Je privacy")
    expect(notice).to_be_visible()
    question = page.get_by_role("heading", level=1)
    expect(question).to_have_text(re.compile(r"^Ben je van Oost-Vlaanderen"))
    expect(page.locator("#main .choices .choice").first).to_be_enabled()
    violations = axe_violations(phone)
    assert not violations, format_violations(
        "phone / privacy notice above the question", violations
    )
    screens.shot(phone, "privacy-above-question", full_page=True)
    notice.get_by_role("button", name="OK").click()
    expect(notice).to_have_count(0)
    expect(question).to_have_text(re.compile(r"^Ben je van Oost-Vlaanderen"))
    expect(question).to_be_focused()
    screens.assert_clean()
