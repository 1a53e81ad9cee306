"""The programme editor in Chromium: a programme built from an empty page with one activity of
every kind (Dutch and English) using only the editor, saved, checked by `programmes check`,
started; a copy of Brugfiguren with its six building blocks replaced and marked final (the
file keeps its comments); keyboard-only editing (Tab through the whole form); axe-core (WCAG 2.2
AA tags) on the editor's pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import (
    AXE_JS,
    CONTROL,
    Screens,
    browser_expect,
    format_violations,
)
from tests.livesrv import Server, start_server

pytestmark = pytest.mark.browser

expect = browser_expect()

ROOT = Path(__file__).resolve().parent.parent
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
KINDS = [
    "info",
    "single_choice",
    "multi_choice",
    "scale",
    "open_text",
    "word_cloud",
    "ranking",
    "matrix",
    "qna",
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("editor-programmes")
    shutil.copy(ROOT / "sessions" / "brugfiguren.yaml", d / "brugfiguren.yaml")
    return d


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, folder: Path) -> Iterator[Server]:
    srv = start_server(
        tmp_path_factory.mktemp("editor-server"), env={"DIALOOGTAFEL_PROGRAMMES_DIR": str(folder)}
    )
    try:
        yield srv
    finally:
        srv.stop()


def signed_in(screens: Screens, server: Server, name: str = "editor") -> Any:
    """A control-sized tab signed in as a facilitator (the one-time link the server printed;
    a restart prints a new one)."""
    server.restart()
    m = re.findall(r"/login\?token=(\S+)", server.log_text())
    tab = screens.open(name, f"{server.url}/login?token={m[-1]}", CONTROL)
    expect(tab.page).to_have_url(re.compile(r"/control/$"))
    return tab


def axe_wcag(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
             const r = await window.axe.run(document, {runOnly: {type: "tag", values: tags},
                                                       resultTypes: ["violations"]});
             return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
               url: v.helpUrl, nodes: v.nodes.map((n) => ({target: n.target.join(" "),
               html: n.html, summary: n.failureSummary}))}));
           }""",
        WCAG_TAGS,
    )


#: the controls of the editor's form, and how the keyboard test names one
FOCUSABLE = "#ed-form input, #ed-form select, #ed-form textarea, #ed-form button"
NAME = "(e) => e.name || e.id || e.textContent.trim()"


def wait_checked(page: Any) -> None:
    """Wait for the server's check of the latest change (a change marks the page as pending
    until the check of it has come back)."""
    page.wait_for_function("() => document.body.dataset.checked && !document.body.dataset.pending")


def fill_texts(page: Any, tag: str = "") -> None:
    """Every empty Dutch/English field of the open form, except segment labels (only for
    profile questions) and option descriptions (optional). ``tag`` goes into every text, so
    the phone and the projector can tell the activities apart."""
    for field in page.locator("#ed-form input[type=text], #ed-form textarea").all():
        name = field.get_attribute("name") or ""
        if (
            not re.search(r"\.(nl|en)$", name)
            or "segment_label" in name
            or "description" in name
            or field.input_value()
        ):
            continue
        lang = name.rsplit(".", 1)[1]
        word = "Tekst" if lang == "nl" else "Text"
        field.fill(f"{word}{' ' + tag if tag else ''} <b>{name.split('.')[-2]}</b>")


def test_build_every_kind_save_check_start(server: Server, screens: Screens, folder: Path) -> None:
    tab = signed_in(screens, server)
    page = tab.page
    page.goto(f"{server.url}/editor/")
    page.get_by_label("Bestandsnaam").fill("alles")
    page.get_by_role("button", name="Aanmaken").click()
    expect(page).to_have_url(re.compile(r"/editor/alles$"))
    page.wait_for_selector("body[data-ready='1']")
    for kind in KINDS:
        page.locator(f"#ed-palette button[data-kind='{kind}']").click()
        expect(page.locator("#ed-form").first).to_have_attribute("data-kind", kind)
        fill_texts(page, kind)
    # the section the first activity made: its title
    page.locator(".ed-section > .ed-row .ed-node").first.click()
    fill_texts(page)
    wait_checked(page)
    expect(page.locator("#ed-problems li")).to_have_count(1)
    expect(page.locator("#ed-problems li.ed-ok")).to_have_count(1)
    page.get_by_label("Je naam (zichtbaar in de geschiedenis)").fill("Tester")
    page.locator("#ed-save").click()
    expect(page.locator("#ed-status")).to_contain_text("Opgeslagen")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "programmes",
            "check",
            str(folder / "alles.yaml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    text = (folder / "alles.yaml").read_text()
    assert [f"kind: {k}" in text for k in KINDS] == [True] * len(KINDS)
    # HTML typed in a field is text in the editor: no <b> element appeared
    assert page.locator("#ed-tree b, #ed-form b").count() == 0
    expect(page.locator("#ed-start")).to_be_enabled()
    page.locator("#ed-start").click()
    expect(page).to_have_url(re.compile(r"/control/[A-Z0-9]+$"))
    answer_every_kind(screens, tab)
    screens.assert_clean()


#: what the phone's buttons say (Dutch, the programme's default language)
SEND, RANK_SEND, ASK = "Versturen", "Deze volgorde versturen", "Mijn vraag versturen"
#: per kind: the answer the phone gives, and what its status box says was saved
#: (option labels are "Tekst <kind> <b>0</b>", "... <b>1</b>": typed HTML stays text)
SAVED = {
    "single_choice": "Tekst single_choice <b>1</b>",
    "multi_choice": "Tekst multi_choice <b>0</b>, Tekst multi_choice <b>1</b>",
    "scale": "4",
    "open_text": "Een open antwoord",
    "word_cloud": "brugfiguur",
    "ranking": "1. Tekst ranking <b>1</b> 2. Tekst ranking <b>0</b>",
    "matrix": "Tekst matrix <b>0</b>: Tekst matrix <b>1</b>",
}


def answer_every_kind(screens: Screens, control: Any) -> None:
    """The live session just started from the editor: a phone answers every kind through its
    page, and after "Show results" the projector shows each result with n = 1."""
    cp = control.page
    phone = screens.phone("phone", cp.locator("#link-participant").input_value())
    projector = screens.projector(cp.locator("#link-projector").input_value())
    pp, pj = phone.page, projector.page
    main = pp.locator("#main")
    bar = cp.get_by_role("group", name="Begeleiding")
    expect(pp.get_by_role("heading", level=1)).to_have_text("Wacht op de begeleider")

    def press(name: str) -> None:
        button = bar.get_by_role("button", name=name)
        expect(button).to_be_enabled()
        button.click()

    def option(label: str) -> Any:
        return main.get_by_role("button", name=label, exact=True)

    for kind in KINDS:
        press("Volgende")
        expect(pj.locator("h1.activity-title")).to_have_text(f"Tekst {kind} <b>title</b>")
        expect(pp.locator("#main")).to_contain_text(f"Tekst {kind} <b>prompt</b>")
        if kind == "info":
            expect(main.locator(".activity-body")).to_have_text("Tekst info <b>body</b>")
            expect(pj.locator(".activity-body")).to_have_text("Tekst info <b>body</b>")
            continue
        if kind == "single_choice":
            option("Tekst single_choice <b>1</b>").tap()
        elif kind == "multi_choice":
            option("Tekst multi_choice <b>0</b>").tap()
            option("Tekst multi_choice <b>1</b>").tap()
            main.get_by_role("button", name=SEND, exact=True).tap()
        elif kind == "scale":
            main.get_by_role("button", name="4", exact=True).tap()
            main.get_by_role("button", name=SEND, exact=True).tap()
        elif kind in ("open_text", "word_cloud"):
            main.get_by_role("textbox").first.fill(SAVED[kind])
            main.get_by_role("button", name=SEND, exact=True).tap()
        elif kind == "ranking":
            main.get_by_role("button", name="\u201cTekst ranking <b>1</b>\u201d omhoog").tap()
            main.get_by_role("button", name=RANK_SEND, exact=True).tap()
        elif kind == "matrix":
            main.locator("label.matrix-rating", has_text="Tekst matrix <b>1</b>").tap()
            main.get_by_role("button", name=SEND, exact=True).tap()
        elif kind == "qna":
            main.get_by_label("Jouw vraag").fill("Wie betaalt de brugfiguur?")
            main.get_by_role("button", name=ASK, exact=True).tap()
            expect(main.locator(".qna-feedback .status-line")).to_have_text(
                "\u2713Je vraag is verstuurd. Ze verschijnt in de lijst zodra de begeleider "
                "ze goedkeurt."  # moderation "before", the default (issue 13)
            )
        if kind != "qna":
            box = main.locator(".answer-status")
            expect(box.locator(".status-line")).to_have_text("\u2713Antwoord opgeslagen")
            expect(box.locator(".status-answer-value")).to_have_text(SAVED[kind])
            expect(pj.locator(".pj-count")).to_have_text("1 antwoord")
        if kind in ("open_text", "word_cloud", "qna"):
            # moderation "before" is the default (issue 13): one "approve all" shows the entry
            approve = cp.locator("#approve-all")
            expect(approve).to_have_text("Alles goedkeuren (1)")
            approve.click()
            expect(approve).to_be_hidden()
        press("Resultaten tonen")
        result = pj.locator(".pj-result")
        expect(result).to_be_visible()
        screens.shot(projector, f"built-{kind}")
        if kind in ("single_choice", "multi_choice", "ranking", "matrix"):
            expect(result.locator(".result-note")).to_contain_text("n = 1")
        if kind == "single_choice":
            expect(result.locator("li.bar-row .bar-label")).to_have_text(
                ["Tekst single_choice <b>0</b>", "Tekst single_choice <b>1</b>"]
            )
            expect(result.locator("li.bar-row .bar-value")).to_have_text(["0% (0)", "100% (1)"])
        elif kind == "scale":
            expect(result.locator(".hist-stats")).to_have_text(
                "Gemiddelde: 4 \u00b7 Mediaan: 4 \u00b7 n = 1"
            )
        elif kind == "open_text":
            expect(result.locator("li.entry")).to_have_text([SAVED[kind]])
        elif kind == "word_cloud":
            expect(result.locator(".cloud .cloud-text")).to_have_text([SAVED[kind]])
        elif kind == "qna":
            expect(result).to_contain_text("Wie betaalt de brugfiguur?")
        elif kind == "ranking":
            expect(result.locator("li.rank-row .bar-label")).to_have_text(
                ["1. Tekst ranking <b>1</b>", "2. Tekst ranking <b>0</b>"]
            )
    # the texts typed in the editor were shown as text everywhere: no <b> element appeared
    for page in (pp, pj):
        assert page.locator("#main b, .pj-result b, h1 b").count() == 0


def test_keyboard_only_editing(server: Server, screens: Screens, folder: Path) -> None:
    tab = signed_in(screens, server, "keyboard")
    page = tab.page
    page.goto(f"{server.url}/editor/brugfiguren")
    page.wait_for_selector("body[data-ready='1']")
    second = page.locator(".ed-activity .ed-node").nth(1)
    name = second.get_attribute("data-id")
    second.focus()
    page.keyboard.press("Enter")  # select it
    expect(page.locator(".ed-node.is-selected")).to_have_attribute("data-id", name)
    page.keyboard.press("Alt+ArrowUp")  # move it to the top
    expect(page.locator(".ed-activity .ed-node").first).to_have_attribute("data-id", name)
    expect(page.locator(".ed-node.is-selected")).to_be_focused()
    # Enter on the selected item goes to its form: the id first, then Tab to the title
    page.keyboard.press("Enter")
    expect(page.locator("#ed-form input[name$='.id']").first).to_be_focused()
    page.keyboard.press("Tab")
    title = page.locator("#ed-form input[name$='.title.nl']")
    expect(title).to_be_focused()
    # the Dutch title: typed at its end, saved with Ctrl+S (the field keeps the focus)
    page.keyboard.press("End")
    page.keyboard.type(" (bewerkt)")
    wait_checked(page)
    page.keyboard.press("Control+s")
    page.wait_for_function("() => document.body.dataset.saved")
    assert page.locator("#ed-alert").is_hidden(), page.locator("#ed-alert").inner_text()
    expect(page.locator("#ed-status")).to_contain_text("Opgeslagen")
    expect(title).to_be_focused()
    # Tab reaches every control of the form, in the order they are shown
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#ed-form input[name$='.id']").first).to_be_focused()
    shown = page.evaluate(
        f"() => [...document.querySelectorAll('{FOCUSABLE}')]"
        f".filter((e) => !e.disabled && e.offsetParent !== null).map({NAME})"
    )
    reached = []
    for _ in shown:
        reached.append(page.evaluate(f"() => ({NAME})(document.activeElement)"))
        page.keyboard.press("Tab")
    assert len(shown) >= 20  # a slide: its texts, quotes, links, timer...
    assert reached == shown
    text = (folder / "brugfiguren.yaml").read_text()
    assert "(bewerkt)" in text
    assert text.index(f"- id: {name}") < text.index("- id: programma")
    screens.assert_clean()


def test_axe_wcag22_on_editor_pages(server: Server, screens: Screens) -> None:
    assert AXE_JS.exists(), "tests/vendor/axe.min.js is missing: run scripts/setup.sh"
    tab = signed_in(screens, server, "axe")
    page = tab.page
    found = []
    for url, ready in (
        (f"{server.url}/editor/", None),
        (f"{server.url}/editor/brugfiguren", "body[data-ready='1']"),
        (f"{server.url}/editor/brugfiguren/history", None),
    ):
        page.goto(url)
        if ready:
            page.wait_for_selector(ready)
        violations = axe_wcag(page)
        if violations:
            found.append(format_violations(url, violations))
        if ready:
            # an activity's form, with its problems shown beside the fields
            page.locator(".ed-activity .ed-node").nth(3).click()
            page.locator("#ed-form input[name$='.id']").first.fill("")
            wait_checked(page)
            expect(page.locator(".ed-problem-msg").first).to_be_visible()
            violations = axe_wcag(page)
            if violations:
                found.append(format_violations(url + " (activity form)", violations))
    assert not found, "\n\n".join(found)


#: the six building blocks as the workshop's owners confirmed them (a test's stand-in)
BLOCKS = [
    ("Elkaar kennen", "Knowing each other"),
    ("Gedeelde visie", "A shared vision"),
    ("Duidelijke rollen", "Clear roles"),
    ("Ouders betrekken", "Involving parents"),
    ("Goede communicatie", "Good communication"),
    ("Tijd en middelen", "Time and means"),
]
BLOCK_ACTIVITIES = ["zes_bouwstenen", "bouwstenen_matrix", "bouwstenen_rangschikking"]


def test_brugfiguren_copy_gets_its_building_blocks_and_goes_final(
    server: Server, screens: Screens, folder: Path
) -> None:
    tab = signed_in(screens, server, "final")
    page = tab.page
    page.goto(f"{server.url}/editor/")
    page.get_by_label("Bestandsnaam").fill("brug-definitief")
    page.get_by_label("Beginnen van").select_option("brugfiguren")
    page.get_by_role("button", name="Aanmaken").click()
    expect(page).to_have_url(re.compile(r"/editor/brug-definitief$"))
    page.wait_for_selector("body[data-ready='1']")
    before = (folder / "brug-definitief.yaml").read_text(encoding="utf-8")
    # the programme's form: its status and the option set of the six building blocks
    form = page.locator("#ed-form")
    form.locator("select[name='programme.status']").select_option("final")
    for i, (nl, en) in enumerate(BLOCKS):
        item = f"programme.option_sets.bouwstenen.{i}"
        form.locator(f"input[name='{item}.nl']").fill(nl)
        form.locator(f"input[name='{item}.en']").fill(en)
        form.locator(f"input[name='{item}.placeholder']").uncheck()
        form.locator(f"select[name='{item}.origin']").select_option("added")
    # the activities that show them: no longer provisional
    for activity in BLOCK_ACTIVITIES:
        page.locator(f".ed-node[data-id='{activity}']").click()
        expect(form).to_have_attribute("data-kind", re.compile(r"\w"))
        own = form.locator("> .ed-field[data-path$='/placeholder'] input[type=checkbox]")
        expect(own).to_be_checked()
        own.uncheck()
    wait_checked(page)
    page.get_by_label("Je naam (zichtbaar in de geschiedenis)").fill("Tester")
    page.locator("#ed-save").click()
    expect(page.locator("#ed-status")).to_contain_text("Opgeslagen")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "programmes",
            "check",
            str(folder / "brug-definitief.yaml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    after = (folder / "brug-definitief.yaml").read_text(encoding="utf-8")
    # only what was edited changed, in place; every comment of the file is still there
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 1 + 4 * len(BLOCKS) + len(BLOCK_ACTIVITIES), changed
    assert ("  status: draft", "  status: final") in changed
    assert [b.strip() for a, b in changed].count("placeholder: false") == len(BLOCKS) + len(
        BLOCK_ACTIVITIES
    )
    assert [b.strip() for a, b in changed].count("origin: added") == len(BLOCKS)
    for nl, en in BLOCKS:
        assert f'        nl: "{nl}"' in after and f'        en: "{en}"' in after
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 50
    assert [line for line in after.splitlines() if line.lstrip().startswith("#")] == comments
    from facilitator.programme import load_programme

    programme = load_programme(folder / "brug-definitief.yaml")
    assert programme.status == "final"
    acts = {a.id: a for a in programme.activities}
    assert [acts[a].placeholder for a in BLOCK_ACTIVITIES] == [False] * 3
    # the matrix and the ranking use the option set: its blocks, none provisional
    for act, options in (
        (acts["bouwstenen_matrix"], acts["bouwstenen_matrix"].items),
        (acts["bouwstenen_rangschikking"], acts["bouwstenen_rangschikking"].options),
    ):
        assert [(o.label["nl"], o.label["en"], o.placeholder) for o in options] == [
            (nl, en, False) for nl, en in BLOCKS
        ], act.id
    screens.assert_clean()
