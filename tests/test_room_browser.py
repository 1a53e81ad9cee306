"""Issue 13, the live session's language, in Debian's Chromium against the real server: a
projector on a laptop set to English shows the Dutch programme in Dutch; when the control screen
switches the session to English, the projector follows at once (no touch on the projector), the
control screen is drawn in English too, and a phone keeps the language it chose.
"""

from __future__ import annotations

import pytest

from tests.browser import PROJECTOR, Screens, browser_expect
from tests.livesrv import ROOT, Screen, Server, create_live, phones

pytestmark = pytest.mark.browser

expect = browser_expect()

ROOM = ROOT / "tests" / "programmes" / "room.yaml"


def test_the_projector_follows_the_language_the_control_chooses(
    screens: Screens, browser_server: Server
) -> None:
    live = create_live(browser_server, ROOM)
    # the case: the projector's laptop is set to English, the workshop is Dutch
    projector = screens.open("projector", live["projector_url"], {**PROJECTOR, "locale": "en-GB"})
    expect(projector.page.locator("html")).to_have_attribute("lang", "nl")
    expect(projector.page.locator(".pj-join")).to_contain_text("Surf naar")
    phone = screens.phone("phone", live["participant_url"])
    expect(phone.page.locator("html")).to_have_attribute("lang", "nl")
    control = screens.control(live["control_url"])
    select = control.page.locator("#live-language")
    expect(select).to_be_enabled()
    expect(select).to_have_value("nl")
    control.page.locator("#conn.c-conn-connected").wait_for()
    screens.shot(projector, "dutch")

    select.select_option("en")

    # the projector reloads itself in English; nobody touched it
    expect(projector.page.locator("html")).to_have_attribute("lang", "en")
    expect(projector.page.locator(".pj-join")).to_contain_text("Go to")
    expect(projector.page.locator(".pj-join")).not_to_contain_text("Surf naar")
    # the control screen is in English too, its choice kept
    expect(control.page.locator("html")).to_have_attribute("lang", "en")
    expect(control.page.locator("#live-language")).to_have_value("en")
    expect(control.page.locator("button[data-action=next]")).to_contain_text("Next")
    screens.shot(projector, "english")
    # the phone keeps its own language
    phone.page.reload()
    expect(phone.page.locator("html")).to_have_attribute("lang", "nl")

    # and back to Dutch
    control.page.locator("#conn.c-conn-connected").wait_for()
    control.page.locator("#live-language").select_option("nl")
    expect(projector.page.locator("html")).to_have_attribute("lang", "nl")
    expect(projector.page.locator(".pj-join")).to_contain_text("Surf naar")
    screens.assert_clean()


def test_keyboard_moderation_on_the_control_screen(
    screens: Screens, browser_server: Server
) -> None:
    """Shift+A approves every waiting word; in a Q&A, J moves to an entry, A approves it and H
    hides the next one. The keys are listed on the screen."""
    live = create_live(browser_server, ROOM)
    ctl = Screen(browser_server, live["code"], "control", live["control_key"]).connect()
    room_phones = phones(browser_server, live["code"], 3)
    ctl.control("goto", {"activity": "wolk"})
    for i, phone in enumerate(room_phones):
        assert phone.respond("wolk", [f"woord{i}", "samen"])["ok"] is True
    control = screens.control(live["control_url"])
    page = control.page
    expect(page.locator(".c-help")).to_contain_text("Shift")
    expect(page.locator(".mod-bulk")).to_contain_text("J")
    # the outline marks the one activity that takes answers
    accepting = page.locator(".outline-item.accepts-answers")
    expect(accepting).to_have_count(1)
    expect(accepting).to_contain_text("Drie woorden?")
    expect(accepting.locator(".status-open")).to_have_text("neemt antwoorden aan")
    expect(page.locator(".outline-item", has_text="Blijft open")).to_contain_text("blijft open")
    approve_all = page.locator("#approve-all")
    expect(approve_all).to_have_text("Alles goedkeuren (4)")
    screens.shot(control, "words-waiting")
    page.locator("body").press("Shift+A")
    expect(page.locator(".mod-list-pending li")).to_have_count(0)
    expect(page.locator(".mod-list-approved li")).to_have_count(4)
    expect(approve_all).to_be_hidden()

    ctl.control("goto", {"activity": "vragen"})
    expect(accepting).to_have_count(1)
    expect(accepting).to_contain_text("Vragen?")
    left = page.locator(".outline-item", has_text="Drie woorden?")
    expect(left.locator(".status-badge").first).to_have_text("gesloten")
    asked = [room_phones[0].ask("vragen", f"Vraag {i}")["question"] for i in range(3)]
    expect(page.locator(".mod-list-pending li")).to_have_count(3)
    page.locator("body").press("j")  # the first entry
    page.locator("body").press("a")  # approved
    expect(page.locator(".mod-list-pending li")).to_have_count(2)
    expect(page.locator(".mod-list-approved li")).to_have_count(1)
    page.locator("body").press("h")  # the first waiting one, hidden
    expect(page.locator(".mod-list-pending li")).to_have_count(1)
    expect(page.locator(".mod-list-hidden li")).to_have_count(1)
    # "approve all of this person": the asker's last question
    page.locator(".mod-list-pending button.mod-approve_person").click()
    expect(page.locator(".mod-list-pending li")).to_have_count(0)
    board = ctl.wait(
        lambda: (
            (r := ctl.results_for("vragen"))
            and r[-1]["result"]["questions"]
            and all(q["status"] != "pending" for q in r[-1]["result"]["questions"])
            and r[-1]["result"]["questions"]
        )
    )
    assert sorted(q["status"] for q in board) == ["approved", "approved", "hidden"]
    assert {q["id"] for q in board} == {q["id"] for q in asked}
    screens.assert_clean()
