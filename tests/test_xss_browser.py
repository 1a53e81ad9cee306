"""Hostile participant text in a real browser (Debian's Chromium, Playwright) against the real
server process: open text, a scale's "why", word-cloud words and Q&A questions full of HTML,
script, template syntax, bidi control characters and very long words.

On the projector, the control screen, a phone and the HTML report (the export people open), each
text appears as literal text; no element is injected (a MutationObserver watches every page from
its first byte), no script runs (``window.__xss`` stays unset), no dialog opens, no console error
or Content-Security-Policy violation is logged, bidi overrides are gone (stripped by the server)
and a very long word does not push the page wider than the screen. Reloading the pages (the
server renders the state with the texts into the HTML) changes none of that. The phone's text
inputs carry the same length caps as the server checks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser import PROJECTOR, TIMEOUT_MS, Screens, Tab, browser_expect
from tests.livesrv import Phone, Screen, Server, create_live

pytestmark = [pytest.mark.browser, pytest.mark.server]

expect = browser_expect()

PROGRAMME = """\
programme:
  id: xss
  version: "1"
  languages: [nl, en]
  default_language: nl
  title: {nl: "Vijandige tekst", en: "Hostile text"}
  settings:
    moderation: none  # the hostile texts go straight to the projector
  sections:
    - id: a
      title: {nl: "Deel A", en: "Part A"}
      activities:
        - id: tekst
          kind: open_text
          prompt: {nl: "Zeg het maar", en: "Say it"}
        - id: schaal
          kind: scale
          prompt: {nl: "Hoeveel?", en: "How much?"}
          scale:
            min: 1
            max: 5
            left_label: {nl: "Weinig", en: "Little"}
            right_label: {nl: "Veel", en: "Much"}
          why:
            prompt: {nl: "Waarom?", en: "Why?"}
        - id: wolk
          kind: word_cloud
          prompt: {nl: "Welke woorden?", en: "Which words?"}
          max_words: 3
          max_length: 30
          moderation: false
        - id: vragen
          kind: qna
          prompt: {nl: "Vragen?", en: "Questions?"}
          moderation: false
"""

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
HOSTILE = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2; alert(2)">',
    '"><svg onload="window.__xss = 3">',
    "</script><script>window.__xss = 4</script>",
    "{{ 7*7 }} ${7*7} <%= 7*7 %> {% raw %}",
    "javascript:window.__xss = 5",
    '<a href="javascript:window.__xss = 6">klik</a> <b>vet</b> <i>schuin</i>',
    "Rechts\u202enaar links\u202c en \u2066geïsoleerd\u2069 \u200fklaar",
    '<style>body { display: none }</style><iframe src="//evil.example"></iframe>',
    "Lang" + "woord" * 50,  # 254 characters without a space
    "&lt;b&gt; &amp; &#60;script&#62; \\u003cscript\\u003e",
]
WHYS = ["<b>" + h[:60] + "</b>" for h in HOSTILE]
WORDS = [
    ["<b>vet</b>", "{{7*7}}"],
    ["<img src=x onerror=alert(7)>"],
    ["\u202eomgekeerd\u202c"],
    ["a" * 30],
    ["javascript:alert(8)"],
    ["</script>"],
]
QUESTIONS = [h[:200] + " ?" for h in HOSTILE[:8]]

# Records, from the first byte of every page, each element that participant text could have
# injected: tags the app never creates itself, scripts that are not the app's own, any event
# handler attribute, any URL or style attribute carrying a hostile marker.
OBSERVER = r"""
(() => {
  window.__injected = [];
  const URLISH = new Set(["href", "src", "action", "formaction", "xlink:href", "srcdoc",
                          "style", "background", "poster", "data", "srcset"]);
  const TAGS = new Set(["SCRIPT", "IFRAME", "OBJECT", "EMBED", "STYLE", "SVG", "B", "I",
                        "BASE", "FRAME", "FORM"]);
  // the app's own: its scripts, and the stylesheet the phone page carries inline in <head>
  // (allowed by its CSP hash; participant text never reaches <head>)
  // and the control screen's projector preview: the template's one iframe, in its panel,
  // pointing at this site's projector page (checked by src, so an injected copy still counts)
  const own = (el) => (el.tagName === "SCRIPT" && (
      (el.getAttribute("src") || "").startsWith("/static/") ||
      el.getAttribute("type") === "application/json")) ||
      (el.tagName === "STYLE" && el.parentNode === document.head) ||
      (el.tagName === "IFRAME" && el.id === "preview-iframe" &&
       el.parentNode && el.parentNode.id === "preview-frame" &&
       /^(|\/projector\/[A-Z0-9]+\?key=[\w-]+&preview=1)$/.test(
         (el.getAttribute("src") || "").replace(location.origin, "")));
  const ownForm = (el) => el.tagName === "FORM" && el.closest("body") &&
      !el.closest(".pj-result, #result, .result, #main .answer-status, .qna-board");
  const look = (node) => {
    if (node.nodeType !== 1) return;
    for (const el of [node, ...node.querySelectorAll("*")]) {
      const tag = el.tagName.toUpperCase();
      const attrs = Array.from(el.attributes || []);
      // participant text in an attribute is fine where it is only text (aria-label, title,
      // data-*); where it would be a URL or a style, or an event handler, it is not
      const badAttr = attrs.find((a) => a.name.toLowerCase().startsWith("on") ||
          (URLISH.has(a.name.toLowerCase()) && /__xss|javascript:|evil\.example/i.test(a.value)));
      if (badAttr || (TAGS.has(tag) && !own(el) && !ownForm(el))) {
        window.__injected.push(el.outerHTML.slice(0, 160));
      }
    }
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) look(n);
  }).observe(document, { childList: true, subtree: true });
})();
"""


def open_watched(
    screens: Screens, name: str, url: str, options: dict[str, Any], dialogs: list[str]
) -> Tab:
    tab = screens.open(name, None, options)
    tab.context.add_init_script(OBSERVER)
    tab.page.on("dialog", lambda d: (dialogs.append(f"{name}: {d.message}"), d.dismiss()))
    tab.goto(url)
    return tab


def assert_inert(tab: Tab, container: str, texts: list[str], own: tuple[str, ...] = ()) -> None:
    """Every text literally in ``container``; nothing injected, run, reordered or too wide.
    ``own``: regexes of elements the page itself is made of (the report's style and charts)."""
    page = tab.page
    page.wait_for_function(
        """([sel, texts]) => { const c = document.querySelector(sel);
             return !!c && texts.every((t) => c.textContent.includes(t)); }""",
        arg=[container, texts],
        timeout=TIMEOUT_MS,
    )
    assert page.evaluate("() => window.__xss") is None, f"{tab.name}: a script ran"
    injected = [
        html
        for html in page.evaluate("() => window.__injected")
        if not any(re.match(pattern, html) for pattern in own)
    ]
    assert injected == [], f"{tab.name}: elements injected: {injected}"
    text = page.evaluate("() => document.body.textContent")
    assert not any(ch in text for ch in BIDI), f"{tab.name}: bidi control characters shown"
    # no template ran: where the template text was sent, its syntax is there literally (a
    # check for "49" failed on the clock: the report says when it was made, here at 16:49)
    template = "{{ 7*7 }} ${7*7} <%= 7*7 %>"
    if any(template in t for t in texts):
        shown = page.evaluate("(sel) => document.querySelector(sel).textContent", container)
        assert template in shown, "a template ran"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        widest = page.evaluate("""() => {
          for (const el of document.body.querySelectorAll("li, p, td, span, div")) {
            if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
                && Array.from(el.childNodes).some((n) => n.nodeType === 3))
              return `<${el.tagName.toLowerCase()}> ${(el.textContent || "").slice(0, 30)}`;
          }
          return null; }""")
        raise AssertionError(
            f"{tab.name}: the page is {overflow} px wider than the screen ({widest})"
        )


def cleaned(text: str) -> str:
    """What the server stores (bidi and invisible characters removed, spaces collapsed)."""
    return re.sub(r"[ \t]+", " ", "".join(ch for ch in text if ch not in BIDI)).strip()


def test_hostile_text_is_shown_inertly(
    server: Server,
    browser: Any,  # noqa: F811
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    path = tmp_path / "xss.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    live_ = create_live(server, path)
    code = live_["code"]
    ctl = Screen(server, code, "control", live_["control_key"]).connect()
    phones = [Phone(server, code).connect() for _ in range(len(HOSTILE))]
    dialogs: list[str] = []
    failed_before = request.session.testsfailed
    screens = Screens(browser, "xss")
    try:
        projector = open_watched(screens, "projector", live_["projector_url"], PROJECTOR, dialogs)
        control = open_watched(
            screens,
            "control",
            live_["control_url"],
            {"viewport": {"width": 1280, "height": 800}, "locale": "nl-BE"},
            dialogs,
        )
        phone = open_watched(
            screens,
            "phone",
            live_["participant_url"],
            {
                "viewport": {"width": 390, "height": 844},
                "is_mobile": True,
                "has_touch": True,
                "locale": "nl-BE",
            },
            dialogs,
        )

        # ---- open text
        ctl.control("goto", {"activity": "tekst"})
        ctl.control("show_results")
        stored = []
        for p, text in zip(phones, HOSTILE, strict=True):
            ack = p.respond("tekst", text)
            assert ack["ok"], ack
            assert ack["value"] == cleaned(text)
            stored.append(ack["value"])
        box = phone.page.locator("#main").get_by_role("textbox")
        expect(box).to_have_attribute("maxlength", "280")  # the cap on the phone side too
        box.fill(HOSTILE[1])
        phone.page.locator("#main").get_by_role("button", name="Versturen", exact=True).tap()
        expect(phone.page.locator("#main .answer-status .status-answer-value")).to_have_text(
            HOSTILE[1]
        )
        for tab, container in ((projector, ".pj-result"), (control, "#result"), (phone, "#main")):
            assert_inert(tab, container, stored if tab is not phone else [HOSTILE[1]])
        screens.shot(projector, "1-open-text")
        screens.shot(control, "1-open-text")

        # ---- a scale's why
        ctl.control("goto", {"activity": "schaal"})
        ctl.control("show_results")
        whys = []
        for i, (p, why) in enumerate(zip(phones, WHYS, strict=True)):
            ack = p.respond("schaal", {"position": 1 + i % 5, "why": why})
            assert ack["ok"], ack
            whys.append(ack["value"]["why"])
        why_box = phone.page.locator("#main").get_by_label("Waarom? (optioneel)")
        expect(why_box).to_have_attribute("maxlength", "280")
        for tab, container in ((projector, ".pj-result"), (control, "#result")):
            assert_inert(tab, container, whys)
        screens.shot(projector, "2-scale-why")

        # ---- word cloud
        ctl.control("goto", {"activity": "wolk"})
        ctl.control("show_results")
        words: list[str] = []
        for p, value in zip(phones, WORDS, strict=False):
            ack = p.respond("wolk", value)
            assert ack["ok"], ack
            words += ack["value"]
        expect(phone.page.locator("#main input").first).to_have_attribute("maxlength", "30")
        for tab, container in ((projector, ".pj-result"), (control, "#result")):
            assert_inert(tab, container, words)
        screens.shot(projector, "3-word-cloud")

        # ---- Q&A: on the phones too
        ctl.control("goto", {"activity": "vragen"})
        ctl.control("show_results")
        questions = []
        for p, text in zip(phones, QUESTIONS, strict=False):
            ack = p.ask("vragen", text)
            assert ack["ok"], ack
            questions.append(ack["question"]["text"])
        for tab, container in ((projector, ".pj-result"), (control, "#result"), (phone, "#main")):
            assert_inert(tab, container, questions)
        screens.shot(projector, "4-qna")
        screens.shot(phone, "4-qna")

        # ---- reloaded: the server renders the texts into the page itself
        for tab, container in ((projector, ".pj-result"), (control, "#result"), (phone, "#main")):
            tab.page.reload()
            assert_inert(tab, container, questions)
            for raw in tab.page.locator('script[type="application/json"]').all_text_contents():
                assert "</script" not in raw.lower()

        # ---- the HTML report (the export people open and pass on)
        control.goto(f"{server.url}/control/{code}/export.html?view=1")
        assert_inert(
            control,
            "body",
            stored + whys + words + questions,
            own=(
                r"<style>\s*/\* The printable report",
                r'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" '
                r'id="chart-[a-z0-9_-]+" viewBox="[0-9 ]+" width="\d+" '
                r'height="\d+" role="img" aria-labelledby="chart-',
            ),
        )
        screens.shot(control, "5-report", full_page=True)

        assert dialogs == [], dialogs
        screens.assert_clean()
        server.assert_no_tracebacks()
    finally:
        screens.close(failed=request.session.testsfailed > failed_before)
