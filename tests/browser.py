"""Helpers for the browser tests (tests/test_browser.py): Debian's Chromium driven by Playwright.

- ``CHROMIUM``: the path of Debian's chromium, or None (the browser tests then skip).
- ``launch(playwright)``: a headless Chromium with the flags a CI container needs.
- ``Screens``: opens each screen (phone, projector, control) in its own browser context and page,
  records every console error, uncaught page error and CSP violation of that page, takes
  screenshots to ``test-artifacts/screenshots/`` and runs axe-core on a page.

Nothing here sleeps: every wait is Playwright's bounded auto-waiting (``expect`` and locators).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from tests import markers

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "tests" / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


CHROMIUM = find_chromium()
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

TIMEOUT_MS = 10_000

#: Browser context options per screen. Dutch (nl-BE) like the audience: without a locale,
#: headless Chromium asks for en-US and the server would answer in English.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "nl-BE",
}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}, "locale": "nl-BE"}
CONTROL = {"viewport": {"width": 1440, "height": 900}, "locale": "nl-BE"}

# Reports CSP violations as console errors with a recognisable prefix (Chromium logs most of
# them by itself too; this also catches the ones it reports only as an event).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "(inline)"}`
                + ` at ${e.sourceFile || "?"}:${e.lineNumber || "?"}`);
});
"""


#: The phone shows a privacy notice before the first answer (tested on its own in
#: test_privacy_notice_comes_first); the other tests start with it accepted, as a phone that
#: tapped "OK" would be.
_PRIVACY_ACCEPTED = """
(() => {
  const m = location.pathname.match(/^\\/j\\/([A-Za-z0-9]+)/);
  if (m) { try { localStorage.setItem(`dialoogtafel:${m[1]}:privacy`, "true"); } catch (e) {} }
})();
"""


def browser_expect() -> Any:
    """Playwright's ``expect`` for a browser test module, waiting up to TIMEOUT_MS; the whole
    module is skipped, saying why, on a machine without Debian's Chromium or without
    Playwright. Call it at module level: ``expect = browser_expect()``."""
    if CHROMIUM is None:
        pytest.skip(
            "Debian's chromium is not installed (/usr/bin/chromium): apt-get install chromium",
            allow_module_level=True,
        )
    expect = pytest.importorskip("playwright.sync_api").expect
    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def launch(playwright: Any) -> Any:
    markers.require("browser", "Chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "x"


class Tab:
    """One screen: a page in a browser context of its own (own cookies, own storage)."""

    def __init__(
        self, browser: Any, name: str, options: dict[str, Any], privacy_accepted: bool = True
    ):
        self.name = name
        self.context = browser.new_context(**options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(_CSP_LISTENER)
        if privacy_accepted:
            self.context.add_init_script(_PRIVACY_ACCEPTED)
        self.page = self.context.new_page()
        #: every console error, uncaught exception and CSP violation of this page, in order
        self.errors: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_pageerror)

    def _on_pageerror(self, exc: Any) -> None:
        frames = [
            line.strip()
            for line in (getattr(exc, "stack", None) or "").splitlines()
            if line.strip().startswith("at ")
        ]
        self.errors.append(f"pageerror: {exc}" + (f" ({frames[0]})" if frames else ""))

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            where = (
                f" ({location.get('url', '')}:{location.get('lineNumber', '')})"
                if location.get("url")
                else ""
            )
            self.errors.append(f"console.error: {message.text}{where}")

    def goto(self, url: str) -> Any:
        response = self.page.goto(url)
        assert response is not None and response.ok, (
            f"{self.name}: GET {url} -> {response.status if response else 'no response'}"
        )
        return response

    def unexpected_errors(self, ignore: Iterable[str] = ()) -> list[str]:
        patterns = [re.compile(p) for p in ignore]
        return [e for e in self.errors if not any(p.search(e) for p in patterns)]

    def close(self) -> None:
        try:
            self.context.close()
        except Exception:  # noqa: BLE001 - best effort in teardown (browser may be gone)
            pass


class Screens:
    """The screens of one test. ``ignore`` maps a screen name to regexes of expected errors."""

    def __init__(self, browser: Any, test: str):
        self.browser = browser
        self.test = test
        self.tabs: list[Tab] = []
        self.ignore: dict[str, list[str]] = {}
        self.shots: list[Path] = []
        # this test's screenshots of an earlier run would mislead (e.g. an old "at-failure")
        for old in SCREENSHOTS.glob(f"{_slug(test)}-*.png"):
            old.unlink(missing_ok=True)

    def open(self, name: str, url: str | None, options: dict[str, Any]) -> Tab:
        options = dict(options)
        privacy_accepted = options.pop("privacy_accepted", True)
        tab = Tab(self.browser, name, options, privacy_accepted)
        self.tabs.append(tab)
        if url is not None:
            tab.goto(url)
        return tab

    def phone(self, name: str, url: str | None) -> Tab:
        return self.open(name, url, PHONE)

    def projector(self, url: str) -> Tab:
        return self.open("projector", url, PROJECTOR)

    def control(self, url: str) -> Tab:
        return self.open("control", url, CONTROL)

    def expect_errors(self, tab: Tab, *patterns: str) -> None:
        """Errors matching these regexes are expected on that screen (say why at the call)."""
        self.ignore.setdefault(tab.name, []).extend(patterns)

    def assert_clean(self) -> None:
        """No console error, page error or CSP violation on any screen of this test."""
        problems = []
        for tab in self.tabs:
            for error in tab.unexpected_errors(self.ignore.get(tab.name, ())):
                problems.append(f"[{tab.name}] {error}")
        assert not problems, "errors in the browser:\n" + "\n".join(problems)

    def shot(self, tab: Tab, step: str, full_page: bool = False) -> Path:
        """Save a screenshot as test-artifacts/screenshots/<test>-<screen>-<step>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{_slug(self.test)}-{_slug(tab.name)}-{_slug(step)}.png"
        tab.page.screenshot(
            path=str(path), full_page=full_page, animations="disabled", caret="hide"
        )
        self.shots.append(path)
        return path

    def close(self, failed: bool = False) -> None:
        if failed:
            for tab in self.tabs:
                if tab.errors:  # often the cause of a failed expectation: print them
                    print(f"----- browser errors on {tab.name} -----")
                    print("\n".join(tab.errors))
            for tab in self.tabs:
                try:
                    self.shot(tab, "at-failure", full_page=True)
                except Exception:  # noqa: BLE001 - a screenshot must not hide the failure
                    pass
        for tab in self.tabs:
            tab.close()
        self.tabs = []


# ------------------------------------------------------------------------------ axe-core


def finish_transitions(tab: Tab) -> None:
    """Jump every finite CSS transition/animation to its end (a colour contrast measured halfway
    a fade is not what anyone sees for long); endless ones (spinners) are left alone."""
    tab.page.evaluate("""() => {
      for (const a of document.getAnimations()) {
        const timing = a.effect && a.effect.getComputedTiming();
        if (timing && Number.isFinite(timing.endTime)) a.finish();
      }
    }""")


#: the WCAG 2.2 AA rule tags, named explicitly (axe-core's default set leaves out some
#: WCAG 2.2 rules, among them target-size), plus axe's best practices (headings, landmarks)
WCAG22AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
AXE_TAGS = (*WCAG22AA_TAGS, "best-practice")


def axe_run(tab: Tab, context: str | None = None) -> dict[str, Any]:
    """Run axe-core on the page with ``AXE_TAGS`` (injected by evaluate, which CSP does not
    apply to: the page's ``script-src 'self'`` would refuse an inline <script>). Returns
    ``{"violations": [...], "rules": [every rule id axe ran: passed, failed, inapplicable or
    incomplete]}``."""
    page = tab.page
    finish_transitions(tab)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        """async ([selector, tags]) => {
             const r = await window.axe.run(selector ? document.querySelector(selector) : document,
                                            {runOnly: {type: "tag", values: tags},
                                             resultTypes: ["violations"]});
             const rules = [...r.passes, ...r.violations, ...r.incomplete, ...r.inapplicable]
               .map((x) => x.id);
             return {rules, violations: r.violations.map((v) => ({
               id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
               nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html,
                                           summary: n.failureSummary})),
             }))};
           }""",
        [context, list(AXE_TAGS)],
    )
    return result


def axe_violations(tab: Tab, context: str | None = None) -> list[dict[str, Any]]:
    """The axe violations of the page (``axe_run``); fails when the WCAG 2.2 rule target-size
    was not among the rules run (a tag list or an axe-core version that leaves it out)."""
    result = axe_run(tab, context)
    assert "target-size" in result["rules"], (
        f"axe did not run target-size on {tab.name}; it ran {sorted(result['rules'])}"
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def format_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}: {len(violations)} axe violation(s)"]
    for v in violations:
        lines.append(f"  - {v['id']} ({v['impact']}): {v['help']}  <{v['url']}>")
        for node in v["nodes"][:8]:
            lines.append(f"      at {node['target']}: {node['html'][:200]}")
            for line in (node["summary"] or "").splitlines():
                lines.append(f"         {line}")
        if len(v["nodes"]) > 8:
            lines.append(f"      ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
