"""The projector's light and dark themes and a programme's logo and accent colour, in Debian's
Chromium against the real server process (tests/livesrv.py):

- axe-core finds no violation (colour contrast included) on the projector in the light and in
  the dark theme, on the join screen and on the results of every workshop kind, switched with
  the projector's own button (which also puts ``?theme=`` in the address);
- a programme with ``branding`` (an SVG logo, a light accent colour, the dark theme by default)
  shows the logo on the projector and on the phone (the image loads: natural width > 0), uses
  the accent as it is for decoration and, for text, the version with AA contrast on each
  theme's background (exact computed colours), and still passes axe on both themes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from facilitator.colour import contrast, readable, rgb
from tests.browser import (
    AXE_JS,
    Screens,
    Tab,
    axe_violations,
    browser_expect,
    format_violations,
)
from tests.livesrv import MINI, Screen, Server, create_live, phones

pytestmark = pytest.mark.browser

expect = browser_expect()

WORKSHOP = Path(__file__).resolve().parent / "programmes" / "workshop.yaml"

LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
    '<rect width="120" height="40" rx="6" fill="#1d3557"/>'
    '<circle cx="20" cy="20" r="12" fill="#ffcc00"/></svg>'
)
ACCENT = "#ffcc00"  # 1.6:1 on white: text needs a darker version there


@pytest.fixture(scope="module")
def server(browser_server: Server) -> Server:
    """This module's real server process (``browser_server`` in tests/conftest.py)."""
    return browser_server


def css_rgb(colour: str) -> str:
    r, g, b = rgb(colour)
    return f"rgb({r}, {g}, {b})"


class AxeLog:
    def __init__(self, screens: Screens):
        self.screens = screens
        self.found: list[str] = []

    def check(self, tab: Tab, step: str) -> None:
        violations = axe_violations(tab)
        if violations:
            self.found.append(format_violations(f"{tab.name} / {step}", violations))
        self.screens.shot(tab, step)

    def both_themes(self, tab: Tab, step: str) -> None:
        """axe in the theme the projector shows, then in the other one (its own button)."""
        page = tab.page
        for _ in range(2):
            dark = "theme-dark" in (page.locator("body").get_attribute("class") or "")
            self.check(tab, f"{step}-{'dark' if dark else 'light'}")
            page.mouse.move(300, 300)  # the buttons show after a pointer movement
            button = page.get_by_role("button", name="Donkere achtergrond")
            expect(button).to_have_attribute("aria-pressed", "true" if dark else "false")
            button.click()
            expect(page.locator("body")).to_have_class(
                re.compile(r"\btheme-light\b" if dark else r"\btheme-dark\b")
            )
            expect(page).to_have_url(re.compile(r"[?&]theme=" + ("light" if dark else "dark")))

    def assert_none(self) -> None:
        assert not self.found, "\n\n".join(self.found)


def test_projector_themes_pass_axe(screens: Screens, server: Server) -> None:
    """Every workshop kind's result on the projector, in the light and the dark theme: no axe
    violation in either."""
    assert AXE_JS.exists(), "tests/vendor/axe.min.js is missing: run scripts/setup.sh"
    live = create_live(server, WORKSHOP)
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"]).connect()
    room = phones(server, code, 3)
    projector = screens.projector(live["projector_url"])
    page = projector.page
    expect(page.locator("body")).to_have_class(re.compile(r"\btheme-light\b"))
    axe = AxeLog(screens)
    axe.both_themes(projector, "1-join")

    answers = {
        "org": ["school", "clb", "school"],
        "wolk": [["koffie", "tijd"], ["tijd"], ["overleg", "tijd"]],
        "rang": [["a", "b", "c", "d"], ["b", "a", "d", "c"], ["a", "c", "b", "d"]],
        "blokken": [{"x": "ok", "y": "moeilijk"}, {"x": "ok", "z": "weetniet"}, {"y": "ok"}],
        "voor": [{"position": 2}, {"position": 4}, {"position": 4}],
        "na": [{"position": 3}, {"position": 5}, {"position": 4}],
    }
    step = 2
    for activity, values in answers.items():
        control.control("goto", {"activity": activity})
        for phone, value in zip(room, values, strict=True):
            assert phone.respond(activity, value)["ok"] is True
        control.control("show_results")
        expect(page.locator(".pj-result")).to_be_visible()
        expect(page.locator(".pj-count")).to_have_text("3 antwoorden")
        axe.both_themes(projector, f"{step}-{activity}")
        step += 1
    control.control("goto", {"activity": "vrij"})
    assert room[0].ask("vrij", "Wanneer is de volgende sessie?")["ok"] is True
    control.control("show_results")
    expect(page.locator(".pj-result .qna-board-text")).to_have_text(
        ["Wanneer is de volgende sessie?"]
    )
    axe.both_themes(projector, f"{step}-qna")
    # the choice is in the address: a reload keeps it
    page.mouse.move(200, 200)
    page.get_by_role("button", name="Donkere achtergrond").click()
    expect(page).to_have_url(re.compile(r"[?&]theme=dark"))
    page.reload()
    expect(page.locator("body")).to_have_class(re.compile(r"\btheme-dark\b"))
    axe.assert_none()
    screens.assert_clean()
    server.assert_no_tracebacks()


def test_programme_logo_and_accent(screens: Screens, server: Server, tmp_path: Path) -> None:
    """A programme with a logo, a light accent and the dark theme by default: the logo loads on
    the projector and the phone, decoration uses the accent, text its AA version per theme."""
    folder = tmp_path / "sessions"
    (folder / "logos").mkdir(parents=True)
    (folder / "logos" / "logo.svg").write_text(LOGO_SVG)
    text = MINI.read_text()
    marker = '  title: {nl: "Mini", en: "Mini"}\n'
    assert marker in text
    programme = folder / "branded.yaml"
    programme.write_text(
        text.replace(
            marker,
            marker + "  branding:\n    logo: logos/logo.svg\n"
            f'    accent: "{ACCENT}"\n    theme: dark\n',
        )
    )
    live = create_live(server, programme)
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"]).connect()

    # the projector starts dark (the programme's default), with the logo on the join screen
    projector = screens.projector(live["projector_url"])
    pj = projector.page
    expect(pj.locator("body")).to_have_class(re.compile(r"\btheme-dark\b"))
    logo = pj.locator("img.pj-logo-join")
    expect(logo).to_be_visible()
    assert logo.evaluate("(img) => img.complete && img.naturalWidth") == 120
    assert pj.locator(".stage").evaluate("(n) => getComputedStyle(n).borderTopColor") == css_rgb(
        ACCENT
    )  # decoration: the accent as it is
    dark_text = readable(ACCENT, "#121212")
    assert dark_text == ACCENT  # yellow on near-black has contrast enough as it is
    expect(pj.locator(".pj-programme")).to_have_css("color", css_rgb(dark_text))
    axe = AxeLog(screens)
    axe.check(projector, "1-join-dark")

    # ?theme=light: the same accent, darkened for text on white
    pj.goto(live["projector_url"].split("?")[0] + "?theme=light")
    expect(pj.locator("body")).to_have_class(re.compile(r"\btheme-light\b"))
    light_text = readable(ACCENT, "#ffffff")
    assert light_text != ACCENT and contrast(light_text, "#ffffff") >= 4.5
    expect(pj.locator(".pj-programme")).to_have_css("color", css_rgb(light_text))
    assert pj.locator(".stage").evaluate("(n) => getComputedStyle(n).borderTopColor") == css_rgb(
        ACCENT
    )
    axe.check(projector, "2-join-light")

    # during an activity: the logo under the join code, the section title in the accent
    control.control("goto", {"activity": "kies"})
    badge_logo = pj.locator("img.join-badge-logo")
    expect(badge_logo).to_be_visible()
    assert badge_logo.evaluate("(img) => img.complete && img.naturalWidth") == 120
    expect(pj.locator("img.pj-logo-join")).to_be_hidden()
    expect(pj.locator(".pj-head .eyebrow")).to_have_css("color", css_rgb(light_text))
    expect(pj.locator(".pj-options li").first).to_have_css("border-left-color", css_rgb(ACCENT))
    axe.both_themes(projector, "3-question")

    # the phone: the logo small in its header, the title in the accent's text version
    phone = screens.phone("phone", live["participant_url"])
    page = phone.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Welke kleur?")
    phone_logo = page.locator(".p-header img.p-logo")
    expect(phone_logo).to_be_visible()
    assert phone_logo.evaluate("(img) => img.complete && img.naturalWidth") == 120
    assert phone_logo.evaluate("(img) => img.getBoundingClientRect().height") == 28
    expect(page.locator(".p-brand-text")).to_have_css("color", css_rgb(light_text))
    expect(page.locator(".p-header")).to_have_css("border-bottom-color", css_rgb(ACCENT))
    axe.check(phone, "4-phone")

    # the logo itself: an image, sandboxed when opened on its own
    resp = requests.get(f"{server.url}/projector/{code}/logo", timeout=5)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].split(";")[0] == "image/svg+xml"
    assert resp.text == LOGO_SVG
    assert "sandbox" in resp.headers["Content-Security-Policy"]
    assert "default-src 'none'" in resp.headers["Content-Security-Policy"]

    axe.assert_none()
    screens.assert_clean()
    server.assert_no_tracebacks()
