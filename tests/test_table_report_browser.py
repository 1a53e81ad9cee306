"""Tables reporting back, in Debian's Chromium against the real server (tests/livesrv.py):

- the projector's grid of 12 table cards at 1920x1080 and at 1280x720: every card inside the
  screen, no two cards overlapping, and in each card its title, text and picks neither clipped
  nor overlapping each other; a table spotlighted full screen, then the grid again;
- the control screen's cards with each table's phones, the spotlight and the stepping keys
  (→ and ← in the panel step the spotlight, Esc goes back to all tables);
- a phone writes its table's report: the draft survives a reload, it is sent and saved;
- a table's screen on a 768x1024 tablet: its own report, its phones, the room's once shown;
- axe-core finds no violation on any of these screens.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.browser import (
    Screens,
    axe_violations,
    browser_expect,
    format_violations,
)
from tests.livesrv import Phone, Screen, Server, connect_all, create_live

pytestmark = pytest.mark.browser

expect = browser_expect()

TABLES = Path(__file__).resolve().parent / "programmes" / "tables.yaml"
N = 12
#: realistic reports: a title of a few words, two or three sentences (about 200 characters)
TEXT = (
    "We willen vaste contactmomenten tussen school en brugfiguur, een gedeelde agenda en "
    "iemand die de ouders kent. Zonder tijd en mandaat lukt het niet; begin klein en evalueer."
)


@pytest.fixture(scope="module")
def server(browser_server: Server) -> Server:
    return browser_server


#: every card of the grid: its box and its parts' boxes, and whether a part is cut off
LAYOUT_JS = """() => {
  const box = (n) => { const r = n.getBoundingClientRect();
    return {x: r.left, y: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height}; };
  return Array.from(document.querySelectorAll('.pj-result .tr-card')).map((card) => ({
    table: card.dataset.table, box: box(card),
    parts: Array.from(card.querySelectorAll('.tr-card-head, .tr-card-title, .tr-card-text,'
      + ' .tr-card-picks')).filter((p) => !p.hidden && p.offsetParent !== null).map((p) => ({
        cls: p.className, box: box(p), sh: p.scrollHeight, ch: p.clientHeight,
        sw: p.scrollWidth, cw: p.clientWidth, cut: p.scrollHeight > p.clientHeight + 1
          || p.scrollWidth > p.clientWidth + 1 })),
  }));
}"""


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["r"] - 0.5
        and b["x"] < a["r"] - 0.5
        and a["y"] < b["b"] - 0.5
        and (b["y"] < a["b"] - 0.5)
    )


def check_layout(cards: list[dict[str, Any]], width: int, height: int, count: int) -> None:
    assert len(cards) == count, [c["table"] for c in cards]
    for c in cards:
        b = c["box"]
        assert b["x"] >= 0 and b["y"] >= 0 and b["r"] <= width and b["b"] <= height, c
        assert b["h"] > 40, c
        for p in c["parts"]:
            assert not p["cut"], f"table {c['table']}: {p} is cut off at {width}x{height}"
            q = p["box"]
            assert q["x"] >= b["x"] - 0.5 and q["r"] <= b["r"] + 0.5, (c["table"], p)
            assert q["y"] >= b["y"] - 0.5 and q["b"] <= b["b"] + 0.5, (c["table"], p)
        for i, p in enumerate(c["parts"]):
            for other in c["parts"][i + 1 :]:
                assert not overlap(p["box"], other["box"]), (c["table"], p, other)
    for i, c in enumerate(cards):
        for other in cards[i + 1 :]:
            assert not overlap(c["box"], other["box"]), (c["table"], other["table"])


def no_axe(tab: Any, where: str) -> None:
    violations = axe_violations(tab)
    assert not violations, format_violations(where, violations)


def table_screen_url(server: Server, live: dict[str, Any], n: int) -> str:
    session = requests.Session()
    code = live["code"]
    assert session.get(f"{server.url}/control/{code}?key={live['control_key']}").status_code == 200
    page = session.get(f"{server.url}/control/{code}/tables", timeout=10).text
    for url in re.findall(r'class="table-card-screen-url" href="([^"]+)"', page):
        url = url.replace("&amp;", "&")
        if f"/{n}?key=" in url:
            return url
    raise AssertionError(f"no screen link for table {n}")


def test_grid_spotlight_phone_and_table_screen(server: Server, screens: Screens) -> None:
    live = create_live(server, TABLES, tables=N)
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"])
    members = [Phone(server, code) for _ in range(N)]
    connect_all([control, *members])
    for i, p in enumerate(members):
        assert p.call("set_table", {"table": i + 1})["ok"] is True
    control.control("goto", {"activity": "terug"})
    control.control("open_answering")

    # a phone at table 12 writes through its page; the draft survives a reload
    phone = screens.phone("phone", f"{server.url}/j/{code}?t={N}")
    page = phone.page
    expect(page.locator(".tr-heading")).to_have_text(f"Terugkoppeling van tafel {N}")
    page.locator("#tr-title").fill("Tafel 12 kiest")
    page.locator("#tr-text").fill(TEXT)
    page.get_by_role("button", name="Bouwsteen 3").click()
    page.reload()
    expect(page.locator("#tr-title")).to_have_value("Tafel 12 kiest")
    expect(page.locator("#tr-text")).to_have_value(TEXT)
    expect(page.get_by_role("button", name="Bouwsteen 3")).to_have_attribute("aria-pressed", "true")
    no_axe(phone, "phone: the table's report form")
    page.get_by_role("button", name="Verstuur de terugkoppeling").click()
    expect(page.locator(".answer-status")).to_contain_text("Tafel 12 kiest")
    screens.shot(phone, "report-sent")
    # another phone of table 12 edits the report: this phone now shows the table's version
    edit = {"title": "Tafel 12, aangepast", "text": TEXT, "picks": ["blok2"]}
    assert members[N - 1].respond("terug", edit)["ok"] is True
    expect(page.locator(".tr-latest")).to_be_visible()
    expect(page.locator("#tr-title")).to_have_value("Tafel 12, aangepast")
    expect(page.get_by_role("button", name="Bouwsteen 2")).to_have_attribute("aria-pressed", "true")
    screens.shot(phone, "table-version")

    for i, p in enumerate(members[: N - 1]):
        ack = p.respond(
            "terug",
            {"title": f"Tafel {i + 1}: samen sterker", "text": TEXT, "picks": [f"blok{1 + i % 3}"]},
        )
        assert ack["ok"] is True, ack
    control.control("show_results")

    projector = screens.projector(f"{server.url}/projector/{code}?key={live['projector_key']}")
    pj = projector.page
    expect(pj.locator(".pj-result .tr-card")).to_have_count(N)
    expect(pj.locator(".pj-result .tr-card[data-table='12'] .tr-card-title")).to_have_text(
        "Tafel 12, aangepast"
    )
    expect(pj.locator(".pj-result .tr-card[data-table='12'] .tr-card-badge")).to_have_text(
        "aangepast"
    )
    for width, height in ((1920, 1080), (1280, 720)):
        pj.set_viewport_size({"width": width, "height": height})
        pj.wait_for_function("() => document.querySelectorAll('.pj-result .tr-card').length > 0")
        pj.evaluate(
            "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        check_layout(pj.evaluate(LAYOUT_JS), width, height, N)
        screens.shot(projector, f"grid-{width}x{height}")
    no_axe(projector, "projector: the grid of 12 tables")

    # the control screen: the cards, each table's phones; spotlight and stepping by keyboard
    tab = screens.control(f"{server.url}/control/{code}?key={live['control_key']}")
    cp = tab.page
    expect(cp.locator(".c-result .tr-card")).to_have_count(N)
    expect(cp.locator(".c-result .tr-card[data-table='3'] .tr-card-status")).to_contain_text(
        "1 van 1 telefoons verbonden"
    )
    cp.get_by_role("button", name="Volledig scherm: tafel 5").click()
    expect(pj.locator(".pj-result .tr-card")).to_have_count(1)
    expect(pj.locator(".pj-result .tr-card")).to_have_attribute("data-table", "5")
    check_layout(pj.evaluate(LAYOUT_JS), 1280, 720, 1)
    screens.shot(projector, "spotlight-5")
    cp.locator(".c-result .tr-next").focus()
    cp.keyboard.press("ArrowRight")
    expect(pj.locator(".pj-result .tr-card")).to_have_attribute("data-table", "6")
    cp.keyboard.press("ArrowLeft")
    cp.keyboard.press("ArrowLeft")
    expect(pj.locator(".pj-result .tr-card")).to_have_attribute("data-table", "4")
    # the arrows stepped tables, not activities
    assert control.call("snapshot", {})["state"]["current"] == "terug"
    cp.keyboard.press("Escape")
    expect(pj.locator(".pj-result .tr-card")).to_have_count(N)
    no_axe(tab, "control: the tables' cards")

    # a table's screen on a tablet
    table = screens.open(
        "table",
        table_screen_url(server, live, N),
        {
            "viewport": {"width": 768, "height": 1024},
            "locale": "nl-BE",
            "has_touch": True,
        },
    )
    tp = table.page
    expect(tp.locator("#tb-table")).to_have_text(f"Tafel {N}")
    expect(tp.locator(".tb-panel").first.locator(".tr-card-title")).to_have_text(
        "Tafel 12, aangepast"
    )
    expect(tp.locator(".tb-panel").nth(1).locator(".tr-card")).to_have_count(N)
    expect(tp.locator("#tb-join a")).to_have_attribute("href", re.compile(rf"/j/{code}\?t={N}$"))
    width = tp.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 768, f"the table's screen scrolls sideways: {width}px"
    screens.shot(table, "tablet", full_page=True)
    no_axe(table, "the table's screen on a tablet")
    # the facilitator switches the session to English: the tablet (a Dutch browser) reloads
    # itself in English at its next poll, like the projector
    control.control("set_language", {"language": "en"})
    expect(tp.locator("html")).to_have_attribute("lang", "en", timeout=10_000)
    expect(tp.locator("#tb-table")).to_have_text(f"Table {N}")
    expect(pj.locator("html")).to_have_attribute("lang", "en")
    screens.assert_clean()


def test_more_tables_page_and_a_phone_without_a_table_is_told(
    server: Server, screens: Screens
) -> None:
    live = create_live(server, TABLES, tables=14)
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"])
    connect_all([control])
    control.control("goto", {"activity": "terug"})
    control.control("open_answering")
    control.control("show_results")

    # 14 tables: a page of 12 cards, each still writing, and which page it is
    projector = screens.projector(f"{server.url}/projector/{code}?key={live['projector_key']}")
    pj = projector.page
    expect(pj.locator(".pj-result .tr-card")).to_have_count(12)
    expect(pj.locator(".pj-result .tr-page")).to_have_text("Tafels 1–12 van 14")
    expect(pj.locator(".pj-result .tr-card[data-table='1'] .tr-card-status")).to_have_text(
        "schrijft nog…"
    )
    check_layout(pj.evaluate(LAYOUT_JS), 1920, 1080, 12)
    screens.shot(projector, "page-1-of-2")

    # a phone that says it sits at no table is told how to choose one, and can
    phone = screens.phone("phone", f"{server.url}/j/{code}")
    page = phone.page
    page.get_by_role("button", name="Ik zit niet aan een tafel").click()
    expect(page.locator(".tr-no-table")).to_contain_text("Kies eerst je tafel")
    no_axe(phone, "phone: no table yet")
    page.get_by_role("button", name="Kies mijn tafel").click()
    page.get_by_role("button", name="Tafel 7", exact=True).click()
    expect(page.locator(".tr-heading")).to_have_text("Terugkoppeling van tafel 7")

    # a choice on table 2's screen: its result beside the room's once shown; table 3, with
    # fewer than 3 answers, says so and shows no count
    members = [Phone(server, code) for _ in range(5)]
    connect_all(members)
    for i, p in enumerate(members):
        assert p.call("set_table", {"table": 2 if i < 3 else 3})["ok"] is True
    control.control("goto", {"activity": "kies"})
    control.control("open_answering")
    for i, p in enumerate(members):
        assert p.respond("kies", "rood" if i in (0, 1, 3) else "groen")["ok"] is True
    control.control("show_results")
    for n, own in ((2, "3 van deze tafel antwoordden"), (3, "Minder dan 3 van deze tafel")):
        table = screens.open(
            f"table-{n}",
            table_screen_url(server, live, n),
            {"viewport": {"width": 768, "height": 1024}, "locale": "nl-BE"},
        )
        tp = table.page
        expect(tp.locator(".tb-answered")).to_contain_text(own)
        expect(tp.locator(".tb-panel").nth(1)).to_contain_text("5 antwoorden in de zaal")
        if n == 2:
            expect(tp.locator(".tb-panel").first.locator(".bar-row")).to_have_count(2)
        else:
            expect(tp.locator(".tb-panel").first).to_contain_text(
                "Minder dan 3 antwoorden aan deze tafel"
            )
            assert "2 van deze tafel" not in tp.locator("main").inner_text()
        screens.shot(table, f"choice-table-{n}", full_page=True)
        no_axe(table, f"table {n}'s screen with a choice")
    screens.assert_clean()


def test_the_room_beside_earlier_rooms_is_labelled_on_the_projector(
    server: Server, screens: Screens, tmp_path: Path
) -> None:
    # a programme of its own: the other tests' live sessions of tables.yaml are not earlier
    # rooms of this one
    own = tmp_path / "vergelijk.yaml"
    own.write_text(TABLES.read_text().replace("id: tafels", "id: tafels-vergelijk", 1))
    rooms = []
    for votes in (["rood"] * 3 + ["groen"], ["groen"] * 3, ["rood", "rood", "groen"]):
        live = create_live(server, own)
        control = Screen(server, live["code"], "control", live["control_key"])
        members = [Phone(server, live["code"]) for _ in votes]
        connect_all([control, *members])
        control.control("goto", {"activity": "kies"})
        control.control("open_answering")
        for p, vote in zip(members, votes, strict=True):
            assert p.respond("kies", vote)["ok"] is True
        rooms.append((live, control))
    live, control = rooms[-1]
    state = control.wait_state(lambda s: any(d["id"] == "_earlier" for d in s["dimensions"]))
    earlier = next(d for d in state["dimensions"] if d["id"] == "_earlier")
    assert [s["code"] for s in earlier["sessions"]] == [r[0]["code"] for r in rooms[:2]]
    control.control("set_breakdown", {"by": "_earlier"})
    control.control("show_results")
    projector = screens.projector(
        f"{server.url}/projector/{live['code']}?key={live['projector_key']}"
    )
    pj = projector.page
    expect(pj.locator(".pj-breakdown-title")).to_have_text(
        re.compile(r"^Deze zaal naast eerdere sessies van dit programma, samengeteld \(\d\d-")
    )
    expect(pj.locator(".pj-breakdown")).to_contain_text("Deze zaal")
    expect(pj.locator(".pj-breakdown")).to_contain_text("Eerdere sessies (2)")
    screens.shot(projector, "earlier-rooms")
    no_axe(projector, "projector: this room beside earlier rooms")
    screens.assert_clean()
