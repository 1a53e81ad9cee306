"""A long list of free texts in Debian's Chromium against the real server (issue 16): 230 phones
give a "why" to the scale (moderation before). The control screen lists the oldest 200 waiting
ones, says so, and counts all 230 in its headings and in "approve all"; after approving all,
the newest 200 are listed; the projector gets the newest 100 and counts the rest in its
"+ n earlier answers" line, and the control's list and the projector's count stay exact."""

from __future__ import annotations

import re

import pytest

from tests.browser import PROJECTOR, Screens, browser_expect
from tests.livesrv import ROOT, Screen, Server, create_live, in_parallel, phones

pytestmark = [pytest.mark.browser, pytest.mark.slow]

expect = browser_expect()

ROOM = ROOT / "tests" / "programmes" / "room.yaml"
N = 230


def test_a_long_list_is_cut_and_counted_on_both_screens(
    screens: Screens, browser_server: Server
) -> None:
    live = create_live(browser_server, ROOM)
    ctl = Screen(browser_server, live["code"], "control", live["control_key"]).connect()
    ctl.control("goto", {"activity": "schaal"})
    room = phones(browser_server, live["code"], N)
    acks = in_parallel(
        lambda k: room[k].respond("schaal", {"position": 1 + k % 5, "why": f"omdat {k:03d}"}),
        range(N),
    )
    assert [a["ok"] for a in acks] == [True] * N

    control = screens.control(live["control_url"])
    page = control.page
    pending = page.locator(".mod-list-pending li")
    expect(pending).to_have_count(200)
    # the moderation queue, oldest first: the first 200 sent (the phones answered in
    # parallel, so compare as sets)
    texts = pending.locator(".mod-text").all_inner_texts()
    assert len(set(texts)) == 200
    expect(page.locator(".mod-group-pending .mod-group-title")).to_have_text("Goed te keuren (230)")
    expect(page.locator(".mod-group-pending .mod-cut")).to_have_text(
        "Hier staan de 200 oudste van 230; keur ze goed of verberg ze en de volgende "
        "verschijnen. “Alles goedkeuren” keurt alle 230 goed."
    )
    approve_all = page.locator("#approve-all")
    expect(approve_all).to_have_text("Alles goedkeuren (230)")
    screens.shot(control, "queue-cut")

    projector = screens.open("projector", live["projector_url"], PROJECTOR)
    approve_all.click()
    expect(pending).to_have_count(0)
    expect(page.locator(".mod-list-approved li")).to_have_count(200)
    expect(page.locator(".mod-group-approved .mod-group-title")).to_have_text("Zichtbaar (230)")
    expect(page.locator(".mod-group-approved .mod-cut")).to_have_text(
        "Hier staan de 200 nieuwste van 230."
    )
    expect(page.locator(".mod-group-pending .mod-cut")).to_be_hidden()

    # the projector: the newest 100, and "+ n earlier" for the 130 never sent and those the
    # wall hides to fit
    items = projector.page.locator(".result-whys ol.entries > li")
    expect(items).to_have_count(100)
    more = projector.page.locator(".result-whys .entries-more")
    expect(more).to_have_text(re.compile(r"^\+ \d+ eerdere antwoorden$"))
    visible = projector.page.locator(".result-whys ol.entries > li:not([hidden])").count()
    assert 0 < visible <= 100
    expect(more).to_have_text(f"+ {N - visible} eerdere antwoorden")
    screens.shot(projector, "wall-cut")
    screens.assert_clean()
