"""The workshop kinds' inputs on a small touch phone, in a real browser (Debian's Chromium driven
by Playwright) against the real server process (tests/livesrv.py), with
tests/programmes/workshop.yaml:

- the ranking ``rang``: an item dragged by its handle with a finger (touch events), moved with the
  arrow buttons by tapping and with the keyboard, sent, the saved order shown;
- the matrix ``blokken``: a rating per row by tapping, one row cleared again, a partial answer
  sent, the saved answer shown;
- the word cloud ``wolk``: three words;
- the Q&A ``vrij``: one phone asks, a second phone upvotes (its count shows 1, pressed), the
  control screen lists the question with its vote.

The projector shows the exact ranking (mean ranks), the matrix bars' percentages and the words.
axe-core finds nothing on the phone's ranking and matrix screens, and no phone screen is wider
than the viewport at 360 and at 320 CSS pixels. Screenshots go to test-artifacts/screenshots/.
A second participant answers through a Socket.IO client (tests/livesrv.py) so that the
projector's numbers are not all 100 %.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser import (
    AXE_JS,
    Screens,
    Tab,
    axe_violations,
    browser_expect,
    format_violations,
)
from tests.livesrv import Phone, Screen, Server, create_live

pytestmark = pytest.mark.browser

expect = browser_expect()

WORKSHOP = Path(__file__).resolve().parent / "programmes" / "workshop.yaml"

#: a small phone: 360 x 800 CSS pixels, touch, Dutch like the audience
SMALL_PHONE = {
    "viewport": {"width": 360, "height": 800},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "nl-BE",
}

NL = {
    "saved": "Antwoord opgeslagen",
    "send": "Versturen",
    "change": "Wijziging bewaren",
    "rank_send": "Deze volgorde versturen",
    "ask": "Mijn vraag versturen",
    "asked": "Je vraag is verstuurd.",
}


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def server(browser_server: Server) -> Server:
    """This module's real server process (``browser_server`` in tests/conftest.py)."""
    return browser_server


# ------------------------------------------------------------------------------ helpers


def status(tab: Tab) -> Any:
    return tab.page.locator("#main .answer-status")


def expect_saved(tab: Tab, answer: str | re.Pattern[str]) -> None:
    box = status(tab)
    expect(box.locator(".status-line")).to_have_text("\u2713" + NL["saved"])
    expect(box.locator(".status-answer-value")).to_have_text(answer)


def heading(tab: Tab) -> Any:
    return tab.page.get_by_role("heading", level=1)


def no_overflow(tab: Tab, where: str) -> None:
    """Nothing is wider than the viewport: at 360 and at 320 CSS pixels (then back to 360)."""
    page = tab.page
    for width in (360, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_function("(w) => window.innerWidth === w", arg=width)
        got = page.evaluate("""() => {
          const wide = [];
          for (const node of document.querySelectorAll('body *')) {
            const r = node.getBoundingClientRect();
            if (r.width && r.right > window.innerWidth + 0.5) wide.push(
              `${node.tagName.toLowerCase()}.${[...node.classList].join('.')} right=${r.right}`);
          }
          return {scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 5)};
        }""")
        assert got["scroll"] <= width, (
            f"{where}: the page is {got['scroll']} px wide at {width} px: {got['wide']}"
        )
    page.set_viewport_size({"width": 360, "height": 800})
    page.wait_for_function("() => window.innerWidth === 360")


def phone_shot(screens: Screens, tab: Tab, step: str) -> None:
    """A full-page screenshot of a phone, taken from the top (the sticky header would otherwise
    be drawn where the page happened to be scrolled to)."""
    tab.page.evaluate("() => window.scrollTo(0, 0)")
    tab.page.wait_for_function("() => window.scrollY === 0")
    screens.shot(tab, step, full_page=True)


def no_axe_violations(tab: Tab, where: str) -> None:
    violations = axe_violations(tab)
    assert not violations, format_violations(where, violations)


def touch_drag(tab: Tab, handle: Any, target: Any) -> None:
    """Drag ``handle`` with one finger (Chrome DevTools touch events, which the page sees as
    pointer events of type "touch") until the finger is over the upper quarter of ``target``.

    The events carry the timestamps of a finger that moves for about 0.2 s and rests 0.15 s
    before it lets go: without the rest Chromium sees a fling, and a tap right after a fling only
    stops it (no click), as on a real phone."""
    start = handle.bounding_box()
    goal = target.bounding_box()
    assert start is not None and goal is not None
    x = start["x"] + start["width"] / 2
    y0 = start["y"] + start["height"] / 2
    y1 = goal["y"] + goal["height"] / 4
    steps = 12
    t0 = time.time()
    events: list[dict[str, Any]] = [
        {"type": "touchStart", "touchPoints": [{"x": x, "y": y0}], "timestamp": t0}
    ]
    for i in range(1, steps + 1):
        events.append(
            {
                "type": "touchMove",
                "timestamp": t0 + 0.016 * i,
                "touchPoints": [{"x": x, "y": y0 + (y1 - y0) * i / steps}],
            }
        )
    t1 = t0 + 0.016 * steps
    events += [
        {"type": "touchMove", "touchPoints": [{"x": x, "y": y1}], "timestamp": t1 + 0.15},
        {"type": "touchEnd", "touchPoints": [], "timestamp": t1 + 0.16},
    ]
    cdp = tab.context.new_cdp_session(tab.page)
    try:
        for event in events:
            cdp.send("Input.dispatchTouchEvent", event)
    finally:
        cdp.detach()


# ------------------------------------------------------------------------------ the test


def test_phone_inputs_on_a_small_touch_phone(server: Server, screens: Screens) -> None:
    assert AXE_JS.exists(), "tests/vendor/axe.min.js is missing: run scripts/setup.sh"
    live = create_live(server, WORKSHOP)
    code = live["code"]
    # the facilitator's actions go through a Socket.IO control client; the control page shows
    control = Screen(server, code, "control", live["control_key"]).connect()
    other = Phone(server, code).connect()  # the second participant's answers

    phone = screens.open("phone", live["participant_url"], SMALL_PHONE)
    page = phone.page
    expect(heading(phone)).to_have_text("Wacht op de begeleider")
    projector = screens.projector(live["projector_url"])
    pj = projector.page
    control_page = screens.control(live["control_url"])
    expect(control_page.page.locator("#count-connected")).to_have_text("2")

    def goto(activity: str, title: str) -> None:
        control.control("goto", {"activity": activity})
        expect(heading(phone)).to_have_text(title)
        expect(pj.locator("h1.activity-title")).to_have_text(title)

    # ------------------------------------------------------------------ ranking "rang"
    goto("rang", "Rangschik van best naar slechtst.")
    main = page.locator("#main")
    items = main.locator("ol.rank-list > li.rank-item")
    labels = items.locator(".rank-label")
    expect(labels).to_have_text(["Optie A", "Optie B", "Optie C", "Optie D"])
    expect(items.locator(".rank-pos")).to_have_text(["1", "2", "3", "4"])
    expect(items.locator(".visually-hidden")).to_have_text(
        [f"Plaats {n} van 4:" for n in range(1, 5)]
    )
    up = main.get_by_role("button", name="\u201cOptie A\u201d omhoog")
    expect(up).to_be_disabled()  # the first item cannot go up, the last not down
    expect(main.get_by_role("button", name="\u201cOptie D\u201d omlaag")).to_be_disabled()
    no_axe_violations(phone, "phone / ranking")
    no_overflow(phone, "ranking")
    phone_shot(screens, phone, "1-ranking")

    # drag "Optie D" by its handle to the top with a finger
    first = items.nth(0)
    first.scroll_into_view_if_needed()
    touch_drag(phone, items.nth(3).locator(".rank-handle"), first)
    expect(labels).to_have_text(["Optie D", "Optie A", "Optie B", "Optie C"])
    expect(items.locator(".rank-pos")).to_have_text(["1", "2", "3", "4"])
    expect(main.locator("ol.rank-list")).not_to_have_class(re.compile(r"\bis-sorting\b"))
    expect(items.nth(0)).not_to_have_class(re.compile(r"\bis-dragging\b"))
    phone_shot(screens, phone, "2-ranking-dragged")
    # "Optie B" one up by tapping its arrow
    main.get_by_role("button", name="\u201cOptie B\u201d omhoog").tap()
    expect(labels).to_have_text(["Optie D", "Optie B", "Optie A", "Optie C"])
    # "Optie A" one down with the keyboard; the focus stays on the moved item's arrow
    down_a = main.get_by_role("button", name="\u201cOptie A\u201d omlaag")
    down_a.focus()
    page.keyboard.press("Enter")
    expect(labels).to_have_text(["Optie D", "Optie B", "Optie C", "Optie A"])
    # at the bottom now: its "down" is disabled, so the focus moved to its "up"
    expect(main.get_by_role("button", name="\u201cOptie A\u201d omhoog")).to_be_focused()
    expect(down_a).to_be_disabled()
    page.keyboard.press("Enter")  # "up" with the keyboard too
    expect(labels).to_have_text(["Optie D", "Optie B", "Optie A", "Optie C"])
    page.keyboard.press("Tab")  # to A's "down"
    expect(down_a).to_be_focused()
    page.keyboard.press("Space")
    expect(labels).to_have_text(["Optie D", "Optie B", "Optie C", "Optie A"])
    expect(items.locator(".rank-pos")).to_have_text(["1", "2", "3", "4"])
    main.get_by_role("button", name=NL["rank_send"], exact=True).tap()
    expect_saved(phone, "1. Optie D 2. Optie B 3. Optie C 4. Optie A")
    assert (
        status(phone).locator(".status-answer-value").evaluate("(n) => n.textContent")
        == "1. Optie D\n2. Optie B\n3. Optie C\n4. Optie A"
    )
    expect(main.get_by_role("button", name=NL["change"], exact=True)).to_be_disabled()
    expect(labels).to_have_text(["Optie D", "Optie B", "Optie C", "Optie A"])
    ack = other.respond("rang", ["a", "b", "c", "d"])
    assert ack["ok"] is True, ack
    no_axe_violations(phone, "phone / ranking saved")
    no_overflow(phone, "ranking saved")
    phone_shot(screens, phone, "3-ranking-saved")

    # the projector: mean ranks of 2 (D,B,C,A and A,B,C,D), best first; ties in programme order
    control.control("show_results")
    rows = pj.locator(".pj-result li.rank-row")
    expect(rows.locator(".bar-label")).to_have_text(
        ["1. Optie B", "2. Optie A", "3. Optie D", "4. Optie C"]
    )
    expect(rows.locator(".rank-mean")).to_have_text(
        ["gemiddelde rang 2", "gemiddelde rang 2,5", "gemiddelde rang 2,5", "gemiddelde rang 3"]
    )
    expect(rows.locator(".rank-first")).to_have_text(
        [
            "eerste plaats: 0% (0\u00d7)",
            "eerste plaats: 50% (1\u00d7)",
            "eerste plaats: 50% (1\u00d7)",
            "eerste plaats: 0% (0\u00d7)",
        ]
    )
    expect(pj.locator(".pj-result .result-note")).to_contain_text("n = 2")
    screens.shot(projector, "3-ranking-results")

    # ------------------------------------------------------------------ matrix "blokken"
    goto("blokken", "Hoe makkelijk is elk blok?")
    main = page.locator("#main")
    blocks = {
        name: main.get_by_role("group", name=name, exact=True)
        for name in ("Blok X", "Blok Y", "Blok Z")
    }
    for block in blocks.values():
        expect(block.get_by_role("radio")).to_have_count(3)
    progress = main.locator(".choice-count")
    expect(progress).to_have_text("0 van 3 rijen beantwoord")
    send = main.get_by_role("button", name=NL["send"], exact=True)
    expect(send).to_be_disabled()
    no_axe_violations(phone, "phone / matrix")
    no_overflow(phone, "matrix")
    phone_shot(screens, phone, "4-matrix")

    def rate(block: str, rating: str) -> None:
        blocks[block].locator("label.matrix-rating", has_text=rating).tap()
        expect(blocks[block].get_by_role("radio", name=rating)).to_be_checked()

    rate("Blok X", "Moeilijk")
    rate("Blok X", "Makkelijk")  # changed: one rating per row
    expect(blocks["Blok X"].get_by_role("radio", name="Moeilijk")).not_to_be_checked()
    rate("Blok Y", "Weet niet")
    rate("Blok Z", "Moeilijk")
    expect(progress).to_have_text("3 van 3 rijen beantwoord")
    # Y cleared again: a partial answer
    blocks["Blok Y"].get_by_role("button", name="Antwoord wissen voor \u201cBlok Y\u201d").tap()
    expect(blocks["Blok Y"].get_by_role("radio", name="Weet niet")).not_to_be_checked()
    expect(progress).to_have_text("2 van 3 rijen beantwoord")
    no_axe_violations(phone, "phone / matrix partly answered")
    phone_shot(screens, phone, "5-matrix-draft")
    send.tap()
    expect_saved(phone, "Blok X: Makkelijk Blok Z: Moeilijk")
    assert (
        status(phone).locator(".status-answer-value").evaluate("(n) => n.textContent")
        == "Blok X: Makkelijk\nBlok Z: Moeilijk"
    )
    expect(blocks["Blok X"].get_by_role("radio", name="Makkelijk")).to_be_checked()
    expect(blocks["Blok Z"].get_by_role("radio", name="Moeilijk")).to_be_checked()
    for rating in ("Makkelijk", "Moeilijk", "Weet niet"):
        expect(blocks["Blok Y"].get_by_role("radio", name=rating)).not_to_be_checked()
    expect(main.get_by_role("button", name=NL["change"], exact=True)).to_be_disabled()
    ack = other.respond("blokken", {"x": "moeilijk", "y": "weetniet"})
    assert ack["ok"] is True, ack
    no_axe_violations(phone, "phone / matrix saved")
    no_overflow(phone, "matrix saved")
    phone_shot(screens, phone, "6-matrix-saved")

    # the projector: X 1 easy + 1 hard (n = 2), Y 1 don't know, Z 1 hard (n = 1 each)
    control.control("show_results")
    mrows = pj.locator(".pj-result li.matrix-row")
    expect(mrows.locator(".matrix-label")).to_have_text(["Blok X", "Blok Y", "Blok Z"])
    expect(mrows.locator(".matrix-n")).to_have_text(["n = 2", "n = 1", "n = 1"])
    want = {
        "x": {"ok": "50%", "moeilijk": "50%", "weetniet": ""},
        "y": {"ok": "", "moeilijk": "", "weetniet": "100%"},
        "z": {"ok": "", "moeilijk": "100%", "weetniet": ""},
    }
    for item, segs in want.items():
        row = pj.locator(f".pj-result li.matrix-row[data-id='{item}']")
        for rating, text in segs.items():
            seg = row.locator(f".seg[data-rating='{rating}']")
            expect(seg.locator(".seg-label")).to_have_text(text)
            if text:
                expect(seg).not_to_have_class(re.compile(r"\bis-empty\b"))
            else:
                expect(seg).to_have_class(re.compile(r"\bis-empty\b"))
    # bar widths on one scale of 100 %: a 50 % segment is half of its side
    widths = pj.locator(".pj-result li.matrix-row[data-id='x'] .seg[data-rating]").evaluate_all(
        "(nodes) => Object.fromEntries(nodes.map((n) => [n.dataset.rating, n.style.width]))"
    )
    assert widths == {"moeilijk": "50%", "ok": "50%", "weetniet": "0%"}, widths
    expect(pj.locator(".pj-result .result-note")).to_have_text(
        "% van de antwoorden per rij \u00b7 n = 2"
    )
    screens.shot(projector, "6-matrix-results")

    # ------------------------------------------------------------------ word cloud "wolk"
    goto("wolk", "E\u00e9n tot drie woorden?")
    main = page.locator("#main")
    words = ["Armoede", "Huisvesting", "Taal"]
    for n, word in enumerate(words, start=1):
        field = main.get_by_label(f"Woord {n} van 3", exact=True)
        field.tap()
        field.fill(word)
    no_overflow(phone, "word cloud")
    main.get_by_role("button", name=NL["send"], exact=True).tap()
    expect_saved(phone, "armoede, huisvesting, taal")  # stored case-folded
    ack = other.respond("wolk", ["armoede", "schulden"])
    assert ack["ok"] is True, ack
    phone_shot(screens, phone, "7-words-saved")
    control.control("show_results")
    cloud = pj.locator(".pj-result .cloud .cloud-word")
    # most frequent in the middle, the others alternately after and before it
    expect(cloud.locator(".cloud-text")).to_have_text(
        ["taal", "huisvesting", "armoede", "schulden"]
    )
    expect(pj.locator(".pj-result .cloud .cloud-top .cloud-text")).to_have_text("armoede")
    expect(pj.locator(".pj-result .result-note")).to_have_text("n = 2 \u00b7 4 woorden")
    screens.shot(projector, "7-words-results")

    # ------------------------------------------------------------------ Q&A "vrij"
    voter = screens.open("phone-voter", live["participant_url"], SMALL_PHONE)
    goto("vrij", "Vrije vragen?")
    expect(heading(voter)).to_have_text("Vrije vragen?")
    main = page.locator("#main")
    question = "Wanneer is de pauze?"
    main.get_by_label("Jouw vraag").fill(question)
    main.get_by_role("button", name=NL["ask"], exact=True).tap()
    expect(main.locator(".qna-feedback .status-line")).to_have_text("\u2713" + NL["asked"])
    expect(main.locator("#qna-list-heading")).to_have_text("Vragen (1)")
    expect(main.locator("ol.qna-list .qna-text")).to_have_text([question])
    expect(main.locator("ol.qna-list .qna-badges")).to_have_text(["jouw vraag"])
    no_overflow(phone, "Q&A")
    phone_shot(screens, phone, "8-qna-asked")

    vmain = voter.page.locator("#main")
    item = vmain.locator("ol.qna-list li.qna-item")
    expect(item.locator(".qna-text")).to_have_text([question])
    vote = item.locator("button.qna-vote")
    expect(vote).to_have_attribute("aria-pressed", "false")
    expect(vote.locator(".qna-votes-count")).to_have_text("0")
    vote.tap()
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(vote.locator(".qna-votes-count")).to_have_text("1")
    expect(vote.locator(".qna-vote-label")).to_have_text("1 stem, je hebt op deze vraag gestemd")
    expect(vote).to_have_class(re.compile(r"\bis-selected\b"))
    # the asker's phone sees the vote too (not its own)
    own = main.locator("ol.qna-list button.qna-vote")
    expect(own.locator(".qna-votes-count")).to_have_text("1")
    expect(own).to_have_attribute("aria-pressed", "false")
    no_overflow(voter, "Q&A voted")
    phone_shot(screens, voter, "9-qna-voted")

    # the control screen lists the question (shown at once: not moderated) with its vote
    cp = control_page.page
    expect(cp.locator("#current h1")).to_have_text("Vrije vragen?")
    approved = cp.locator("#moderation .mod-list-approved li.mod-entry")
    expect(approved.locator(".mod-text")).to_have_text([question])
    expect(approved.locator(".mod-votes")).to_have_text(["1 stem"])
    cp.locator("#moderation").scroll_into_view_if_needed()
    screens.shot(control_page, "9-qna-control")

    screens.assert_clean()
    server.assert_no_tracebacks()
