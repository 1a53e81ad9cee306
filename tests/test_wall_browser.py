"""The projector fills the wall, at every kind and every projector size (issue 13, part 3), and
the screenshots of every screen x kind a reviewer looks at.

One real server and one Chromium for the whole module. One live session of
tests/programmes/wall.yaml (one activity of every kind, long Dutch prompts and labels) is
driven by a control Socket.IO client; six Socket.IO phones answer, so every result has bars,
entries and words. Three projector pages (1920x1080, 1280x720, 1024x768), three control pages
at the same sizes and two phone pages (390 and 320 px wide) follow it. For each activity the
test measures the projector's boxes with getBoundingClientRect/getComputedStyle and asserts:

- the result area takes the free space: from under the title and the corner badge to the
  bottom of the screen, over 90 % of its width and at least half its height;
- sizes at 1920x1080 (and scaled by the screen's height at the two smaller sizes): option
  labels >= 36 px, percentages >= 44 px, bars >= 48 px thick; the corner QR code >= 20 % of the
  screen's height with the join code and address >= 32 px; the lobby's QR code >= half the
  height;
- nothing clips (no element's content is wider or taller than its box where it hides the
  overflow, no text runs past the screen) and the result area, the corner badge and the header
  do not overlap.

Every step is saved to test-artifacts/screenshots/wall-<screen>-<step>.png (see docs/testing.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from tests.browser import (
    PHONE,
    Screens,
    Tab,
    axe_run,
    browser_expect,
    format_violations,
)
from tests.livesrv import ROOT, Phone, Screen, Server, connect_all, create_live

pytestmark = pytest.mark.browser

expect = browser_expect()

WALL = ROOT / "tests" / "programmes" / "wall.yaml"

#: the projector sizes: name -> (width, height)
SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720), "1024x768": (1024, 768)}
#: phone widths
PHONE_WIDTHS = (390, 320)

#: what the issue asks at 1920x1080, in px; at the smaller sizes scaled by the height (the
#: wall's type scales with the viewport; 1024x768 is narrower, so its type may not be larger)
LABEL_PX = 36
PERCENT_PX = 44
BAR_PX = 48
CORNER_QR_SHARE = 0.20
JOIN_TEXT_PX = 32
LOBBY_QR_SHARE = 0.5

N_PHONES = 6
ANSWERS: dict[str, list[Any]] = {
    "kies": ["a", "b", "b", "c", "f", "e"],
    "meer": [["a", "b"], ["b"], ["b", "c"], ["d"], ["a", "c"], ["b", "d"]],
    "schaal": [
        {"position": 1, "why": "Te weinig tijd om elkaar echt te leren kennen"},
        {"position": 3},
        {"position": 4, "why": "Vaste gezichten op school"},
        {"position": 4},
        {"position": 5, "why": "Korte lijnen"},
        {"position": 2},
    ],
    "tekst": [
        "Meer tijd om elkaar te leren kennen",
        "Een vast aanspreekpunt op school",
        "Ondersteuningsnoden sneller doorgeven",
        "Samenwerkingsverbanden met het CLB",
        "Vertrouwen",
        "Duidelijke afspraken over wie wat doet",
    ],
    "wolk": [
        ["vertrouwen", "tijd"],
        ["vertrouwen"],
        ["samenwerking", "tijd", "ouders"],
        ["vertrouwen", "ouders"],
        ["brug"],
        ["ondersteuningsnoden"],
    ],
    "rang": [
        ["a", "b", "c", "d"],
        ["b", "a", "c", "d"],
        ["a", "c", "b", "d"],
        ["d", "a", "b", "c"],
        ["a", "b", "d", "c"],
        ["c", "a", "b", "d"],
    ],
    "blokken": [
        {"x": "ok", "y": "moeilijk", "z": "weetniet"},
        {"x": "ok", "y": "ok", "z": "moeilijk"},
        {"x": "moeilijk", "y": "moeilijk", "z": "moeilijk"},
        {"x": "ok", "y": "weetniet"},
        {"x": "ok", "y": "ok", "z": "ok"},
        {"z": "moeilijk"},
    ],
    "vragen": [
        "Wie betaalt de tijd van de brugfiguur?",
        "Hoe bereiken we ouders die geen Nederlands spreken?",
    ],
}
#: title on the wall per activity, in programme order (the info slide's title, else the prompt)
TITLES = {
    "dia": "Contact en materialen",
    "kies": "Welke rol vind je het moeilijkst te realiseren?",
    "meer": "Welke ondersteuningsnoden zie je het vaakst bij gezinnen in kwetsbare situaties,"
    " in de klas en daarbuiten?",
    "schaal": "Hoe sterk is de samenwerking tussen school en brugfiguur vandaag?",
    "tekst": "Wat heb je nodig om de brug te leggen?",
    "wolk": "Eén tot drie woorden bij samenwerkingsverbanden?",
    "rang": "Rangschik de bouwstenen van belangrijk naar minder belangrijk.",
    "blokken": "Hoe makkelijk is elke bouwsteen in jouw samenwerkingsverband?",
    "vragen": "Vragen, opmerkingen, suggesties?",
}
#: the kinds whose result is bars with a label and a percentage per option
BARS = {"kies", "meer"}


@dataclass
class Room:
    server: Server
    live: dict[str, Any]
    control: Screen
    phones: list[Phone]
    screens: Screens
    projectors: dict[str, Tab] = field(default_factory=dict)
    controls: dict[str, Tab] = field(default_factory=dict)
    phone_tabs: dict[int, Tab] = field(default_factory=dict)

    def tabs(self) -> list[Tab]:
        return [*self.projectors.values(), *self.controls.values(), *self.phone_tabs.values()]


@pytest.fixture(scope="module")
def room(browser: Any, browser_server: Server) -> Iterator[Room]:
    server = browser_server
    live = create_live(server, WALL)
    control = Screen(server, live["code"], "control", live["control_key"])
    phones = [Phone(server, live["code"]) for _ in range(N_PHONES)]
    connect_all([control, *phones])
    screens = Screens(browser, "wall")
    room = Room(server, live, control, phones, screens)
    for name, (width, height) in SIZES.items():
        viewport = {"viewport": {"width": width, "height": height}, "locale": "nl-BE"}
        room.projectors[name] = screens.open(f"projector-{name}", live["projector_url"], viewport)
        room.controls[name] = screens.open(f"control-{name}", live["control_url"], viewport)
    for width in PHONE_WIDTHS:
        options = {**PHONE, "viewport": {"width": width, "height": 720}}
        room.phone_tabs[width] = screens.open(f"phone-{width}", live["participant_url"], options)
    try:
        yield room
    finally:
        screens.close()


def settle(tab: Tab) -> None:
    """Two animation frames: the projector's fit-to-the-screen runs in one."""
    tab.page.evaluate(
        "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )
    tab.page.evaluate(
        "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )


def shoot(room: Room, step: str) -> None:
    """Every screen at every size, as it is now (the phones whole, scrolled)."""
    for tab in room.tabs():
        room.screens.shot(tab, step, full_page=tab.name.startswith("phone"))


# What the wall shows, measured: boxes as [left, top, right, bottom] in CSS px.
MEASURE_JS = r"""() => {
  const box = (node) => {
    if (!node) return null;
    const r = node.getBoundingClientRect();
    if (!r.width && !r.height) return null;
    return [r.left, r.top, r.right, r.bottom];
  };
  const union = (nodes) => {
    const boxes = nodes.map(box).filter(Boolean);
    if (!boxes.length) return null;
    return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])),
            Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
  };
  const visible = (node) => !!node && node.getClientRects().length > 0
    && getComputedStyle(node).visibility !== "hidden";
  const px = (node, prop = "font-size") => parseFloat(getComputedStyle(node)[prop]);
  const all = (selector) => Array.from(document.querySelectorAll(selector)).filter(visible);
  const name = (node) => node.tagName.toLowerCase()
    + (node.id ? `#${node.id}` : "")
    + (node.classList.length ? `.${Array.from(node.classList).join(".")}` : "");

  // clipping: a box that hides overflowing content, or text past the screen's edge
  const clipped = [];
  const W = window.innerWidth, H = window.innerHeight;
  for (const node of document.querySelectorAll("#stage *")) {
    if (!visible(node) || node.closest(".visually-hidden")) continue;
    const style = getComputedStyle(node);
    const hides = ["hidden", "clip", "auto", "scroll"];
    // lists that drop their oldest entries to fit say so themselves ("+ n earlier")
    if (hides.includes(style.overflowX) && node.scrollWidth > node.clientWidth + 1) {
      clipped.push(`${name(node)}: content ${node.scrollWidth} px wide in ${node.clientWidth}`);
    }
    if (hides.includes(style.overflowY) && node.scrollHeight > node.clientHeight + 1) {
      clipped.push(`${name(node)}: content ${node.scrollHeight} px high in ${node.clientHeight}`);
    }
    if (style.textOverflow === "ellipsis" && node.scrollWidth > node.clientWidth + 1) {
      clipped.push(`${name(node)}: cut with an ellipsis`);
    }
    const hasText = Array.from(node.childNodes).some((c) => c.nodeType === 3 && c.textContent.trim());
    // a word wider than its box runs over its neighbour (the wall does not break words)
    if (hasText && node.clientWidth > 0 && node.scrollWidth > node.clientWidth + 1
        && !node.closest(".join-badge")) {
      clipped.push(`${name(node)}: text ${node.scrollWidth} px wide in ${node.clientWidth}`);
    }
    if (hasText) {
      const r = node.getBoundingClientRect();
      if (r.right > W + 1 || r.bottom > H + 1 || r.left < -1 || r.top < -1) {
        clipped.push(`${name(node)}: text outside the screen at ${[r.left, r.top, r.right, r.bottom].map(Math.round)}`);
      }
    }
  }

  const resultNode = document.querySelector(".pj-result:not([hidden]) .result")
    || document.querySelector(".pj-breakdown:not([hidden])");
  const head = union([document.querySelector(".pj-head"), document.querySelector("h1.activity-title"),
                      document.querySelector(".activity-prompt"),
                      document.querySelector(".pj-answering")].filter(visible));
  const badge = document.getElementById("join-badge");
  const badgeShown = visible(badge);
  const texts = (selector) => all(selector).map((n) => px(n));
  return {
    width: W, height: H,
    clipped,
    head,
    result: resultNode && visible(resultNode) ? box(resultNode) : null,
    slide: box(document.querySelector(".pj-activity .activity-body, .pj-links")) && union(
      all(".pj-activity .activity-body, .pj-links")),
    badge: badgeShown ? box(badge) : null,
    timer: visible(document.getElementById("pj-timer"))
      ? px(document.getElementById("pj-timer")) : null,
    badgeQr: badgeShown ? box(document.querySelector(".join-badge-qr")) : null,
    badgeHost: badgeShown ? px(document.querySelector(".join-badge-host")) : null,
    badgeCode: badgeShown ? px(document.querySelector(".join-badge-code")) : null,
    lobbyQr: box(all(".join-qr")[0]),
    lobbyUrl: all(".join-url").map((n) => px(n))[0] || null,
    lobbyCode: all(".join-code").map((n) => px(n))[0] || null,
    labels: texts(".pj-result .bar-label"),
    percents: texts(".pj-result .bar-pct"),
    bars: all(".pj-result .bar-track").map((n) => n.getBoundingClientRect().height),
    histAxis: texts(".pj-result .hist-axis .hist-x"),
    histCounts: all(".pj-result .hist-count").filter((n) => n.textContent).map((n) => px(n)),
    entries: texts(".pj-result li.entry"),
    words: all(".pj-result .cloud-word").map((n) => px(n)),
    rankLabels: texts(".pj-result .rank-bars .bar-label"),
    matrixLabels: texts(".pj-result .matrix-label, .pj-result .matrix-item"),
    divBars: all(".pj-result .div-bar").map((n) => n.getBoundingClientRect().height),
    questions: texts(".pj-result .qna-board-text"),
    links: all(".pj-link-qr").map((n) => box(n)),
    linkLabels: texts(".pj-link-label"),
    bodyText: texts(".pj-activity .activity-body p"),
  };
}"""


def measure(tab: Tab) -> dict[str, Any]:
    """The wall's measures once they hold still: the same twice in a row, 0.2 s apart (a result
    message may still be on its way when the count already shows; in a loaded full run the
    wall was once measured between two). Bounded: after 4 s, the last measures."""
    settle(tab)
    got: dict[str, Any] = tab.page.evaluate(MEASURE_JS)
    for _ in range(20):
        tab.page.wait_for_timeout(200)
        settle(tab)
        again: dict[str, Any] = tab.page.evaluate(MEASURE_JS)
        if again == got:
            break
        got = again
    return got


def overlap(a: list[float] | None, b: list[float] | None) -> bool:
    if a is None or b is None:
        return False
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


def scale_of(size: str) -> float:
    """The wall's type scales with the screen's height: 1 at 1080 px."""
    return SIZES[size][1] / 1080


def check_corner(size: str, m: dict[str, Any], problems: list[str]) -> None:
    s = scale_of(size)
    h = m["height"]
    qr = m["badgeQr"]
    if qr is None:
        problems.append(f"{size}: no corner QR code")
        return
    if qr[3] - qr[1] < CORNER_QR_SHARE * h - 0.5:
        problems.append(f"{size}: corner QR {qr[3] - qr[1]:.0f} px < 20 % of {h}")
    for what in ("badgeHost", "badgeCode"):
        if m[what] < JOIN_TEXT_PX * s - 0.5:
            problems.append(f"{size}: {what} {m[what]:.1f} px < {JOIN_TEXT_PX * s:.1f}")


def at_least(
    size: str, what: str, values: list[float], minimum: float, problems: list[str]
) -> None:
    want = minimum * scale_of(size)
    if not values:
        problems.append(f"{size}: no {what} measured")
    elif min(values) < want - 0.5:
        problems.append(f"{size}: {what} {min(values):.1f} px < {want:.1f}")


def check_layout(size: str, m: dict[str, Any], problems: list[str]) -> None:
    problems.extend(f"{size}: clipped {c}" for c in m["clipped"])
    for a, b in (("head", "result"), ("head", "badge"), ("result", "badge"), ("slide", "badge")):
        if overlap(m[a], m[b]):
            problems.append(f"{size}: {a} {m[a]} overlaps {b} {m[b]}")


def check_fills(size: str, m: dict[str, Any], problems: list[str]) -> None:
    """The result takes the free space: from under the top (title, count, corner badge) to the
    bottom of the screen, the whole width, and at least half the height."""
    r = m["result"]
    if r is None:
        problems.append(f"{size}: no result shown")
        return
    w, h = m["width"], m["height"]
    above = max(m["head"][3] if m["head"] else 0, m["badge"][3] if m["badge"] else 0)
    if r[1] - above > 0.05 * h:
        problems.append(f"{size}: {r[1] - above:.0f} px free above the result (top {above:.0f})")
    if h - r[3] > 0.06 * h:
        problems.append(f"{size}: {h - r[3]:.0f} px free under the result")
    if r[2] - r[0] < 0.9 * w:
        problems.append(f"{size}: result {r[2] - r[0]:.0f} px wide, < 90 % of {w}")
    if r[3] - r[1] < 0.5 * h:
        problems.append(f"{size}: result {r[3] - r[1]:.0f} px high, < half of {h}")


def check_kind(activity: str, size: str, m: dict[str, Any], problems: list[str]) -> None:
    if activity in BARS:
        at_least(size, "option labels", m["labels"], LABEL_PX, problems)
        at_least(size, "percentages", m["percents"], PERCENT_PX, problems)
        at_least(size, "bars", m["bars"], BAR_PX, problems)
    elif activity == "schaal":
        at_least(size, "scale axis labels", m["histAxis"], LABEL_PX, problems)
        at_least(size, "histogram counts", m["histCounts"], PERCENT_PX, problems)
        at_least(size, "reasons", m["entries"], LABEL_PX * 0.8, problems)
    elif activity == "tekst":
        at_least(size, "entries", m["entries"], LABEL_PX, problems)
    elif activity == "wolk":
        at_least(size, "largest word", [max(m["words"] or [0])], 2 * PERCENT_PX, problems)
        at_least(size, "words", m["words"], LABEL_PX * 0.8, problems)
    elif activity == "rang":
        at_least(size, "option labels", m["rankLabels"], LABEL_PX, problems)
        at_least(size, "bars", m["bars"], BAR_PX, problems)
    elif activity == "blokken":
        at_least(size, "item labels", m["matrixLabels"], LABEL_PX * 0.9, problems)
        at_least(size, "bars", m["divBars"], BAR_PX, problems)
    elif activity == "vragen":
        at_least(size, "questions", m["questions"], LABEL_PX, problems)
    if activity != "dia":
        check_fills(size, m, problems)


def answer(room: Room, activity: str) -> None:
    values = ANSWERS.get(activity)
    if values is None:
        return
    for i, value in enumerate(values):
        phone = room.phones[i]
        ack = phone.ask(activity, value) if activity == "vragen" else phone.respond(activity, value)
        assert ack.get("ok") is True, (activity, value, ack)


def respondents(activity: str) -> int:
    return len(ANSWERS[activity])


# ------------------------------------------------------------------------------ tests


def test_lobby(room: Room) -> None:
    """Before the first activity: the lobby's QR code takes at least half the height and the
    address and code are large, at every projector size."""
    problems: list[str] = []
    for size, tab in room.projectors.items():
        expect(tab.page.locator(".join-code")).to_be_visible()
        m = measure(tab)
        qr = m["lobbyQr"]
        assert qr is not None, f"{size}: no QR code in the lobby"
        if qr[3] - qr[1] < LOBBY_QR_SHARE * m["height"] - 0.5:
            problems.append(f"{size}: lobby QR {qr[3] - qr[1]:.0f} px < half of {m['height']}")
        for what in ("lobbyUrl", "lobbyCode"):
            if m[what] < 1.5 * JOIN_TEXT_PX * scale_of(size):
                problems.append(f"{size}: {what} {m[what]:.1f} px")
        problems.extend(f"{size}: clipped {c}" for c in m["clipped"])
    for tab in room.phone_tabs.values():
        expect(tab.page.get_by_role("heading", level=1)).to_have_text("Wacht op de begeleider")
    shoot(room, "0-lobby")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("activity", list(TITLES))
def test_every_kind_fills_the_wall(room: Room, activity: str) -> None:
    """Go to the activity, let six phones answer, show the results; then measure the wall at
    the three sizes."""
    index = list(TITLES).index(activity) + 1
    room.control.control("goto", {"activity": activity})
    title = TITLES[activity]
    for tab in room.projectors.values():
        expect(tab.page.locator("h1.activity-title")).to_have_text(title)
    for tab in room.phone_tabs.values():
        expect(tab.page.get_by_role("heading", level=1)).to_contain_text(title)
    for tab in room.controls.values():
        expect(tab.page.locator("#current h1")).to_have_text(title)
    if activity in ANSWERS:
        shoot(room, f"{index}-{activity}-question")
        answer(room, activity)
        room.control.control("show_results")
        n = respondents(activity)
        for tab in room.projectors.values():
            expect(tab.page.locator(".pj-result")).to_be_visible()
            expect(tab.page.locator(".pj-count")).to_contain_text(str(n))
    if activity == "wolk":  # a countdown: in the corner badge, so it covers no result
        room.control.control("start_timer", {"seconds": 600})
        for tab in room.projectors.values():
            expect(tab.page.locator("#join-badge .pj-timer")).to_be_visible()
            expect(tab.page.locator(".pj-timer-clock")).to_have_text(re.compile(r"^(10:00|9:5\d)$"))
    problems: list[str] = []
    measured = {}
    for size, tab in room.projectors.items():
        m = measure(tab)
        if activity == "wolk":
            at_least(size, "countdown", [m["timer"] or 0], PERCENT_PX, problems)
        measured[size] = m
        check_corner(size, m, problems)
        check_layout(size, m, problems)
        check_kind(activity, size, m, problems)
    shoot(room, f"{index}-{activity}-results" if activity in ANSWERS else f"{index}-{activity}")
    if activity == "wolk":
        room.control.control("stop_timer")
    assert not problems, (
        "\n".join(problems)
        + "\n\nmeasured: "
        + json.dumps(measured, indent=None, default=str)[:6000]
    )


# ------------------------------------------------------------------ issue 13, part 5 and axe

#: text on the phone that has a language: the browser hyphenates it (a 320 px phone must not
#: break "ondersteuningsnoden" mid-word without a hyphen)
LANG_JS = r"""() => {
  const out = [];
  for (const node of document.querySelectorAll("main *")) {
    if (!node.getClientRects().length) continue;
    const own = Array.from(node.childNodes).some((c) => c.nodeType === 3 && /[A-Za-z]{4}/.test(c.textContent));
    if (!own) continue;
    const holder = node.closest("[lang]");
    const lang = holder ? holder.getAttribute("lang") : "";
    const hyphens = getComputedStyle(node).hyphens;
    if (!["nl", "en"].includes(lang) || hyphens !== "auto") {
      out.push(`${node.tagName.toLowerCase()}.${node.className}: lang=${lang || "-"} hyphens=${hyphens}`);
    }
  }
  // every word of a title or an option fits its line: broken only where hyphenated
  for (const node of document.querySelectorAll("main .activity-title, main .choice-text, main .matrix-legend")) {
    if (!node.clientWidth) continue;
    const before = node.style.overflowWrap;
    node.style.overflowWrap = "normal";
    if (node.scrollWidth > node.clientWidth + 1) {
      out.push(`a word wider than its line (${node.scrollWidth} > ${node.clientWidth}): ${node.textContent.trim()}`);
    }
    node.style.overflowWrap = before;
  }
  return out;
}"""


def check_phone_language(room: Room, problems: list[str]) -> None:
    for width, tab in room.phone_tabs.items():
        problems.extend(f"phone {width}: {p}" for p in tab.page.evaluate(LANG_JS))


def check_axe(room: Room, step: str, problems: list[str]) -> None:
    """axe-core with the WCAG 2.2 AA tags: no violation, and target-size among the rules run."""
    tabs = [room.projectors["1920x1080"], room.controls["1280x720"], room.phone_tabs[320]]
    for tab in tabs:
        result = axe_run(tab)
        if "target-size" not in result["rules"]:
            problems.append(f"{tab.name} / {step}: axe did not run target-size")
        if result["violations"]:
            problems.append(format_violations(f"{tab.name} / {step}", result["violations"]))


def test_part5_and_axe_on_every_kind(room: Room) -> None:
    """Walk the programme once more (answers are in): the info slide's links as QR codes, one
    "provisional" pill per activity, the wording, the Q&A count said once, the control's sticky
    bar above the histogram, lang and hyphenation on the 320 px phone, and axe on every kind."""
    problems: list[str] = []
    pj = room.projectors["1920x1080"].page
    code = room.live["code"]
    for activity, title in TITLES.items():
        room.control.control("goto", {"activity": activity})
        for tab in room.projectors.values():
            expect(tab.page.locator("h1.activity-title")).to_have_text(title)
        for tab in room.phone_tabs.values():
            expect(tab.page.get_by_role("heading", level=1)).to_contain_text(title)
        if activity in ANSWERS:
            room.control.control("show_results")
            expect(pj.locator(".pj-result")).to_be_visible()
        check_phone_language(room, problems)
        check_axe(room, activity, problems)

        if activity == "dia":
            for size, tab in room.projectors.items():
                qrs = tab.page.locator(".pj-link-qr")
                expect(qrs).to_have_count(2)
                expect(tab.page.locator(".pj-link-label")).to_have_text(
                    ["Onderwijs en welzijn", "Actie 15 \u2013 Brug leggen naar onderwijs"]
                )
                for i in range(2):
                    img = qrs.nth(i)
                    assert img.evaluate("(i) => i.complete && i.naturalWidth > 0"), (size, i)
                    height = img.bounding_box()["height"]
                    assert height >= 0.2 * SIZES[size][1], (size, i, height)
            url = f"{room.server.url}/projector/{code}/link/dia"
            ok = requests.get(f"{url}/1/qr.svg", timeout=5)
            assert ok.status_code == 200 and ok.text.lstrip().startswith("<"), ok.status_code
            assert ok.headers["Content-Type"].startswith("image/svg+xml")
            assert requests.get(f"{url}/2/qr.svg", timeout=5).status_code == 404
            other = f"{room.server.url}/projector/{code}/link/kies/0/qr.svg"
            assert requests.get(other, timeout=5).status_code == 404

        if activity == "kies":
            # left once already, so closed on return (issue 13 part 2); open it again
            expect(pj.locator(".pj-open")).to_have_text("Antwoorden is gesloten")
            room.control.control("open_answering")
            expect(pj.locator(".pj-open")).to_have_text("Antwoorden staat open")
            expect(
                room.controls["1920x1080"].page.get_by_text(
                    "Kies een tafel of een profielvraag", exact=False
                )
            ).to_have_count(1)

        if activity in ("kies", "rang", "blokken"):
            marked = {"kies": 1, "rang": 4, "blokken": 3}[activity]
            for _width, tab in room.phone_tabs.items():
                main = tab.page.locator("#main")
                expect(main.locator(".badge-placeholder")).to_have_count(1)
                expect(main.locator(".badge-placeholder")).to_have_text("* voorlopig")
                expect(main.locator(".placeholder-mark")).to_have_count(marked)
            expect(pj.locator(".badge-placeholder")).to_have_count(1)
            expect(pj.locator(".pj-result .placeholder-mark")).to_have_count(marked)

        if activity == "schaal":
            check_sticky_bar(room.controls["1280x720"], problems)

        if activity == "vragen":
            expect(pj.locator(".pj-count")).to_have_text("2 personen stelden een vraag")
            expect(pj.locator(".pj-result .result-note")).to_be_hidden()
            assert "2 vragen" not in pj.locator("#stage").inner_text()

    room.control.control("end")
    for _width, tab in room.phone_tabs.items():
        expect(tab.page.get_by_role("heading", level=1)).to_have_text("Deze sessie is afgelopen")
        expect(tab.page.locator(".waiting-dots")).to_have_count(0)
        tab.page.reload()
        expect(tab.page.get_by_role("heading", level=1)).to_have_text("Deze sessie is afgelopen")
        expect(tab.page.locator(".waiting-dots")).to_have_count(0)
    shoot(room, "99-ended")
    room.screens.assert_clean()
    room.server.assert_no_tracebacks()
    assert not problems, "\n".join(problems)


STICKY_JS = r"""() => {
  const bar = document.querySelector(".c-toolbar");
  const count = Array.from(document.querySelectorAll("#result .hist-count")).find((n) => n.textContent);
  if (!bar || !count) return "no toolbar or histogram count";
  // room to scroll below the result, as a long moderation list would give
  const spacer = document.createElement("div");
  spacer.style.height = "2000px";
  bar.parentElement.append(spacer);
  // scroll until the count sits under the sticky bar
  const scroller = (() => {
    for (let n = bar.parentElement; n; n = n.parentElement) {
      const s = getComputedStyle(n).overflowY;
      if ((s === "auto" || s === "scroll") && n.scrollHeight > n.clientHeight) return n;
    }
    return document.scrollingElement;
  })();
  const b0 = bar.getBoundingClientRect();
  // step by step: the bar moves along until it sticks, then the count slides under it
  for (let i = 0; i < 200; i++) {
    const gap = count.getBoundingClientRect().top - (bar.getBoundingClientRect().top + b0.height / 2);
    if (gap <= 0) break;
    scroller.scrollTo({top: scroller.scrollTop + Math.max(4, gap / 2), behavior: "instant"});
  }
  const b = bar.getBoundingClientRect();
  const c = count.getBoundingClientRect();
  if (c.bottom < b.top || c.top > b.bottom) return `could not scroll the count under the bar: ${c.top} vs ${b.top}..${b.bottom} (${scroller.className} ${scroller.scrollTop}/${scroller.scrollHeight}/${scroller.clientHeight})`;
  const x = c.left + c.width / 2;
  const y = Math.max(c.top, b.top) + 2;
  const hit = document.elementFromPoint(x, y);
  const ok = !!hit && !!hit.closest(".c-toolbar");
  scroller.scrollTo({top: 0, behavior: "instant"});
  spacer.remove();
  return ok ? "" : `drawn over the bar: ${hit && hit.className}`;
}"""


def check_sticky_bar(tab: Tab, problems: list[str]) -> None:
    """Control screen, a scale's result, scrolled: the histogram's numbers go under the sticky
    Next / Open / Show bar, not over it."""
    expect(tab.page.locator("#result .hist-count").first).to_be_attached()
    size = tab.page.viewport_size
    tab.page.set_viewport_size({"width": 1280, "height": 360})  # short: room to scroll
    try:
        problem = tab.page.evaluate(STICKY_JS)
    finally:
        tab.page.set_viewport_size(size)
    if problem:
        problems.append(f"{tab.name}: {problem}")
